/* tests/unit/test_rx_messages_and_more.c: caller conversations with the built-in
 * receptionist about everything but booking itself: taking a message (the name, the
 * callback number read back digit by digit, a number said in groups or as seven
 * digits, the message kept as the caller said it, a message that could not be saved, a
 * caller without caller ID), after hours for each business's setting (take a message,
 * forward, booking only), closures, "are you open now" and calls just before closing,
 * a request for a person in many words, turns not understood leading to a transfer or
 * not, cancelling and moving by phone ("I can't make it tomorrow", "I need to
 * reschedule", changing one's mind), small talk and mumbles, the three tones, and
 * goodbyes said many ways. Each call checks what a caller or the owner would listen
 * for; rx_call.h checks every reply for repetition and for another business's names.
 * Run from the repository root.
 *
 * 2026-03-02 is a Monday. */
#include "rx_call.h"

/* The dental clinic as an owner who never wants callers transferred for not being
 * understood (after_misunderstood_turns 0). */
static struct agent_config *dental_never_transfers;

/* ---- taking a message ---- */

static void test_plumber_takes_same_number_im_calling_from_as_a_yes(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    say(&c, "can someone call me back");
    say(&c, "it's dave");
    say(&c, "yeah same number i'm calling from");
    CHECK(c.mem.pending == RX_ASK_MSG_TEXT);
    say(&c, "my water heater is making a banging noise, want a quote");
    CHECK(c.out.tool.tool == RX_TOOL_TAKE_MESSAGE);
    CHECK_STR_EQ(c.out.tool.callback_number, "+12015550177");
    CHECK_STR_EQ(c.out.tool.caller_name, "Dave");
}

static void test_dental_keeps_the_whole_message_and_reads_back_name_and_number(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "leave a message please");
    say(&c, "my name is Anna Lopez");
    say(&c, "yes");
    const char *text = "tell doctor kim my daughter lost her retainer and we need a new one "
                       "before the trip on friday";
    say(&c, text);
    CHECK(c.out.tool.tool == RX_TOOL_TAKE_MESSAGE);
    CHECK_STR_EQ(c.out.tool.message, text);
    CHECK_STR_EQ(c.out.tool.caller_name, "Anna Lopez");
    struct rx_tool_result ok = result_of(&c, true);
    const char *r = tool_done(&c, &ok);
    CHECK(has(r, "Anna"));
    CHECK(has(r, "2 0 1, 5 5 5, 0 1 7 7"));
    CHECK(c.mem.has_left_message);
}

static void test_salon_reads_back_seven_digits_with_the_callers_area_code(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    say(&c, "can you have someone call me back");
    say(&c, "Jess");
    say(&c, "no call my cell");
    CHECK(c.mem.pending == RX_ASK_MSG_NUMBER);
    CHECK(has(say(&c, "five five five, nine eight seven six"), "2 0 1, 5 5 5, 9 8 7 6"));
}

static void test_dental_takes_a_whole_number_said_again_at_the_read_back(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "message for the hygienist please");
    say(&c, "Beth");
    CHECK(has(say(&c, "no it's 973 555 0100"), "9 7 3, 5 5 5, 0 1 0 0"));
    CHECK(has(say(&c, "no sorry, 973 555 0110"), "9 7 3, 5 5 5, 0 1 1 0"));
    say(&c, "yes");
    say(&c, "i'll be 10 minutes late");
    CHECK(c.out.tool.tool == RX_TOOL_TAKE_MESSAGE);
    CHECK_STR_EQ(c.out.tool.callback_number, "+19735550110");
    CHECK_STR_EQ(c.out.tool.message, "i'll be 10 minutes late");
}

static void test_plumber_does_not_claim_a_message_it_could_not_save(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    say(&c, "take a message");
    say(&c, "ed");
    say(&c, "yep");
    say(&c, "call me about the estimate");
    CHECK(c.out.tool.tool == RX_TOOL_TAKE_MESSAGE);
    struct rx_tool_result refused = result_of(&c, false);
    const char *r = tool_done(&c, &refused);
    CHECK(lacks(r, "passed your message on"));
    CHECK(!c.mem.has_left_message);
}

