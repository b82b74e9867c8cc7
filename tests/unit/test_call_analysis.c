/* tests/unit/test_call_analysis.c: lead scores, upsells and summaries of whole
 * conversations with the built-in receptionist (lib/call/call_analysis.c), on the example
 * businesses of docs/examples/. Run from the repository root. */
#include "call/call_analysis.h"
#include "rx_call.h"

static void analyse(const struct call *c, const char *outcome, struct call_analysis *a)
{
    call_analysis_run(bizzes[c->biz], &c->mem, c->caller, outcome, a);
    if (getenv("RX_VERBOSE") != NULL)
        printf("    score %d: %s\n    summary: %s\n", a->score, a->reasons, a->summary);
}

static void test_a_booking_scores_high_and_names_the_upsells_with_the_callers_words(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "how much is a teeth cleaning?");
    say(&c, "great, can I book one tomorrow at 2:30 in the afternoon");
    struct rx_tool_result free_slot = result_of(&c, true);
    tool_done(&c, &free_slot);
    say(&c, "Jane Doe");
    say(&c, "yes");
    struct rx_tool_result booked = result_of(&c, true);
    tool_done(&c, &booked);
    CHECK(c.mem.has_booked);
    struct call_analysis a;
    analyse(&c, "completed", &a);
    CHECK(a.score >= 70);
    CHECK(has(a.reasons, "booked Cleaning"));
    CHECK(has(a.reasons, "asked about prices"));
    /* the dental cleaning's upsells are Whitening and X-rays, neither asked for */
    CHECK_INT_EQ(a.nupsells, 2);
    CHECK_STR_EQ(a.upsells[0].service, "Cleaning");
    CHECK_STR_EQ(a.upsells[0].suggested, "Whitening");
    CHECK_STR_EQ(a.upsells[1].suggested, "X-rays");
    CHECK_STR_EQ(a.upsells[0].evidence, "\"how much is a teeth cleaning?\"");
    CHECK(has(a.summary, "Jane Doe (+12015550177) spoke 4 times."));
    CHECK(has(a.summary, "Booked Cleaning for Tuesday, March 3rd at 2:30 PM."));
    char text[480];
    call_analysis_owner_text(&a, bizzes[DENTAL]->business_name, text, sizeof text);
    CHECK(has(text, "Bright Smile Dental call:") && has(text, "Lead score"));
}

static void test_an_upsell_the_caller_asked_for_is_not_an_opportunity(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    say(&c, "how much is a women's haircut and a blowout?");
    struct call_analysis a;
    analyse(&c, "completed", &a);
    CHECK_INT_EQ(a.nupsells, 1);                 /* Deep conditioning; Blowout was asked */
    CHECK_STR_EQ(a.upsells[0].suggested, "Deep conditioning");
    CHECK(a.score > 10 && a.score < 60);
    CHECK(lacks(a.reasons, "booked"));
}

static void test_a_silent_caller_scores_zero(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-03 09:00");
    greet(&c);
    struct call_analysis a;
    analyse(&c, "abandoned", &a);
    CHECK_INT_EQ(a.score, 0);
    CHECK_INT_EQ(a.nupsells, 0);
    CHECK(has(a.reasons, "said nothing"));
    CHECK(has(a.summary, "said nothing"));
}

static void test_a_text_conversation_has_no_greeting_and_its_one_question_counts(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    say(&c, "Hi, do you do teeth whitening? How much is it?");
    struct call_analysis a;
    analyse(&c, "text", &a);
    CHECK(lacks(a.reasons, "said nothing"));
    CHECK(has(a.reasons, "asked about prices"));
    CHECK(a.score > 0);
    CHECK(has(a.summary, "spoke 1 time."));
}

static void test_a_message_is_in_the_summary_with_its_callback_number(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "Can I leave a message?");
    say(&c, "Sam Lee");
    say(&c, "yes");
    say(&c, "Please call me about my crown");
    CHECK(c.out.tool.tool == RX_TOOL_TAKE_MESSAGE);
    struct rx_tool_result kept = result_of(&c, true);
    tool_done(&c, &kept);
    CHECK(c.mem.has_left_message);
    struct call_analysis a;
    analyse(&c, "completed", &a);
    CHECK(has(a.reasons, "left a message"));
    CHECK(has(a.summary, "Sam Lee"));
    CHECK(has(a.summary, "crown"));
    CHECK(has(a.summary, "+12015550177"));
}

static void test_an_emergency_transfer_is_urgent(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "this is an emergency, my tooth is bleeding");
    struct call_analysis a;
    analyse(&c, "transferred", &a);
    CHECK(has(a.reasons, "urgent"));
    CHECK(has(a.summary, "Transferred to a person (urgent)"));
}

static void test_the_same_call_always_analyses_the_same(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    say(&c, "do you do color?");
    struct call_analysis a, b;
    analyse(&c, "completed", &a);
    analyse(&c, "completed", &b);
    CHECK(memcmp(&a, &b, sizeof a) == 0);
}

int main(void)
{
    if (!rx_load_examples())
        return 1;
    RUN(test_a_booking_scores_high_and_names_the_upsells_with_the_callers_words);
    RUN(test_an_upsell_the_caller_asked_for_is_not_an_opportunity);
    RUN(test_a_silent_caller_scores_zero);
    RUN(test_a_text_conversation_has_no_greeting_and_its_one_question_counts);
    RUN(test_a_message_is_in_the_summary_with_its_callback_number);
    RUN(test_an_emergency_transfer_is_urgent);
    RUN(test_the_same_call_always_analyses_the_same);
    rx_free_examples();
    return check_summary();
}
