/* Unit tests: the built-in receptionist's replies outside a booking that callers found
 * wrong: a message for the manager or the owner is taken, not transferred; "yes please"
 * to the after-hours offer of a message; a person asked for in other words ("speak to
 * Doctor Kim", "agent") and not asked for ("I don't need a human"); cancelling and
 * moving in other words; five turns not understood, each worded afresh; small talk
 * ("how are you", "is this a robot?", "can you hear me?"); goodbyes in other words; a
 * message announced once when no one can take the call; a question at the cancel
 * confirmation; "right now" when no time is left today; "sorry, can you repeat that?".
 * Each test's comment says what the receptionist used to answer. 2026-03-02 is a Monday. */
#include "rx_call.h"

static struct agent_config *dental_never_transfers;

/* The message is "please have the office manager call me about my bill": answered
 * "Of course. Please hold while I transfer you." [transfer]. The caller asked for a
 * message, not a transfer. dispatch() tests person_words before rx_message_turn(). */
static void test_a_message_that_names_the_manager_is_taken_not_transferred(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "i'd like to leave a message");
    say(&c, "Henry Ford");
    say(&c, "yes");
    say(&c, "please have the office manager call me about my bill");
    CHECK(c.out.tool.tool == RX_TOOL_TAKE_MESSAGE);
    CHECK(ci_find(c.out.tool.message, "bill") != NULL);
}

/* "can i leave a message for the owner": "Putting you through." [transfer]. The caller
 * asked to leave a message. dispatch(): "the owner" in person_words wins over
 * rx_message_is_request(). */
static void test_leave_a_message_for_the_owner_takes_a_message(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    say(&c, "can i leave a message for the owner");
    CHECK(c.out.tool.tool != RX_TOOL_TRANSFER);
    CHECK(c.mem.task == RX_TASK_MESSAGE);
}

/* Dental after hours greets "... I can answer your questions or take a message for the
 * team." The caller: "yes please, this is Carl Jung" -> "I am sorry, I did not follow
 * that." Expected: the message is started (name Carl Jung kept). rx_greet() leaves
 * pending RX_ASK_NONE instead of RX_ASK_OFFER_MESSAGE. */
static void test_yes_please_to_the_after_hours_message_offer_takes_a_message(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 19:30");
    CHECK(has(greet(&c), "message"));
    say(&c, "yes please, this is Carl Jung");
    CHECK(!c.out.is_misunderstood);
    CHECK(c.mem.task == RX_TASK_MESSAGE);
}

/* "can i speak to doctor kim please" -> "I am sorry, I did not follow that." Expected:
 * a transfer (the dental clinic transfers on request). person_words has "speak to a",
 * "speak to the", "speak with", but not "speak to <name>". */
static void test_dental_puts_through_speak_to_doctor_kim(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "can i speak to doctor kim please");
    CHECK(c.out.tool.tool == RX_TOOL_TRANSFER);
}

/* "agent" (what callers shout at phone systems) -> "Didn't catch that." Expected: a
 * transfer. person_words has only "an agent". */
static void test_plumber_puts_through_agent_said_alone(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    say(&c, "agent");
    CHECK(c.out.tool.tool == RX_TOOL_TRANSFER);
}

/* "i don't need a human, just tell me what time you close today" -> "Of course. Please
 * hold while I transfer you." Expected: "5 PM", no transfer. person_words is matched
 * without looking at a negation (rx_text_has_any in dispatch()). */
static void test_dental_i_dont_need_a_human_is_not_a_request_for_one(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    const char *r = say(&c, "i don't need a human, just tell me what time you close today");
    CHECK(c.out.tool.tool != RX_TOOL_TRANSFER);
    CHECK(has(r, "5 PM"));
}

/* "i won't be able to make my appointment on thursday" -> "Which service would you like
 * to book? We offer ..." -- starts a new booking. Expected: the cancel (or move)
 * confirmation. rx_booking_is_cancel_request() knows "cant make it" but not "won't be
 * able to make", "not going to make it", ... */