static void test_salon_yep_thats_it_at_the_number_read_back_is_a_yes_not_a_goodbye(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    say(&c, "can someone call me back at 312 555 0166");
    CHECK(has(say(&c, "it's Nina"), "3 1 2, 5 5 5, 0 1 6 6"));
    say(&c, "yep that's it");
    CHECK(!c.out.is_goodbye);
    CHECK(c.mem.pending == RX_ASK_MSG_TEXT);
}

static void test_plumber_does_not_take_why_do_you_need_my_name_as_a_name(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    say(&c, "leave a message");
    const char *r = say(&c, "why do you need my name");
    CHECK(c.mem.message_name[0] == '\0');
    CHECK(lacks(r, "Thanks, Why"));
    CHECK(c.mem.pending == RX_ASK_MSG_NAME);
}

static void test_plumber_puts_through_sewage_said_as_the_message(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    say(&c, "can i leave a message");
    say(&c, "Ray");
    say(&c, "yes");
    say(&c, "there's sewage coming up in the basement");
    CHECK(c.out.tool.tool == RX_TOOL_TRANSFER);
}

static void test_plumber_goodbye_at_the_number_offer_ends_the_call_without_a_message(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    say(&c, "can someone call me back");
    say(&c, "Lou");
    say(&c, "you know what, forget it, goodbye");
    CHECK(c.out.is_goodbye);
    CHECK(c.out.tool.tool != RX_TOOL_TAKE_MESSAGE);
}

/* ---- after hours, closures, open now ---- */

static void test_dental_on_saturday_says_it_is_closed_until_monday(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-07 10:00");
    CHECK(has(greet(&c), "closed"));
    const char *r = say(&c, "are you open right now?");
    CHECK(has(r, "closed"));
    CHECK(has(r, "Monday"));
}

static void test_dental_ten_minutes_before_friday_closing_is_open_until_2(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-06 13:50");
    CHECK(lacks(greet(&c), "closed"));
    const char *r = say(&c, "are you guys still open?");
    CHECK(lacks(r, "closed"));
    CHECK(has(r, "2 PM"));
}

static void test_dental_in_the_lunch_break_opens_again_at_1(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 12:20");
    greet(&c);
    CHECK(has(say(&c, "are you open now"), "1 PM"));
}

static void test_dental_just_after_friday_closing_is_closed_tomorrow_too(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-06 14:05");
    CHECK(has(greet(&c), "Monday"));
    CHECK(has(say(&c, "are you open tomorrow"), "closed"));
}

static void test_dental_five_minutes_before_closing_says_5_pm(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 16:55");
    greet(&c);
    CHECK(has(say(&c, "hi what time do you close"), "5 PM"));
}

static void test_dental_twenty_minutes_before_closing_books_nothing_today(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 16:40");
    greet(&c);
    const char *r = say(&c, "can i get a cleaning today");
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
    CHECK(has(r, "tomorrow"));
    CHECK(lacks(r, "today at"));
}

static void test_salon_on_its_closed_monday_books_instead_of_taking_a_message(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-02 11:00");
    CHECK(has(greet(&c), "Tuesday"));
    const char *r = say(&c, "can i leave a message for Jenny");
    CHECK(c.mem.task != RX_TASK_MESSAGE);
    CHECK(has(r, "book"));
    say(&c, "sure, a trim on wednesday at 3");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.service, "Women's haircut");
    CHECK_STR_EQ(c.out.tool.day, "2026-03-04");
    CHECK_STR_EQ(c.out.tool.time, "15:00");
}

static void test_salon_on_thanksgiving_says_why_it_is_closed(void)
{
    struct call c;
    call_start(&c, SALON, "2025-11-27 11:00");
    CHECK(has(greet(&c), "closed"));
    const char *r = say(&c, "are you open today?");
    CHECK(has(r, "Thanksgiving"));
    CHECK(has(r, "tomorrow"));
}

static void test_salon_on_sunday_evening_opens_next_on_tuesday(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-01 17:30");
    CHECK(has(greet(&c), "Tuesday"));
    const char *r = say(&c, "when do you open next");
    CHECK(has(r, "Tuesday"));
    CHECK(lacks(r, "tomorrow at 10"));
}

