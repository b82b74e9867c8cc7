/* tests/unit/test_rx_message_fixes.c: callers leaving a message who do not wait for each
 * question (lib/receptionist/rx_message.c): the name, number and words in one sentence, a number
 * corrected in part or changed at the message question, the number called from chosen
 * after all, a number refused, the message dropped, one more thing after a message.
 * Conversations through tests/unit/rx_call.h; run from the repository root.
 * 2026-03-02 is a Monday; every call comes from +1 201 555 0177. */
#include "rx_call.h"

static void test_everything_in_one_sentence_keeps_the_message(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    const char *r = say(&c, "hi this is maria gomez, could you have the doctor call me back at 917 555 0142, "
                            "it's about the crown i had done last week");
    CHECK(has(r, "9 1 7, 5 5 5, 0 1 4 2"));
    say(&c, "yes that's right");
    CHECK(c.out.tool.tool == RX_TOOL_TAKE_MESSAGE);
    CHECK_STR_EQ(c.out.tool.message, "it's about the crown i had done last week");
    CHECK_STR_EQ(c.out.tool.caller_name, "Maria Gomez");
    CHECK_STR_EQ(c.out.tool.callback_number, "+19175550142");
}

static void test_a_one_in_the_message_after_the_number_is_not_a_digit(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "this is Joe, can someone call me back at 917 555 0142, it is about my bill, one charge looks wrong");
    CHECK(c.mem.pending == RX_ASK_MSG_NUMBER_CONFIRM);
    say(&c, "yes");
    CHECK(c.out.tool.tool == RX_TOOL_TAKE_MESSAGE);
    CHECK_STR_EQ(c.out.tool.callback_number, "+19175550142");
    CHECK(ci_find(c.out.tool.message, "one charge looks wrong") != NULL);
}

static void test_last_four_digits_corrected_at_the_read_back(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "i'd like to leave a message");
    say(&c, "john carter");
    say(&c, "no use 201 555 0123");
    CHECK(has(say(&c, "no, it's 4 5 6 7 at the end"), "2 0 1, 5 5 5, 4 5 6 7"));
    say(&c, "yes");
    say(&c, "please ask about my x-ray results");
    CHECK(c.out.tool.tool == RX_TOOL_TAKE_MESSAGE);
    CHECK_STR_EQ(c.out.tool.callback_number, "+12015554567");
}

static void test_last_four_said_in_words_with_oh_for_zero(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    say(&c, "leave a message");
    say(&c, "Ana");
    say(&c, "no use 201 555 0123");
    CHECK(has(say(&c, "no, the last four are oh one two four"), "2 0 1, 5 5 5, 0 1 2 4"));
}

static void test_area_code_corrected_at_the_read_back(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "i'd like to leave a message");
    say(&c, "john carter");
    say(&c, "no use 201 555 0123");
    CHECK(has(say(&c, "no, the area code is 973"), "9 7 3, 5 5 5, 0 1 2 3"));
}

static void test_change_of_mind_back_to_the_number_called_from(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    say(&c, "can i leave a message for the stylist");
    say(&c, "Kelly");
    say(&c, "no");
    const char *r = say(&c, "actually just use the number i'm calling from");
    CHECK(!c.out.is_misunderstood);
    CHECK(lacks(r, "which number"));
    CHECK(c.mem.pending == RX_ASK_MSG_TEXT);
    say(&c, "i want to ask if she can do a balayage");
    CHECK(c.out.tool.tool == RX_TOOL_TAKE_MESSAGE);
    CHECK_STR_EQ(c.out.tool.callback_number, "+12015550177");
}

static void test_caller_who_refuses_to_leave_a_number_is_not_asked_again(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "i want to leave a message");
    say(&c, "Paul");
    say(&c, "no");
    say(&c, "i'd rather not give my number, i'll call back");
    CHECK(!c.out.is_misunderstood);
    CHECK(c.mem.pending == RX_ASK_MSG_TEXT);
}

/* The worker records the number the call came from for any message without one, so the
 * message says the caller did not leave it, and the caller is not promised a call. */
static void test_a_message_without_a_number_says_so_to_the_owner(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "i want to leave a message");
    say(&c, "Paul");
    say(&c, "no, i'd prefer not to give a number");
    say(&c, "tell the doctor the new retainer fits well");
    CHECK(c.out.tool.tool == RX_TOOL_TAKE_MESSAGE);
    CHECK_STR_EQ(c.out.tool.callback_number, "");
    CHECK(ci_find(c.out.tool.message, "retainer fits well") != NULL);
    CHECK(ci_find(c.out.tool.message, "did not leave a callback number") != NULL);
    struct rx_tool_result ok = result_of(&c, true);
    const char *r = tool_done(&c, &ok);
    CHECK(has(r, "passed your message on"));
    CHECK(lacks(r, "call you back"));
}

static void test_never_mind_at_the_message_question_sends_nothing(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "could i leave a message please");
    say(&c, "Laura Chen");
    say(&c, "yes");
    const char *r = say(&c, "actually never mind, i'll just call back tomorrow");
    CHECK(c.out.tool.tool != RX_TOOL_TAKE_MESSAGE);
    CHECK(c.mem.task == RX_TASK_NONE);
    CHECK(c.mem.pending == RX_ASK_ANYTHING_ELSE);
    CHECK(!c.out.is_misunderstood);
    CHECK(lacks(r, "name"));
}