static void test_salon_wont_be_able_to_make_my_appointment_is_a_cancel(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    const char *r = say(&c, "i won't be able to make my appointment on thursday");
    CHECK(c.mem.pending == RX_ASK_CONFIRM_CANCEL || c.mem.pending == RX_ASK_CONFIRM_MOVE);
    CHECK(lacks(r, "would you like to book"));
    say(&c, "yes please");
    CHECK(c.out.tool.tool == RX_TOOL_CANCEL);
    struct rx_tool_result found = result_of(&c, true);
    snprintf(found.service, sizeof found.service, "Women's haircut");
    found.day = (struct civil_date){2026, 3, 5};
    found.minute = 15 * 60;
    r = tool_done(&c, &found);
    CHECK(has(r, "cancelled"));
    CHECK(has(r, "Thursday"));
}

/* "can you push my appointment to friday" -> "Which service would you like to book?"
 * Expected: the move confirmation, Friday kept. rx_booking_is_cancel_request() has
 * "push back my" only. */
static void test_dental_push_my_appointment_to_friday_is_a_move(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "can you push my appointment to friday");
    CHECK(c.mem.pending == RX_ASK_CONFIRM_MOVE);
}

/* Owner setting after_misunderstood_turns 0 (never transfer). The 4th and 5th replies
 * are the 1st and 2nd with a lead: "Just to say it again: I am sorry, I did not follow
 * that. You may ask ..." and "Let me repeat that: My apologies, ...". Not word for word,
 * but the same sentence, and "let me repeat that" to a caller it did not understand
 * is absurd. Expected: new wording each time. misunderstood() has 3 sorry x 3 menu
 * wordings per tone; finish() then adds the leads. */
static void test_five_turns_not_understood_are_each_worded_afresh(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    c.ctx.config = dental_never_transfers;
    CHECK(c.ctx.config->escalation.after_misunderstood_turns == 0);
    greet(&c);
    static const char *const mumbles[] = {"mm", "flibber", "the grey thing", "purple", "yes no maybe"};
    for (int i = 0; i < 5; i++) {
        const char *r = say(&c, mumbles[i]);
        CHECK(lacks(r, "repeat"));
        CHECK(lacks(r, "say it again"));
        for (int k = 1; k < c.nreplies - 1; k++)      /* reply 0 is the greeting */
            if (strstr(r, c.replies[k]) != NULL) {
                fprintf(stderr, "  turn %d says an earlier reply again: %s\n", i + 1, r);
                check_failures_now++;
            }
    }
}

/* "hey how are you doing today" -> "Hmm, I'm not sure I followed. Could you say that
 * another way? ..." Expected: a short pleasantry and an offer to help. dispatch() only
 * knows hello words of up to 4 words. */
static void test_salon_answers_how_are_you(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    say(&c, "hey how are you doing today");
    CHECK(!c.out.is_misunderstood);
}

/* "wait, is this a robot?" -> "I am sorry, I did not follow that." and the plumber's
 * "am i talking to a machine" -> "Didn't catch that." Expected: an honest answer (a
 * virtual/automated receptionist) and an offer to help or to put them through. Nothing
 * in dispatch() handles it. */
static void test_is_this_a_robot_gets_an_honest_answer(void)
{
    struct call c, d;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    const char *r = say(&c, "wait, is this a robot?");
    CHECK(!c.out.is_misunderstood);
    CHECK(lacks(r, "did not"));
    call_start(&d, PLUMBER, "2026-03-02 10:00");
    greet(&d);
    say(&d, "am i talking to a machine");
    CHECK(!d.out.is_misunderstood);
}

/* "hello? can you hear me?" -> "My apologies, I did not catch that." -- telling a
 * caller checking the line that they were not heard. Expected: "Yes, I can hear you."
 * dispatch() takes hello words only in 4 words or fewer. */
static void test_dental_can_you_hear_me_says_yes(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "hello? can you hear me?");
    CHECK(!c.out.is_misunderstood);
}

/* Salon (friendly), not understood: "Hmm, I'm not sure I followed. Could you say that
 * another way? For example, ask about a service or our hours, book an appointment." --
 * the booking is pasted where it makes a broken sentence. The menu wordings'
 * "@1" slot (", book an appointment") fits only a list (misunderstood(), menu). */
static void test_salon_not_understood_menu_is_a_sentence(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    const char *r = say(&c, "this is such bullshit");
    CHECK(lacks(r, "our hours, book an appointment."));
}

/* "ok great, have a good one" -> "Sorry? Ask about services, prices, hours, ..."
 * goodbye_words has "have a good day" / "have a nice day" only. */