static void test_dental_on_christmas_names_the_closure(void)
{
    struct call c;
    call_start(&c, DENTAL, "2025-12-25 10:00");
    CHECK(has(greet(&c), "message"));
    CHECK(has(say(&c, "wait are you open today"), "Christmas"));
}

static void test_plumber_on_christmas_puts_the_caller_through_to_the_on_call_line(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2025-12-25 10:00");
    const char *g = greet(&c);
    CHECK(has(g, "closed"));
    CHECK(c.out.tool.tool == RX_TOOL_TRANSFER);
}

/* ---- a person ---- */

static void test_dental_puts_through_a_real_person(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "can i just talk to a real person please");
    CHECK(c.out.tool.tool == RX_TOOL_TRANSFER);
}

static void test_plumber_puts_through_representative_said_alone_in_few_words(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    const char *r = say(&c, "representative");
    CHECK(c.out.tool.tool == RX_TOOL_TRANSFER);
    CHECK(strlen(r) < 40);                     /* brief */
}

static void test_salon_with_a_fallback_number_puts_the_operator_request_through(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    snprintf(c.fallback, sizeof c.fallback, "+13125550100");
    greet(&c);
    say(&c, "operator");
    CHECK(c.out.tool.tool == RX_TOOL_TRANSFER);
}

static void test_plumber_puts_through_is_this_a_robot_i_want_a_human(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    say(&c, "is this a robot? i want to speak to a human");
    CHECK(c.out.tool.tool == RX_TOOL_TRANSFER);
}

static void test_dental_after_hours_takes_a_message_for_the_manager(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 18:00");
    greet(&c);
    const char *r = say(&c, "let me speak to the manager");
    CHECK(c.out.tool.tool != RX_TOOL_TRANSFER);
    CHECK(has(r, "message"));
    CHECK(lacks(r, "transfer"));
    CHECK(c.mem.task == RX_TASK_MESSAGE);
}

static void test_dental_does_not_transfer_when_an_understood_turn_breaks_the_run(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "blorf");
    say(&c, "the purple one");
    say(&c, "what time do you close today");
    CHECK(!c.out.is_misunderstood);
    say(&c, "zebra crossing");
    say(&c, "banana");
    CHECK(c.out.tool.tool != RX_TOOL_TRANSFER);
}

static void test_plumber_transfers_after_two_turns_not_understood(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    say(&c, "yeah so the thing under the thing");
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
    say(&c, "you know the gurgly bit");
    CHECK(c.out.tool.tool == RX_TOOL_TRANSFER);
}

static void test_dental_puts_through_an_angry_caller_who_swears_for_a_person(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "this is damn ridiculous, just get me a person");
    CHECK(c.out.tool.tool == RX_TOOL_TRANSFER);
}

static void test_dental_puts_through_can_i_speak_with_the_dentist(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "can i speak with the dentist");
    CHECK(c.out.tool.tool == RX_TOOL_TRANSFER);
}

/* ---- cancel and move ---- */

static struct rx_tool_result booking_found(const struct call *c, const char *service,
                                           struct civil_date day, int minute)
{
    struct rx_tool_result r = result_of(c, true);
    snprintf(r.service, sizeof r.service, "%s", service);
    r.day = day;
    r.minute = minute;
    return r;
}

static void test_dental_cancels_for_i_cant_make_it_tomorrow(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    CHECK(has(say(&c, "hi, i can't make it tomorrow"), "cancel"));
    CHECK(c.out.tool.tool == RX_TOOL_NONE);          /* not before the caller confirms */
    say(&c, "yes please");
    CHECK(c.out.tool.tool == RX_TOOL_CANCEL);
    struct rx_tool_result found = booking_found(&c, "Filling", (struct civil_date){2026, 3, 3}, 14 * 60);
    const char *r = tool_done(&c, &found);
    CHECK(has(r, "filling"));
    CHECK(has(r, "tomorrow"));
    CHECK(has(r, "2 PM"));
}

static void test_plumber_reschedules_a_drain_cleaning_to_friday_at_11(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    say(&c, "yeah i need to reschedule");
    say(&c, "yep");
    CHECK(c.out.tool.tool == RX_TOOL_CANCEL);
    struct rx_tool_result found = booking_found(&c, "Drain cleaning", (struct civil_date){2026, 3, 3}, 9 * 60);
    tool_done(&c, &found);
    say(&c, "friday at 11");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.service, "Drain cleaning");
    CHECK_STR_EQ(c.out.tool.day, "2026-03-06");
    CHECK_STR_EQ(c.out.tool.time, "11:00");
}