static void test_never_mind_at_the_name_question_sends_nothing(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    say(&c, "can someone call me back");
    say(&c, "never mind");
    CHECK(c.mem.task == RX_TASK_NONE);
    CHECK(c.mem.message_name[0] == '\0');
}

static void test_forget_it_bye_at_the_message_question_ends_the_call(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    say(&c, "can you take a message");
    say(&c, "Rita");
    say(&c, "yes");
    say(&c, "oh forget it, bye");
    CHECK(c.out.tool.tool != RX_TOOL_TAKE_MESSAGE);
    CHECK(c.out.is_goodbye);
}

/* Any goodbye the dispatcher knows ends the call, not only "bye": the message code asks
 * receptionist.c's list (it had a short copy without "that's all"). */
static void test_forget_it_thats_all_at_the_message_question_ends_the_call(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    say(&c, "can you take a message");
    say(&c, "Rita");
    say(&c, "yes");
    say(&c, "never mind, that'll be all");
    CHECK(c.out.tool.tool != RX_TOOL_TAKE_MESSAGE);
    CHECK(c.out.is_goodbye);
}

static void test_tell_her_to_forget_it_is_a_message(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    say(&c, "can you take a message");
    say(&c, "Rita");
    say(&c, "yes");
    say(&c, "tell her to forget it, the color came out fine after all");
    CHECK(c.out.tool.tool == RX_TOOL_TAKE_MESSAGE);
    CHECK_STR_EQ(c.out.tool.message, "tell her to forget it, the color came out fine after all");
}

static void test_name_and_number_at_the_name_question_reads_back_the_number(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    say(&c, "i need to leave a message");
    CHECK(has(say(&c, "tom baker, 310 555 0199"), "3 1 0, 5 5 5, 0 1 9 9"));
    say(&c, "correct");
    say(&c, "need a quote for repiping my house");
    CHECK(c.out.tool.tool == RX_TOOL_TAKE_MESSAGE);
    CHECK_STR_EQ(c.out.tool.caller_name, "Tom Baker");
    CHECK_STR_EQ(c.out.tool.callback_number, "+13105550199");
}

static void test_a_new_number_at_the_message_question_is_read_back(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "i'd like to leave a message");
    say(&c, "Sue Park");
    say(&c, "yes");
    say(&c, "oh wait, actually use my work number, 212 555 0187");
    CHECK(c.out.tool.tool != RX_TOOL_TAKE_MESSAGE);
    CHECK(has(c.out.say, "2 1 2, 5 5 5, 0 1 8 7"));
    say(&c, "yes");
    CHECK(c.mem.pending == RX_ASK_MSG_TEXT);
    say(&c, "my son needs a cleaning before school starts");
    CHECK(c.out.tool.tool == RX_TOOL_TAKE_MESSAGE);
    CHECK_STR_EQ(c.out.tool.callback_number, "+12125550187");
    CHECK_STR_EQ(c.out.tool.message, "my son needs a cleaning before school starts");
}

static void test_one_more_thing_after_a_message_keeps_name_number_and_words(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "can i leave a message");
    say(&c, "my name is Anna Lopez");
    say(&c, "yes");
    say(&c, "please call me about moving my cleaning");
    struct rx_tool_result ok = result_of(&c, true);
    tool_done(&c, &ok);
    const char *r = say(&c, "oh and one more thing, tell them i'll bring my new insurance card");
    CHECK(lacks(r, "number you're calling from"));
    CHECK(c.out.tool.tool == RX_TOOL_TAKE_MESSAGE);
    CHECK_STR_EQ(c.out.tool.message, "i'll bring my new insurance card");
    CHECK_STR_EQ(c.out.tool.caller_name, "Anna Lopez");
    CHECK_STR_EQ(c.out.tool.callback_number, "+12015550177");
}

int main(void)
{
    if (!rx_load_examples())
        return 1;
    RUN(test_forget_it_thats_all_at_the_message_question_ends_the_call);
    RUN(test_everything_in_one_sentence_keeps_the_message);
    RUN(test_a_one_in_the_message_after_the_number_is_not_a_digit);
    RUN(test_last_four_digits_corrected_at_the_read_back);
    RUN(test_last_four_said_in_words_with_oh_for_zero);
    RUN(test_area_code_corrected_at_the_read_back);
    RUN(test_change_of_mind_back_to_the_number_called_from);
    RUN(test_caller_who_refuses_to_leave_a_number_is_not_asked_again);
    RUN(test_a_message_without_a_number_says_so_to_the_owner);
    RUN(test_never_mind_at_the_message_question_sends_nothing);
    RUN(test_never_mind_at_the_name_question_sends_nothing);
    RUN(test_forget_it_bye_at_the_message_question_ends_the_call);
    RUN(test_tell_her_to_forget_it_is_a_message);
    RUN(test_name_and_number_at_the_name_question_reads_back_the_number);
    RUN(test_a_new_number_at_the_message_question_is_read_back);
    RUN(test_one_more_thing_after_a_message_keeps_name_number_and_words);
    rx_free_examples();
    return check_summary();
}