static void test_plumber_have_a_good_one_ends_the_call(void)
{
    check_goodbye_after(PLUMBER, "2026-03-02 10:00", "are you licensed", "ok great, have a good one");
}

/* "that'll be all" -> "Sorry? Ask about services, ..." (goodbye_words: "that is all",
 * "thats all", not "thatll be all"). */
static void test_plumber_thatll_be_all_ends_the_call(void)
{
    check_goodbye_after(PLUMBER, "2026-03-02 10:00", "what areas do you cover", "that'll be all");
}

/* "ok perfect, talk soon" -> "Sorry, I missed that. I can help with ..." */
static void test_salon_talk_soon_ends_the_call(void)
{
    check_goodbye_after(SALON, "2026-03-03 12:00", "where are you located", "ok perfect, talk soon");
}

/* After "The price for service call is $89 ... Want to book?": "ok thanks, take care"
 * -> "Day?" -- the "ok" is taken as yes to the booking offer and a booking starts.
 * Expected: goodbye. answer_offer() takes is_yes before any goodbye/thanks reading;
 * "take care" is not a goodbye word. */
static void test_plumber_ok_thanks_take_care_does_not_start_a_booking(void)
{
    check_goodbye_after(PLUMBER, "2026-03-02 10:00", "how much is a service call", "ok thanks, take care");
}

/* Asked the day for a haircut: "actually forget it, bye" -> "No problem, I won't book
 * anything. What else can I help you with?" -- the caller said bye. Expected: a
 * goodbye. rx_booking_turn() handles the cancel before dispatch() sees the goodbye. */
static void test_salon_forget_it_bye_at_the_day_question_ends_the_call(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    say(&c, "i want to book a haircut");
    say(&c, "actually forget it, bye");
    CHECK(c.out.is_goodbye);
}

/* Plumber after hours: the forward fails. "I'm sorry, I couldn't reach anyone just now.
 * OK. Name?" -- the caller is never told a message is being taken. Expected: say so.
 * rx_on_tool_result() RX_TOOL_TRANSFER failure + rx_message_start()'s brief ask_name. */
static void test_plumber_says_it_takes_a_message_when_the_forward_fails(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 21:00");
    greet(&c);
    CHECK(c.out.tool.tool == RX_TOOL_TRANSFER);
    struct rx_tool_result refused = result_of(&c, false);
    CHECK(has(tool_done(&c, &refused), "message"));
}

/* Dental, open: the transfer fails. "I'm sorry, I couldn't reach anyone just now. Of
 * course. Whom shall I say is calling?" -- "Of course" answers nothing and no message
 * is mentioned. Same cause as above. */
static void test_dental_says_it_takes_a_message_when_the_transfer_fails(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "put me through to someone");
    struct rx_tool_result refused = result_of(&c, false);
    const char *r = tool_done(&c, &refused);
    CHECK(has(r, "message"));
    CHECK(lacks(r, "Of course"));
}

/* Salon, no number to transfer to: "can i talk to somebody" -> "No one can come to the
 * phone right now, but I'll take a message and make sure they get it. Happy to take a
 * message. Who's calling?" -- says it will take a message twice in one breath (dental
 * after hours likewise: "... I'll take a message ... I would be glad to take a
 * message."). rx_escalate() then rx_message_start() each announce it. */
static void test_salon_says_it_takes_a_message_once(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    const char *r = say(&c, "can i talk to somebody");
    CHECK(c.mem.task == RX_TASK_MESSAGE);
    CHECK(count_of(r, "message") == 1);
}

/* At "Just to confirm: you'd like to cancel your appointment?" the caller asks "wait,
 * will i be charged for cancelling?" -> "My apologies, I did not catch that. Shall I
 * cancel your appointment?" Expected: the cancellation policy (24 hours' notice, $50),
 * then the confirmation again. rx_cancel_turn() returns false and nothing answers the
 * question before misunderstood(). */
static void test_dental_answers_will_i_be_charged_at_the_cancel_confirmation(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "i need to cancel my appointment for tomorrow");
    const char *r = say(&c, "wait, will i be charged for cancelling?");
    CHECK(!c.out.is_misunderstood);
    CHECK(has(r, "24 hours"));
    CHECK(c.out.tool.tool != RX_TOOL_CANCEL);
}

/* Salon 18:50 (closes 19:00): "can i come in right now for a beard trim" -> "Which day
 * works best for you?" -- "right now" is ignored. Expected: no time left today (as
 * "today" gets), then the next day. spoken_time_parse() / rx_booking_start(). */