static void test_dental_keeps_the_appointment_when_the_caller_says_keep_it(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "i need to cancel my appointment");
    const char *r = say(&c, "actually no, keep it");
    CHECK(c.out.tool.tool != RX_TOOL_CANCEL);
    CHECK(has(r, "left your appointment"));
    CHECK(c.mem.task == RX_TASK_NONE);
}

static void test_salon_offers_a_message_when_no_booking_is_found_and_takes_it(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    say(&c, "i want to cancel my color appointment");
    say(&c, "yes");
    struct rx_tool_result none = result_of(&c, false);
    CHECK(has(tool_done(&c, &none), "message"));
    say(&c, "yeah ok");
    CHECK(c.mem.task == RX_TASK_MESSAGE);
    CHECK(c.mem.pending == RX_ASK_MSG_NAME);
}

static void test_plumber_no_thanks_to_a_message_after_no_booking_is_found(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    say(&c, "i gotta reschedule my appointment");
    say(&c, "yes");
    struct rx_tool_result none = result_of(&c, false);
    tool_done(&c, &none);
    say(&c, "no thanks");
    CHECK(!c.out.is_misunderstood);
    CHECK(c.mem.task == RX_TASK_NONE);
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
}

static void test_dental_change_my_appointment_to_next_week_cancels_then_books(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "i'd like to change my appointment to next week");
    CHECK(c.mem.pending == RX_ASK_CONFIRM_MOVE);
    say(&c, "yes");
    struct rx_tool_result found = booking_found(&c, "Cleaning", (struct civil_date){2026, 3, 4}, 9 * 60);
    CHECK(has(tool_done(&c, &found), "cancelled your cleaning"));
    CHECK(c.mem.task == RX_TASK_BOOKING);
}

static void test_plumber_cancels_wednesdays_visit_and_says_goodbye(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    say(&c, "something came up and i have to cancel the appointment for wednesday");
    CHECK(c.mem.pending == RX_ASK_CONFIRM_CANCEL);
    say(&c, "yes");
    struct rx_tool_result found = booking_found(&c, "Service call", (struct civil_date){2026, 3, 4}, 7 * 60);
    const char *r = tool_done(&c, &found);
    CHECK(has(r, "Wednesday"));
    CHECK(has(r, "7 AM"));
    say(&c, "no that's it thanks");
    CHECK(c.out.is_goodbye);
}

static void test_salon_moves_a_haircut_after_hours(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-02 20:00");
    greet(&c);
    say(&c, "i need to reschedule my haircut");
    CHECK(c.mem.pending == RX_ASK_CONFIRM_MOVE);
}

static void test_salon_never_mind_after_the_old_booking_is_cancelled_books_nothing(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    say(&c, "hi i need to move my appointment");
    say(&c, "yes");
    struct rx_tool_result found = booking_found(&c, "Color", (struct civil_date){2026, 3, 5}, 11 * 60);
    tool_done(&c, &found);
    say(&c, "actually never mind, i'll call back when i know my schedule");
    CHECK(!c.out.is_misunderstood);
    CHECK(c.mem.task == RX_TASK_NONE);
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
}

static void test_dental_without_caller_id_takes_a_message_and_asks_the_number(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    c.caller[0] = '\0';
    greet(&c);
    CHECK(has(say(&c, "i need to cancel my appointment"), "message"));
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
    say(&c, "sure");
    say(&c, "Ivan Petrov");
    CHECK(c.mem.pending == RX_ASK_MSG_NUMBER);
    CHECK(has(say(&c, "646 555 0102"), "6 4 6, 5 5 5, 0 1 0 2"));
}

/* ---- not understood, small talk, tone ---- */

static void test_plumber_um_asks_again_without_hanging_up(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    const char *r = say(&c, "um");
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
    CHECK(!c.out.is_goodbye);
    CHECK(lacks(r, "bye"));
}

static void test_dental_hello_question_is_greeted_back(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "hello?");
    CHECK(!c.out.is_misunderstood);
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
}

