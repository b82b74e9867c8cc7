/* Unit tests for web/agent_try.c: a try-out greets from the draft, counts the places
 * the business's real bookings take against the draft's capacity, pretends a transfer
 * (saying so, and ending the try-out) and answers nothing after the end. */
#include <string.h>

#include "check.h"
#include "../../web/agent_try.h"

#include "core/xalloc.h"

/* Every day 09:00-17:00 in New York, one chair pair (capacity 2) on 30-minute slots. */
static const char draft_doc[] =
    "{\"config_version\": 1, \"business_name\": \"Try Cuts\", \"timezone\": \"America/New_York\","
    " \"greeting\": \"Hello from the draft.\","
    " \"hours\": {\"mon\": [{\"open\": \"09:00\", \"close\": \"17:00\"}],"
    "  \"tue\": [{\"open\": \"09:00\", \"close\": \"17:00\"}], \"wed\": [{\"open\": \"09:00\", \"close\": \"17:00\"}],"
    "  \"thu\": [{\"open\": \"09:00\", \"close\": \"17:00\"}], \"fri\": [{\"open\": \"09:00\", \"close\": \"17:00\"}],"
    "  \"sat\": [{\"open\": \"09:00\", \"close\": \"17:00\"}], \"sun\": [{\"open\": \"09:00\", \"close\": \"17:00\"}]},"
    " \"services\": [{\"name\": \"Haircut\", \"duration_minutes\": 30, \"price\": \"40.00\"}],"
    " \"booking\": {\"enabled\": true, \"lead_time_minutes\": 0, \"capacity_per_slot\": 2},"
    " \"escalation\": {\"transfer_number\": \"+13125550100\"}}";

/* Tuesday 1 December 2026, 10:00 in New York; Wednesday 10:00 is a day later. */
#define NOW_MS 1796137200000LL
#define WED_10_MS (NOW_MS + 86400000LL)

static struct agent_config *cfg;
static struct tz *zone;

static json_t *run(const struct try_facts *facts, const char *const *lines, size_t n)
{
    struct agent_try t = {.config = cfg, .tz = zone, .now_ms = NOW_MS, .facts = facts,
                          .lines = lines, .nlines = n};
    return agent_try_run(&t);
}

static const char *line_text(const json_t *body, size_t i, const char *field)
{
    const char *s = json_string_value(json_object_get(json_array_get(json_object_get(body, "transcript"), i),
                                                      field));
    return s ? s : "";
}

static void test_the_greeting_is_the_draft_s_and_the_try_out_goes_on(void)
{
    struct try_facts *facts = xcalloc(1, sizeof *facts);
    json_t *body = run(facts, NULL, 0);
    CHECK(body != NULL);
    CHECK_INT_EQ(json_array_size(json_object_get(body, "transcript")), 1);
    CHECK(strncmp(line_text(body, 0, "text"), "Hello from the draft.", 21) == 0);
    CHECK_STR_EQ(line_text(body, 0, "speaker"), "receptionist");
    CHECK(!json_is_true(json_object_get(body, "ended")));
    json_decref(body);
    free(facts);
}

/* The answer to a request for Wednesday 10:00 with n real bookings there. */
static json_t *ask_with_bookings(size_t n)
{
    static const char *const lines[] = {"I'd like a haircut tomorrow at 10 in the morning"};
    struct try_facts *facts = xcalloc(1, sizeof *facts);
    for (size_t i = 0; i < n; i++)
        facts->bookings[facts->nbookings++] = (struct try_booking){WED_10_MS, WED_10_MS + 1800000};
    json_t *body = run(facts, lines, 1);
    free(facts);
    return body;
}

static void test_a_slot_is_taken_only_once_the_real_bookings_fill_its_capacity(void)
{
    json_t *one = ask_with_bookings(1), *two = ask_with_bookings(2);
    CHECK(one != NULL && two != NULL);
    CHECK(strstr(line_text(one, 2, "text"), "taken") == NULL);
    CHECK(strstr(line_text(two, 2, "text"), "taken") != NULL);
    json_decref(one);
    json_decref(two);
}

static void test_a_transfer_is_pretended_said_and_ends_the_try_out(void)
{
    static const char *const lines[] = {"Can I talk to a real person please", "hello?"};
    struct try_facts *facts = xcalloc(1, sizeof *facts);
    json_t *body = run(facts, lines, 2);
    CHECK(body != NULL);
    CHECK(strstr(line_text(body, 2, "tryout"), "+13125550100") != NULL);
    CHECK(json_is_true(json_object_get(body, "ended")));
    CHECK_INT_EQ(json_array_size(json_object_get(body, "transcript")), 3);   /* "hello?" unanswered */
    json_decref(body);
    free(facts);
}

int main(void)
{
    char why[256];
    const char *tz_why = NULL;
    if (agent_config_parse(draft_doc, sizeof draft_doc - 1, &cfg, why, sizeof why) != APP_OK) {
        fprintf(stderr, "test document refused: %s\n", why);
        return 1;
    }
    zone = tz_create(NULL, "America/New_York", &tz_why);
    if (zone == NULL) {
        fprintf(stderr, "no America/New_York: %s\n", tz_why);
        return 1;
    }
    RUN(test_the_greeting_is_the_draft_s_and_the_try_out_goes_on);
    RUN(test_a_slot_is_taken_only_once_the_real_bookings_fill_its_capacity);
    RUN(test_a_transfer_is_pretended_said_and_ends_the_try_out);
    tz_free(zone);
    agent_config_free(cfg);
    return check_summary();
}
