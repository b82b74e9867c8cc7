/* Unit tests: callers correcting, choosing and changing their mind while booking with
 * the built-in receptionist ("no, make it ten", "the later one", "neither of those",
 * "make that a whitening instead", "never mind", a question at the read-back, moving
 * to a named day, a spelled name, "the earliest you can get me in"), and questions
 * that name an appointment without asking for one ("how long is a color
 * appointment?"). Each test's comment says what the receptionist used to answer.
 * 2026-03-02 is a Monday. */
#include "rx_call.h"

/* At the read-back "no make it ten" wipes the day and asks "What day and time would
 * suit you better?"; "actually make it ten" is not understood. */
static void test_make_it_ten_at_the_read_back_checks_ten_on_the_same_day(void)
{
    static const char *const fixes[] = {"no make it ten", "actually make it ten",
                                        "no can we do 10 instead"};
    for (int i = 0; i < 3; i++) {
        struct call c;
        call_start(&c, DENTAL, "2026-03-02 10:00");
        greet(&c);
        say(&c, "can i book a cleaning thursday at 9 this is Priya Patel");
        struct rx_tool_result ok = free_at(&c, 9 * 60);
        tool_done(&c, &ok);
        say(&c, fixes[i]);
        CHECK(!c.out.is_misunderstood);
        CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
        CHECK_STR_EQ(c.out.tool.day, "2026-03-05");
        CHECK_STR_EQ(c.out.tool.time, "10:00");
    }
}

/* "actually can we do five instead" is not understood; the read-back is said again
 * with 4:30 PM and the caller's "yes" books 4:30 PM. */
static void test_salon_can_we_do_five_instead_does_not_book_the_old_time(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    say(&c, "i need a trim uh tomorrow at like four thirty");
    struct rx_tool_result ok = free_at(&c, 16 * 60 + 30);
    tool_done(&c, &ok);
    say(&c, "this is Sam Lee");
    say(&c, "actually can we do five instead");
    CHECK(!c.out.is_misunderstood);
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.time, "17:00");
}

/* "the later one" / "the earlier one" are heard as one o'clock: with 1:30 PM and 3 PM
 * offered, both check 1 PM (not offered); with 1 PM and 3 PM offered, "the later one"
 * takes 1 PM. */
static void test_the_later_one_is_the_later_time_offered_not_one_o_clock(void)
{
    static const char *const picks[] = {"the earlier one", "the later one", "the later one please"};
    static const int want[] = {13 * 60 + 30, 15 * 60, 15 * 60};
    for (int i = 0; i < 3; i++) {
        struct call c;
        call_start(&c, DENTAL, "2026-03-02 10:00");
        greet(&c);
        say(&c, "cleaning thursday at 2");
        struct rx_tool_result taken = result_of(&c, false);
        taken.free_minutes[0] = 13 * 60 + 30;
        taken.free_minutes[1] = 15 * 60;
        taken.nfree = 2;
        CHECK(has(tool_done(&c, &taken), "1:30 PM or 3 PM"));
        say(&c, picks[i]);
        CHECK(c.out.tool.tool == RX_TOOL_NONE);
        CHECK(c.mem.minute == want[i]);
    }
}

/* "neither of those work for me" gets "I did not understand. Which of those times
 * would you like: 1 PM or 3 PM?" */
static void test_neither_of_the_offered_times_asks_for_another_time(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "cleaning thursday at 2");
    struct rx_tool_result taken = result_of(&c, false);
    taken.free_minutes[0] = 13 * 60;
    taken.free_minutes[1] = 15 * 60;
    taken.nfree = 2;
    tool_done(&c, &taken);
    const char *r = say(&c, "neither of those work for me");
    CHECK(!c.out.is_misunderstood);
    CHECK(lacks(r, "did not understand"));
    CHECK(c.mem.pending == RX_ASK_DAY || c.mem.pending == RX_ASK_TIME);
}

/* "actually make that a whitening instead" at the time question is ignored: "Again:
 * What time would suit you on Thursday ...", and the booking stays a cleaning. */
static void test_make_that_a_whitening_instead_changes_the_service(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "i'd like to book a cleaning");
    say(&c, "thursday");
    const char *r = say(&c, "actually make that a whitening instead");
    CHECK(has(r, "whitening"));
    CHECK(lacks(r, "Again"));
    CHECK(c.mem.service_index == 2);
}

/* "never mind" while asked for a day: "My apologies, I did not catch that. What day
 * would you prefer?" */
static void test_never_mind_drops_the_booking(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "i'd like to book a cleaning");
    say(&c, "never mind");
    CHECK(!c.out.is_misunderstood);
    CHECK(c.mem.task == RX_TASK_NONE);
    CHECK(c.mem.pending != RX_ASK_DAY);
}

/* "no wait, what's the cancellation policy" at the read-back drops the day and time
 * ("No problem. What day and time would suit you better?") without answering; the
 * caller's "yes book it" is then not understood. */