static void test_salon_does_not_thank_a_caller_who_swears(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    const char *r = say(&c, "this is such bullshit");
    CHECK(lacks(r, "welcome"));
    CHECK(lacks(r, "great"));
    CHECK(lacks(r, "pleasure"));
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
}

static void test_dental_asks_the_name_again_after_uh(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "leave a message");
    CHECK(has(say(&c, "uh"), "name"));
    CHECK(c.mem.message_name[0] == '\0');
}

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

static void test_dental_stays_formal_over_four_mumbles(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    c.ctx.config = dental_never_transfers;
    CHECK(c.ctx.config->escalation.after_misunderstood_turns == 0);
    greet(&c);
    static const char *const mumbles[] = {"uh", "hmm", "what", "erm"};
    for (int i = 0; i < 4; i++) {
        const char *r = say(&c, mumbles[i]);
        CHECK(lacks(r, "Hmm"));
        CHECK(lacks(r, "Yeah"));
        CHECK(lacks(r, "Hey"));
        CHECK(c.out.tool.tool == RX_TOOL_NONE);
    }
}

static void test_dental_asks_for_a_message_name_formally(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    const char *r = say(&c, "i want to leave a message");
    CHECK(has(r, "name"));
    CHECK(lacks(r, "Hey"));
    CHECK(lacks(r, "Cool"));
}

/* ---- goodbyes ---- */

static void test_dental_thats_it_thanks_ends_the_call(void)
{
    check_goodbye_after(DENTAL, "2026-03-02 10:00", "do you take insurance", "that's it thanks");
}

static void test_salon_no_thats_everything_ends_the_call(void)
{
    check_goodbye_after(SALON, "2026-03-03 12:00", "do you take walk ins", "no that's everything");
}

static void test_dental_nope_im_good_thanks_ends_the_call(void)
{
    check_goodbye_after(DENTAL, "2026-03-02 10:00", "is there parking", "nope i'm good thanks");
}

static void test_dental_thank_you_so_much_bye_bye_ends_the_call(void)
{
    check_goodbye_after(DENTAL, "2026-03-02 10:00", "what's your address",
                        "alright thank you so much bye bye");
}

static void test_dental_no_thats_all_i_needed_to_a_booking_offer_ends_the_call(void)
{
    check_goodbye_after(DENTAL, "2026-03-02 10:00", "how much is whitening", "no, that's all i needed");
}

static void test_salon_ok_cheers_bye_ends_the_call(void)
{
    check_goodbye_after(SALON, "2026-03-03 12:00", "what time do you close today", "ok cheers, bye");
}

static void test_salon_cheers_alone_is_a_thank_you(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    say(&c, "how much is a beard trim");
    say(&c, "cheers");
    CHECK(!c.out.is_misunderstood);
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
    CHECK(c.mem.task == RX_TASK_NONE);
}

static void test_salon_im_all_set_thank_you_is_not_misunderstood(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    say(&c, "what products do you use");
    say(&c, "i'm all set, thank you");
    CHECK(!c.out.is_misunderstood);
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
}

static void test_dental_no_thats_everything_after_a_message_ends_the_call(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "can someone call me back, this is Omar");
    say(&c, "yes");
    say(&c, "about my invoice");
    CHECK(c.out.tool.tool == RX_TOOL_TAKE_MESSAGE);
    CHECK_STR_EQ(c.out.tool.caller_name, "Omar");
    struct rx_tool_result ok = result_of(&c, true);
    tool_done(&c, &ok);
    say(&c, "no that's everything, thanks");
    CHECK(c.out.is_goodbye);
}

