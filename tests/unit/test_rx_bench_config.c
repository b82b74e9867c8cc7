/* tests/unit/test_rx_bench_config.c: the business of the receptionist benchmark
 * (bench/rx_bench_config.c, 50 services and 100 FAQ entries) is a valid document for the
 * real parser, and the receptionist answers over it correctly, so that `make bench-rx`
 * measures a receptionist that works: prices by alias, every FAQ entry by its own
 * question, a FAQ entry by its keywords, a booking through the tools. Not timed.
 *
 * The spa takes rx_call.h's DENTAL slot; the other slots stay empty, so its checks of
 * repetition apply and those of another business's names have nothing to compare.
 * 2026-03-02 is a Monday; the spa (Chicago) is open 09:00-19:00. */
#include "rx_call.h"

#include "../../bench/rx_bench_config.h"

#define SPA DENTAL

static struct agent_config *spa;

static void call_spa(struct call *c)
{
    call_start(c, SPA, "2026-03-02 10:00");
    greet(c);
}

static void price_text(size_t i, char *buf, size_t size)
{
    long cents = rx_bench_price_cents(i);
    if (cents % 100 == 0)
        snprintf(buf, size, "$%ld", cents / 100);
    else
        snprintf(buf, size, "$%ld.%02ld", cents / 100, cents % 100);
}

static void test_the_document_parses_with_50_services_and_100_faq_entries(void)
{
    CHECK(spa != NULL);
    CHECK_INT_EQ(spa->nservices, RX_BENCH_SERVICES);
    CHECK_INT_EQ(spa->nfaq, RX_BENCH_FAQ);
    CHECK(spa->booking.is_enabled);
    CHECK_STR_EQ(spa->timezone, "America/Chicago");
    for (size_t i = 0; i < RX_BENCH_SERVICES; i++) {
        const struct rx_bench_service *s = &rx_bench_services[i];
        for (size_t k = 0; k < 2; k++)
            CHECK(agent_config_find_service(spa, s->aliases[k], strlen(s->aliases[k])) ==
                  &spa->services[i]);
        CHECK(spa->services[i].nupsells == 2);
        CHECK(spa->services[i].has_price == (rx_bench_price_cents(i) >= 0));
    }
}

static void test_service_37_is_priced_by_its_alias(void)
{
    struct call c;
    char price[32], want[96];
    call_spa(&c);
    price_text(37, price, sizeof price);
    snprintf(want, sizeof want, "The price for cupping therapy is %s.", price);
    const char *r = say(&c, "Hi, how much is cupping?");
    CHECK(has(r, want));
    CHECK_STR_EQ(c.out.intent, "price");
    CHECK(c.mem.nservices_asked == 1 && c.mem.services_asked[0] == 37);
}

static void test_every_priced_service_is_priced_by_its_first_alias(void)
{
    for (size_t i = 0; i < RX_BENCH_SERVICES; i++) {
        struct call c;
        char text[160], price[32];
        call_spa(&c);
        snprintf(text, sizeof text, "how much is %s?", rx_bench_services[i].aliases[0]);
        const char *r = say(&c, text);
        CHECK_STR_EQ(c.out.intent, "price");
        if (c.mem.nservices_asked != 1 || c.mem.services_asked[0] != (int)i)
            fprintf(stderr, "  \"%s\" did not name service %zu: %s\n", text, i, r);
        CHECK(c.mem.nservices_asked == 1 && c.mem.services_asked[0] == (int)i);
        if (rx_bench_price_cents(i) < 0) {
            CHECK(has(r, "has no fixed price"));
            CHECK(lacks(r, "$"));
        } else {
            price_text(i, price, sizeof price);
            CHECK(has(r, price));
        }
    }
}

static void test_faq_88_is_answered_by_its_keywords(void)
{
    struct call c;
    call_spa(&c);
    const char *r = say(&c, "can I just drop off my car at the curb, is there valet?");
    CHECK(has(r, spa->faq[88].answer));
    CHECK(has(r, "Valet is free on Saturdays"));
    CHECK_STR_EQ(c.out.intent, "faq");
}

static void test_every_faq_entry_answers_its_own_question(void)
{
    for (size_t i = 0; i < RX_BENCH_FAQ; i++) {
        struct call c;
        call_spa(&c);
        const char *r = say(&c, rx_bench_faq[i].question);
        if (c.out.intent == NULL || strcmp(c.out.intent, "faq") != 0 ||
            strstr(r, spa->faq[i].answer) == NULL)
            fprintf(stderr, "  faq[%zu] \"%s\" got %s: %s\n", i, rx_bench_faq[i].question,
                    c.out.intent, r);
        CHECK(strstr(r, spa->faq[i].answer) != NULL);
    }
}

static void test_a_booking_by_alias_goes_through_the_tools(void)
{
    struct call c;
    call_spa(&c);
    say(&c, "I'd like to book a brow tint");
    CHECK(c.mem.task == RX_TASK_BOOKING && c.mem.service_index == 18);
    say(&c, "Thursday at half past two");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.service, "Eyebrow tint");
    CHECK_STR_EQ(c.out.tool.day, "2026-03-05");
    CHECK_STR_EQ(c.out.tool.time, "14:30");
    struct rx_tool_result free_slot = result_of(&c, true);
    free_slot.free_minutes[0] = 14 * 60 + 30;
    free_slot.nfree = 1;
    tool_done(&c, &free_slot);
    CHECK(c.mem.pending == RX_ASK_NAME);
    const char *r = say(&c, "Priya Patel");
    CHECK(has(r, "Priya Patel"));
    say(&c, "yes");
    CHECK(c.out.tool.tool == RX_TOOL_BOOK);
    CHECK_STR_EQ(c.out.tool.caller_name, "Priya Patel");
    struct rx_tool_result booked = result_of(&c, true);
    CHECK(has(tool_done(&c, &booked), "booked"));
    CHECK(c.mem.has_booked);
}

int main(void)
{
    size_t len = 0;
    char *json = rx_bench_config_json(&len);
    char why[256] = "";
    if (json == NULL || agent_config_parse(json, len, &spa, why, sizeof why) != APP_OK) {
        fprintf(stderr, "the benchmark's business does not parse: %s\n",
                json == NULL ? "no document" : why);
        free(json);
        return 1;
    }
    free(json);
    bizzes[SPA] = spa;
    RUN(test_the_document_parses_with_50_services_and_100_faq_entries);
    RUN(test_service_37_is_priced_by_its_alias);
    RUN(test_every_priced_service_is_priced_by_its_first_alias);
    RUN(test_faq_88_is_answered_by_its_keywords);
    RUN(test_every_faq_entry_answers_its_own_question);
    RUN(test_a_booking_by_alias_goes_through_the_tools);
    agent_config_free(spa);
    return check_summary();
}
