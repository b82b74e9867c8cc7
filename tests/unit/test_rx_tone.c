/* tests/unit/test_rx_tone.c: the built-in receptionist speaks in each business's tone: the
 * plumber (brief) says less than the dental clinic (formal) in the same moment of a call.
 * These compare two calls' replies, which the conversation scripts (tests/unit/rx/) do
 * not; every other conversation is a script. Run from the repository root.
 * 2026-03-02 is a Monday. */
#include "rx_call.h"

static void test_plumber_is_shorter_than_dental_when_it_did_not_understand(void)
{
    struct call a, b;
    call_start(&a, PLUMBER, "2026-03-02 10:00");
    call_start(&b, DENTAL, "2026-03-02 10:00");
    greet(&a);
    greet(&b);
    const char *brief = say(&a, "flurb");
    const char *formal = say(&b, "flurb");
    CHECK(strlen(brief) < strlen(formal));
}

static void test_goodbye_in_the_business_tone(void)
{
    struct call dental, salon, plumber;
    call_start(&dental, DENTAL, "2026-03-02 10:00");
    call_start(&salon, SALON, "2026-03-03 12:00");
    call_start(&plumber, PLUMBER, "2026-03-02 10:00");
    greet(&dental);
    greet(&salon);
    greet(&plumber);
    CHECK(has(say(&dental, "that's all, thanks, bye"), "Thank you for calling Bright Smile Dental."));
    CHECK(dental.out.is_goodbye);
    CHECK(has(say(&salon, "ok bye!"), "Studio Nine Hair"));
    CHECK(salon.out.is_goodbye);
    say(&plumber, "goodbye");
    CHECK(plumber.out.is_goodbye);
    CHECK(strlen(plumber.out.say) < strlen(dental.out.say));
}

int main(void)
{
    if (!rx_load_examples())
        return 1;
    RUN(test_plumber_is_shorter_than_dental_when_it_did_not_understand);
    RUN(test_goodbye_in_the_business_tone);
    rx_free_examples();
    return check_summary();
}