int main(void)
{
    if (!rx_load_examples())
        return 1;
    dental_never_transfers = example_config_edited(
        "dental-clinic.json", "\"after_misunderstood_turns\": 3", "\"after_misunderstood_turns\": 0");
    if (dental_never_transfers == NULL) {
        fprintf(stderr, "cannot build the dental clinic without a misunderstood limit\n");
        rx_free_examples();
        return 1;
    }
    RUN(test_plumber_takes_same_number_im_calling_from_as_a_yes);
    RUN(test_dental_keeps_the_whole_message_and_reads_back_name_and_number);
    RUN(test_salon_reads_back_seven_digits_with_the_callers_area_code);
    RUN(test_dental_takes_a_whole_number_said_again_at_the_read_back);
    RUN(test_plumber_does_not_claim_a_message_it_could_not_save);
    RUN(test_salon_yep_thats_it_at_the_number_read_back_is_a_yes_not_a_goodbye);
    RUN(test_plumber_does_not_take_why_do_you_need_my_name_as_a_name);
    RUN(test_plumber_puts_through_sewage_said_as_the_message);
    RUN(test_plumber_goodbye_at_the_number_offer_ends_the_call_without_a_message);
    RUN(test_dental_on_saturday_says_it_is_closed_until_monday);
    RUN(test_dental_ten_minutes_before_friday_closing_is_open_until_2);
    RUN(test_dental_in_the_lunch_break_opens_again_at_1);
    RUN(test_dental_just_after_friday_closing_is_closed_tomorrow_too);
    RUN(test_dental_five_minutes_before_closing_says_5_pm);
    RUN(test_dental_twenty_minutes_before_closing_books_nothing_today);
    RUN(test_salon_on_its_closed_monday_books_instead_of_taking_a_message);
    RUN(test_salon_on_thanksgiving_says_why_it_is_closed);
    RUN(test_salon_on_sunday_evening_opens_next_on_tuesday);
    RUN(test_dental_on_christmas_names_the_closure);
    RUN(test_plumber_on_christmas_puts_the_caller_through_to_the_on_call_line);
    RUN(test_dental_puts_through_a_real_person);
    RUN(test_plumber_puts_through_representative_said_alone_in_few_words);
    RUN(test_salon_with_a_fallback_number_puts_the_operator_request_through);
    RUN(test_plumber_puts_through_is_this_a_robot_i_want_a_human);
    RUN(test_dental_after_hours_takes_a_message_for_the_manager);
    RUN(test_dental_does_not_transfer_when_an_understood_turn_breaks_the_run);
    RUN(test_plumber_transfers_after_two_turns_not_understood);
    RUN(test_dental_puts_through_an_angry_caller_who_swears_for_a_person);
    RUN(test_dental_puts_through_can_i_speak_with_the_dentist);
    RUN(test_dental_cancels_for_i_cant_make_it_tomorrow);
    RUN(test_plumber_reschedules_a_drain_cleaning_to_friday_at_11);
    RUN(test_dental_keeps_the_appointment_when_the_caller_says_keep_it);
    RUN(test_salon_offers_a_message_when_no_booking_is_found_and_takes_it);
    RUN(test_plumber_no_thanks_to_a_message_after_no_booking_is_found);
    RUN(test_dental_change_my_appointment_to_next_week_cancels_then_books);
    RUN(test_plumber_cancels_wednesdays_visit_and_says_goodbye);
    RUN(test_salon_moves_a_haircut_after_hours);
    RUN(test_salon_never_mind_after_the_old_booking_is_cancelled_books_nothing);
    RUN(test_dental_without_caller_id_takes_a_message_and_asks_the_number);
    RUN(test_plumber_um_asks_again_without_hanging_up);
    RUN(test_dental_hello_question_is_greeted_back);
    RUN(test_salon_does_not_thank_a_caller_who_swears);
    RUN(test_dental_asks_the_name_again_after_uh);
    RUN(test_plumber_is_shorter_than_dental_when_it_did_not_understand);
    RUN(test_dental_stays_formal_over_four_mumbles);
    RUN(test_dental_asks_for_a_message_name_formally);
    RUN(test_dental_thats_it_thanks_ends_the_call);
    RUN(test_salon_no_thats_everything_ends_the_call);
    RUN(test_dental_nope_im_good_thanks_ends_the_call);
    RUN(test_dental_thank_you_so_much_bye_bye_ends_the_call);
    RUN(test_dental_no_thats_all_i_needed_to_a_booking_offer_ends_the_call);
    RUN(test_salon_ok_cheers_bye_ends_the_call);
    RUN(test_salon_cheers_alone_is_a_thank_you);
    RUN(test_salon_im_all_set_thank_you_is_not_misunderstood);
    RUN(test_dental_no_thats_everything_after_a_message_ends_the_call);
    agent_config_free(dental_never_transfers);
    rx_free_examples();
    return check_summary();
}