static void test_a_question_at_the_read_back_is_answered_and_the_booking_kept(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    say(&c, "can i come in today at 2 for a blowout");
    struct rx_tool_result ok = free_at(&c, 14 * 60);
    tool_done(&c, &ok);
    say(&c, "Lee");
    const char *r = say(&c, "no wait, what's the cancellation policy");
    CHECK(has(r, "12 hours ahead"));
    say(&c, "yes book it");
    CHECK(c.out.tool.tool == RX_TOOL_BOOK);
    CHECK_STR_EQ(c.out.tool.time, "14:00");
}

/* "can i move my appointment to thursday": after the old booking is found, "What day
 * and time would you like instead?", and "at 11" gets "On which day ...?" */
static void test_move_to_thursday_keeps_thursday_for_the_new_booking(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "can i move my appointment to thursday");
    say(&c, "yes");
    CHECK(c.out.tool.tool == RX_TOOL_CANCEL);
    struct rx_tool_result found = result_of(&c, true);
    snprintf(found.service, sizeof found.service, "Cleaning");
    found.day = (struct civil_date){2026, 3, 4};
    found.minute = 9 * 60;
    const char *r = tool_done(&c, &found);
    CHECK(has(r, "Thursday"));
    say(&c, "at 11");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.day, "2026-03-05");
    CHECK_STR_EQ(c.out.tool.time, "11:00");
}

/* "it's Kate, K A T E" books for "Kate K"; "Smith, S M I T H, John Smith" is not
 * understood at the name question. */
static void test_a_spelled_name_is_not_taken_as_initials(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    say(&c, "hey um can i get a haircut like saturday around 11");
    struct rx_tool_result ok = free_at(&c, 11 * 60);
    tool_done(&c, &ok);
    const char *r = say(&c, "it's Kate, K A T E");
    CHECK(lacks(r, "Kate K"));
    CHECK_STR_EQ(c.mem.caller_name, "Kate");
    struct call d;
    call_start(&d, DENTAL, "2026-03-02 10:00");
    greet(&d);
    say(&d, "cleaning tuesday at 1");
    ok = free_at(&d, 13 * 60);
    tool_done(&d, &ok);
    r = say(&d, "Smith, S M I T H, John Smith");
    CHECK(!d.out.is_misunderstood);
    CHECK(has(r, "John Smith"));
}

/* "what's the earliest you can get me in for a cleaning" gets "On which day would you
 * like to come in?" */
static void test_dental_earliest_you_can_get_me_in_checks_the_first_open_day(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "what's the earliest you can get me in for a cleaning");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.day, "2026-03-02");          /* today: open, with time left */
    struct call late;
    call_start(&late, DENTAL, "2026-03-06 12:45");       /* Friday, closing at 2 */
    greet(&late);
    say(&late, "what's the soonest you can fit me in for a cleaning");
    CHECK(late.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(late.out.tool.day, "2026-03-09");       /* Monday: closed at the weekend */
}

/* Refusing a time says the day's hours twice in one reply: "I can't book that at noon;
 * on Wednesday, March 4th we're open 8 AM to noon and 1 PM to 7 PM, and cleaning takes
 * 60 minutes. What time would suit you on Wednesday, March 4th? We're open 8 AM to noon
 * and 1 PM to 7 PM." */
static void test_a_refused_time_says_the_hours_once(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    const char *r = say(&c, "can i come in for a cleaning at noon on wednesday");
    const char *once = strstr(r, "1 PM to 7 PM");
    CHECK(once != NULL && strstr(once + 1, "1 PM to 7 PM") == NULL);
}

/* "how long is a color appointment" started a booking ("Which day works best for
 * you?") instead of saying how long. */
static void test_salon_how_long_is_a_color_appointment_says_how_long(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    const char *r = say(&c, "how long is a color appointment");
    CHECK(has(r, "120 minutes"));
    CHECK(c.mem.task == RX_TASK_NONE);
    r = say(&c, "ok and can i book one for friday at 2");
    CHECK(c.mem.task == RX_TASK_BOOKING);
}

int main(void)
{
    if (!rx_load_examples())
        return 1;
    RUN(test_make_it_ten_at_the_read_back_checks_ten_on_the_same_day);
    RUN(test_salon_can_we_do_five_instead_does_not_book_the_old_time);
    RUN(test_the_later_one_is_the_later_time_offered_not_one_o_clock);
    RUN(test_neither_of_the_offered_times_asks_for_another_time);
    RUN(test_make_that_a_whitening_instead_changes_the_service);
    RUN(test_never_mind_drops_the_booking);
    RUN(test_a_question_at_the_read_back_is_answered_and_the_booking_kept);
    RUN(test_move_to_thursday_keeps_thursday_for_the_new_booking);
    RUN(test_a_spelled_name_is_not_taken_as_initials);
    RUN(test_dental_earliest_you_can_get_me_in_checks_the_first_open_day);
    RUN(test_a_refused_time_says_the_hours_once);
    RUN(test_salon_how_long_is_a_color_appointment_says_how_long);
    rx_free_examples();
    return check_summary();
}