static void test_salon_right_now_ten_minutes_before_closing_says_no_time_today(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 18:50");
    greet(&c);
    const char *r = say(&c, "can i come in right now for a beard trim");
    CHECK(has(r, "today"));
}

/* "talk to" alone asks for a person ("can I talk to Doctor Kim"), but "let me talk to
 * my wife first" names someone else: the booking goes on. */
static void test_talk_to_my_wife_first_is_not_a_request_for_a_person(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "i'd like to book a cleaning");
    say(&c, "hmm let me talk to my wife first, what about thursday");
    CHECK(c.out.tool.tool != RX_TOOL_TRANSFER);
    CHECK(c.mem.task == RX_TASK_BOOKING);
}

/* After "The price for filling is $180 ...": "sorry, can you repeat that?" -> "My
 * apologies, I did not catch that. I can tell you about our services..." Expected: the
 * last answer again, in other words ($180). No "repeat" handling in dispatch(); the
 * memory keeps only hashes of replies. */
static void test_dental_repeats_the_price_when_asked_to(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "how much is a filling");
    const char *r = say(&c, "sorry, can you repeat that?");
    CHECK(!c.out.is_misunderstood);
    CHECK(has(r, "$180"));
    r = say(&c, "sorry one more time");                 /* repeated again, not nested */
    CHECK(has(r, "$180"));
    CHECK(lacks(r, "Of course. Of course") && lacks(r, "Sure! Sure!"));
}

/* After "On Saturday, March 7th we close at noon.": "sorry what was that" -> "Sorry?
 * Ask about services, prices, hours, ..." Same cause as above. */
static void test_plumber_says_the_saturday_hours_again_for_sorry_what_was_that(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    say(&c, "when do you close on saturday");
    const char *r = say(&c, "sorry what was that");
    CHECK(!c.out.is_misunderstood);
    CHECK(has(r, "noon"));
}

int main(void)
{
    if (!rx_load_examples())
        return 1;
    dental_never_transfers = example_config_edited(
        "dental-clinic.json", "\"after_misunderstood_turns\": 3", "\"after_misunderstood_turns\": 0");
    if (dental_never_transfers == NULL) {
        rx_free_examples();
        return 1;
    }
    RUN(test_a_message_that_names_the_manager_is_taken_not_transferred);
    RUN(test_leave_a_message_for_the_owner_takes_a_message);
    RUN(test_yes_please_to_the_after_hours_message_offer_takes_a_message);
    RUN(test_dental_puts_through_speak_to_doctor_kim);
    RUN(test_plumber_puts_through_agent_said_alone);
    RUN(test_dental_i_dont_need_a_human_is_not_a_request_for_one);
    RUN(test_salon_wont_be_able_to_make_my_appointment_is_a_cancel);
    RUN(test_dental_push_my_appointment_to_friday_is_a_move);
    RUN(test_five_turns_not_understood_are_each_worded_afresh);
    RUN(test_salon_answers_how_are_you);
    RUN(test_is_this_a_robot_gets_an_honest_answer);
    RUN(test_dental_can_you_hear_me_says_yes);
    RUN(test_salon_not_understood_menu_is_a_sentence);
    RUN(test_plumber_have_a_good_one_ends_the_call);
    RUN(test_plumber_thatll_be_all_ends_the_call);
    RUN(test_salon_talk_soon_ends_the_call);
    RUN(test_plumber_ok_thanks_take_care_does_not_start_a_booking);
    RUN(test_salon_forget_it_bye_at_the_day_question_ends_the_call);
    RUN(test_plumber_says_it_takes_a_message_when_the_forward_fails);
    RUN(test_dental_says_it_takes_a_message_when_the_transfer_fails);
    RUN(test_salon_says_it_takes_a_message_once);
    RUN(test_dental_answers_will_i_be_charged_at_the_cancel_confirmation);
    RUN(test_salon_right_now_ten_minutes_before_closing_says_no_time_today);
    RUN(test_talk_to_my_wife_first_is_not_a_request_for_a_person);
    RUN(test_dental_repeats_the_price_when_asked_to);
    RUN(test_plumber_says_the_saturday_hours_again_for_sorry_what_was_that);
    agent_config_free(dental_never_transfers);
    rx_free_examples();
    return check_summary();
}
