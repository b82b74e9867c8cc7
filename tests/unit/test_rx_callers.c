/* tests/unit/test_rx_callers.c: realistic caller conversations with the built-in
 * receptionist, beyond the one-behaviour calls of test_receptionist.c. Callers talk as
 * speech-to-text hears them: lowercase, fillers ("um", "like"), numbers as words
 * ("two thirty", "quarter to three"), names given with "it's" or "my name's", numbers
 * said in groups or with an area code, questions in the middle of a booking. Each call
 * checks what the caller would listen for: the right day, time, price and service, the
 * right tool with the right details, and nothing the business does not offer.
 * rx_call.h checks every reply for repetition and for another business's names.
 * Run from the repository root.
 *
 * 2026-03-02 is a Monday. */
#include "rx_call.h"

/* check_availability said yes, with the one free time asked for. */
/* check_availability said no, with two other free times. */
static struct rx_tool_result taken_but(const struct call *c, int first, int second)
{
    struct rx_tool_result r = result_of(c, false);
    r.free_minutes[0] = first;
    r.free_minutes[1] = second;
    r.nfree = 2;
    return r;
}

/* ---- dental clinic (New York) ---- */

static void test_dental_prices_a_cleaning_said_with_fillers_then_books_it(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    const char *r = say(&c, "um hi yeah i was wondering how much like a teeth cleaning costs");
    CHECK(has(r, "$120"));
    say(&c, "ok cool can i book one for thursday at half past ten");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.service, "Cleaning");
    CHECK_STR_EQ(c.out.tool.day, "2026-03-05");
    CHECK_STR_EQ(c.out.tool.time, "10:30");
}

static void test_dental_books_a_filling_at_two_thirty_for_my_names(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "i need to get a filling done tomorrow at two thirty");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.service, "Filling");
    CHECK_STR_EQ(c.out.tool.day, "2026-03-03");
    CHECK_STR_EQ(c.out.tool.time, "14:30");
    struct rx_tool_result ok = free_at(&c, 14 * 60 + 30);
    tool_done(&c, &ok);
    const char *r = say(&c, "my name's Carlos Diaz");
    CHECK(has(r, "Carlos Diaz"));
    CHECK(has(r, "2:30 PM"));
    CHECK(has(r, "filling"));
    say(&c, "yep");
    CHECK(c.out.tool.tool == RX_TOOL_BOOK);
    CHECK_STR_EQ(c.out.tool.caller_name, "Carlos Diaz");
    CHECK_STR_EQ(c.out.tool.time, "14:30");
}

static void test_dental_books_a_cleaning_at_eleven_a_m_with_hesitations_to_the_goodbye(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "um i'd like to book a, uh, a cleaning for friday at eleven a m");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.day, "2026-03-06");
    CHECK_STR_EQ(c.out.tool.time, "11:00");
    struct rx_tool_result ok = free_at(&c, 11 * 60);
    tool_done(&c, &ok);
    const char *r = say(&c, "Tom Baker");
    CHECK(has(r, "Friday, March 6th at 11 AM"));
    say(&c, "yes");
    CHECK(c.out.tool.tool == RX_TOOL_BOOK);
    struct rx_tool_result booked = result_of(&c, true);
    r = tool_done(&c, &booked);
    CHECK(has(r, "booked"));
    CHECK(has(r, "Tom Baker"));
    r = say(&c, "thanks bye");
    CHECK(c.out.is_goodbye);
    CHECK(has(r, "Bright Smile Dental"));
}

static void test_dental_takes_another_day_said_with_no_wait(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "I'd like to book x-rays on thursday");
    CHECK(c.mem.pending == RX_ASK_TIME);
    const char *r = say(&c, "no wait not thursday, friday");
    CHECK(has(r, "Friday, March 6th"));
    CHECK(has(r, "8 AM to 2 PM"));
    say(&c, "9am");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.service, "X-rays");
    CHECK_STR_EQ(c.out.tool.day, "2026-03-06");
    CHECK_STR_EQ(c.out.tool.time, "09:00");
}

static void test_dental_moves_a_read_back_booking_to_another_day_and_time(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "can i book a cleaning thursday at 9 this is Priya Patel");
    CHECK_STR_EQ(c.out.tool.caller_name, "Priya Patel");
    struct rx_tool_result ok = result_of(&c, true);
    const char *r = tool_done(&c, &ok);
    CHECK(has(r, "Thursday, March 5th at 9 AM"));
    CHECK(has(r, "Priya Patel"));
    say(&c, "no, friday at 9");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.day, "2026-03-06");
    CHECK_STR_EQ(c.out.tool.time, "09:00");
    ok = result_of(&c, true);
    r = tool_done(&c, &ok);
    CHECK(has(r, "Friday, March 6th at 9 AM"));
    say(&c, "yes");
    CHECK(c.out.tool.tool == RX_TOOL_BOOK);
    CHECK_STR_EQ(c.out.tool.day, "2026-03-06");
    CHECK_STR_EQ(c.out.tool.caller_name, "Priya Patel");
}

static void test_dental_does_not_book_noon_in_the_lunch_break(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    const char *r = say(&c, "can i come in for a cleaning at noon on wednesday");
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
    CHECK(has(r, "Wednesday, March 4th"));
    CHECK(has(r, "1 PM"));
    CHECK(c.mem.pending == RX_ASK_TIME);
}

static void test_dental_does_not_book_a_cleaning_that_ends_after_closing(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    const char *r = say(&c, "cleaning tomorrow at 5");
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
    CHECK(has(r, "5 PM"));
    CHECK(has(r, "60 minutes"));
}

static void test_dental_offers_its_first_free_times_for_first_thing_in_the_morning(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "can i get a cleaning tuesday first thing in the morning");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.day, "2026-03-03");
    struct rx_tool_result r = result_of(&c, true);
    r.free_minutes[0] = 8 * 60;
    r.free_minutes[1] = 8 * 60 + 30;
    r.nfree = 2;
    const char *said = tool_done(&c, &r);
    CHECK(has(said, "8 AM"));
    say(&c, "8 is perfect");
    CHECK(c.mem.minute == 8 * 60);
    CHECK(c.mem.pending == RX_ASK_NAME);
}

static void test_dental_says_the_14th_is_a_saturday_it_is_closed(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    const char *r = say(&c, "could i book a cleaning on the 14th");
    CHECK(has(r, "closed on Saturday, March 14th"));
    CHECK(has(r, "Monday, March 16th"));
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
}

static void test_dental_hears_march_3rd_at_3_as_the_afternoon(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "whitening march 3rd at 3 please");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.service, "Whitening");
    CHECK_STR_EQ(c.out.tool.day, "2026-03-03");
    CHECK_STR_EQ(c.out.tool.time, "15:00");
}

static void test_dental_hears_around_3_i_guess_at_the_time_question(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "I need a filling");
    CHECK(c.mem.pending == RX_ASK_DAY);
    say(&c, "wednesday");
    say(&c, "around 3 i guess");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.day, "2026-03-04");
    CHECK_STR_EQ(c.out.tool.time, "15:00");
}

static void test_dental_books_the_day_after_tomorrow(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "i need a cleaning the day after tomorrow at 9");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.day, "2026-03-04");
    CHECK_STR_EQ(c.out.tool.time, "09:00");
}

static void test_dental_asks_which_day_for_sometime_next_week(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "i'd like a cleaning sometime next week");
    CHECK(!c.out.is_misunderstood);
    CHECK(c.mem.task == RX_TASK_BOOKING);
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
    CHECK(c.mem.pending == RX_ASK_DAY);
}

static void test_dental_picks_the_earlier_and_the_later_of_two_offered_times(void)
{
    static const char *const picks[] = {"the earlier time", "the later time"};
    static const int want[] = {13 * 60 + 30, 15 * 60};
    for (int i = 0; i < 2; i++) {
        struct call c;
        call_start(&c, DENTAL, "2026-03-02 10:00");
        greet(&c);
        say(&c, "cleaning thursday at 2");
        struct rx_tool_result taken = taken_but(&c, 13 * 60 + 30, 15 * 60);
        CHECK(has(tool_done(&c, &taken), "1:30 PM or 3 PM"));
        say(&c, picks[i]);
        CHECK(c.out.tool.tool == RX_TOOL_NONE);
        CHECK(c.mem.minute == want[i]);
        CHECK(c.mem.pending == RX_ASK_NAME);
    }
}

static void test_dental_checks_another_day_asked_for_instead_of_the_offered_times(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "cleaning thursday at 2");
    struct rx_tool_result taken = taken_but(&c, 13 * 60, 15 * 60);
    tool_done(&c, &taken);
    say(&c, "do you have anything on friday instead");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.service, "Cleaning");
    CHECK_STR_EQ(c.out.tool.day, "2026-03-06");
}

static void test_dental_does_not_invent_implants(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    const char *r = say(&c, "do you guys do implants");
    CHECK(has(r, "don't offer implants"));
    CHECK(lacks(r, "$"));
}

static void test_dental_does_not_price_a_root_canal(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    const char *r = say(&c, "how much is a root canal");
    CHECK(has(r, "don't offer root canal"));
    CHECK(lacks(r, "$"));
}

static void test_dental_answers_a_parent_about_children(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    CHECK(has(say(&c, "do you see kids? my son is four"), "every age"));
}

static void test_dental_answers_where_to_park_in_other_words(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    CHECK(has(say(&c, "is there somewhere to park"), "Free parking is behind the building"));
}

static void test_dental_tells_a_new_patient_to_come_early(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    CHECK(has(say(&c, "i'm a new patient is there anything i need to know"), "15 minutes early"));
}

static void test_dental_cancels_an_appointment_asked_with_fillers(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    const char *r = say(&c, "hi um i need to cancel my appointment for thursday");
    CHECK(has(r, "cancel"));
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
    say(&c, "yes please");
    CHECK(c.out.tool.tool == RX_TOOL_CANCEL);
    CHECK_STR_EQ(c.out.tool.callback_number, "+12015550177");
    struct rx_tool_result found = result_of(&c, true);
    snprintf(found.service, sizeof found.service, "Filling");
    found.day = (struct civil_date){2026, 3, 5};
    found.minute = 13 * 60 + 30;
    r = tool_done(&c, &found);
    CHECK(has(r, "cancelled"));
    CHECK(has(r, "Thursday, March 5th at 1:30 PM"));
}

static void test_dental_cancels_after_hours_too(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 19:30");
    CHECK(has(greet(&c), "closed right now"));
    say(&c, "hi i need to cancel my appointment tomorrow");
    say(&c, "yes");
    CHECK(c.out.tool.tool == RX_TOOL_CANCEL);
}

static void test_dental_takes_a_message_with_a_number_said_in_groups(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "can i leave a message for the dentist");
    CHECK(c.mem.pending == RX_ASK_MSG_NAME);
    say(&c, "it's Rob Stone");
    const char *r = say(&c, "no call me on five five five, one two three, four five six seven");
    CHECK(has(r, "5 5 5, 1 2 3, 4 5 6 7"));
    say(&c, "yes");
    say(&c, "I want to know if my crown is ready");
    CHECK(c.out.tool.tool == RX_TOOL_TAKE_MESSAGE);
    CHECK_STR_EQ(c.out.tool.callback_number, "+15551234567");
    CHECK_STR_EQ(c.out.tool.caller_name, "Rob Stone");
    CHECK(ci_find(c.out.tool.message, "crown") != NULL);
}

static void test_dental_takes_name_and_number_given_with_the_request(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    const char *r = say(&c, "i'd like to leave a message this is Rob and my number is 555 123 4567");
    CHECK(has(r, "5 5 5, 1 2 3, 4 5 6 7"));
    say(&c, "yes");
    say(&c, "my crown fell off");
    CHECK(c.out.tool.tool == RX_TOOL_TAKE_MESSAGE);
    CHECK_STR_EQ(c.out.tool.caller_name, "Rob");
    CHECK_STR_EQ(c.out.tool.callback_number, "+15551234567");
    CHECK_STR_EQ(c.out.tool.message, "my crown fell off");
}

static void test_dental_names_independence_day_observed_on_july_3rd(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-06-29 11:00");
    greet(&c);
    const char *r = say(&c, "you guys open july 3rd?");
    CHECK(has(r, "closed on Friday, July 3rd for Independence Day (observed)"));
    CHECK(has(r, "Monday, July 6th"));
}

static void test_dental_books_whitening_this_friday_after_asking_its_price(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    CHECK(has(say(&c, "what's the price for teeth whitening"), "$350"));
    say(&c, "ok let's do that this friday at 9");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.service, "Whitening");
    CHECK_STR_EQ(c.out.tool.day, "2026-03-06");
    CHECK_STR_EQ(c.out.tool.time, "09:00");
}

static void test_dental_transfers_a_caller_who_gives_up_on_booking_for_a_person(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "can i book a cleaning");
    say(&c, "actually can i just talk to someone");
    CHECK(c.out.tool.tool == RX_TOOL_TRANSFER);
    CHECK_STR_EQ(c.out.tool.callback_number, "");
    CHECK(c.mem.was_transferred);
}

static void test_dental_transfers_after_three_mumbled_turns_without_repeating(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "uh yeah so um");
    CHECK(c.out.is_misunderstood);
    say(&c, "hmm what");
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
    const char *r = say(&c, "the thing");
    CHECK(c.out.tool.tool == RX_TOOL_TRANSFER);
    CHECK(has(r, "trouble understanding"));
}

/* ---- hair salon (Chicago) ---- */

static void test_salon_books_a_haircut_like_saturday_around_11_for_it_s_uh_john(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    say(&c, "hey um can i get a haircut like saturday around 11");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.service, "Women's haircut");
    CHECK_STR_EQ(c.out.tool.day, "2026-03-07");
    CHECK_STR_EQ(c.out.tool.time, "11:00");
    struct rx_tool_result ok = free_at(&c, 11 * 60);
    tool_done(&c, &ok);
    const char *r = say(&c, "yeah it's uh john");
    CHECK(has(r, "John"));
    CHECK(lacks(r, "Uh"));
    CHECK(has(r, "Saturday, March 7th at 11 AM"));
    say(&c, "yeah");
    CHECK(c.out.tool.tool == RX_TOOL_BOOK);
    CHECK_STR_EQ(c.out.tool.caller_name, "John");
}

static void test_salon_books_a_mens_cut_at_five_forty_five_in_the_evening(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    say(&c, "I want a men's cut friday at 5:45");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.service, "Men's haircut");
    CHECK_STR_EQ(c.out.tool.day, "2026-03-06");
    CHECK_STR_EQ(c.out.tool.time, "17:45");
}

static void test_salon_books_a_blowout_at_a_quarter_to_three(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    say(&c, "blowout thursday at quarter to three");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.service, "Blowout");
    CHECK_STR_EQ(c.out.tool.day, "2026-03-05");
    CHECK_STR_EQ(c.out.tool.time, "14:45");
}

static void test_salon_capitalises_a_name_heard_in_lowercase(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    say(&c, "men's haircut saturday at eleven thirty");
    CHECK_STR_EQ(c.out.tool.time, "11:30");
    struct rx_tool_result ok = free_at(&c, 11 * 60 + 30);
    tool_done(&c, &ok);
    const char *r = say(&c, "my name is jose garcia");
    CHECK(has(r, "Jose Garcia"));
    CHECK(has(r, "11:30 AM"));
}

static void test_salon_answers_the_price_at_the_read_back_and_keeps_the_booking(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    say(&c, "can i get a color on wednesday at like ten am");
    CHECK_STR_EQ(c.out.tool.service, "Color");
    CHECK_STR_EQ(c.out.tool.time, "10:00");
    struct rx_tool_result ok = free_at(&c, 10 * 60);
    tool_done(&c, &ok);
    say(&c, "this is Maria");
    const char *r = say(&c, "actually what does it cost");
    CHECK(has(r, "$140"));
    CHECK(has(r, "10 AM"));
    say(&c, "yes");
    CHECK(c.out.tool.tool == RX_TOOL_BOOK);
    CHECK_STR_EQ(c.out.tool.service, "Color");
    CHECK_STR_EQ(c.out.tool.day, "2026-03-04");
    CHECK_STR_EQ(c.out.tool.caller_name, "Maria");
}

static void test_salon_asks_the_service_for_the_14th_at_2(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    const char *r = say(&c, "can I book for the 14th at 2");
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
    CHECK(c.mem.pending == RX_ASK_SERVICE);
    CHECK(has(r, "blowout"));
    say(&c, "a blowout");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.service, "Blowout");
    CHECK_STR_EQ(c.out.tool.day, "2026-03-14");
    CHECK_STR_EQ(c.out.tool.time, "14:00");
}

static void test_salon_does_not_book_a_blowout_at_closing_time_on_sunday(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    const char *r = say(&c, "can I book a blowout for sunday at 4");
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
    CHECK(has(r, "11 AM to 4 PM"));
    CHECK(has(r, "45 minutes"));
}

static void test_salon_does_not_book_past_closing_in_the_evening(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    const char *r = say(&c, "haircut thursday at 8:30 in the evening");
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
    CHECK(has(r, "8:30 PM"));
    CHECK(has(r, "10 AM to 8 PM"));
}

static void test_salon_offers_morning_times_and_takes_the_one_picked(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    say(&c, "do you have anything tomorrow morning for a trim");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.day, "2026-03-04");
    struct rx_tool_result r = result_of(&c, true);
    r.free_minutes[0] = 10 * 60;
    r.free_minutes[1] = 10 * 60 + 15;
    r.free_minutes[2] = 10 * 60 + 30;
    r.nfree = 3;
    CHECK(has(tool_done(&c, &r), "10 AM, 10:15 AM or 10:30 AM"));
    say(&c, "10:15 is good");
    CHECK(c.mem.minute == 10 * 60 + 15);
    CHECK(c.mem.pending == RX_ASK_NAME);
}

static void test_salon_does_not_invent_manicures(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    const char *r = say(&c, "do you do manicures");
    CHECK(has(r, "don't offer manicures"));
    CHECK(lacks(r, "$"));
}

static void test_salon_gives_no_price_for_a_free_bridal_consultation(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    const char *r = say(&c, "how much is a bridal consultation");
    CHECK(has(r, "Free"));
    CHECK(lacks(r, "$"));
}

static void test_salon_says_when_it_closes_on_thursday(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    CHECK(has(say(&c, "what time do you close on thursday"), "Thursday, March 5th we close at 8 PM"));
}

static void test_salon_is_closed_on_christmas_said_as_the_25th(void)
{
    struct call c;
    call_start(&c, SALON, "2025-12-23 12:00");
    greet(&c);
    const char *r = say(&c, "are you open on the 25th");
    CHECK(has(r, "closed on Thursday, December 25th"));
    CHECK(has(r, "Friday, December 26th"));
}

static void test_salon_reads_its_late_arrival_policy_to_a_caller_running_late(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    CHECK(has(say(&c, "what if i'm running late"), "more than 15 minutes late"));
}

static void test_salon_gives_its_address_to_where_are_you_guys(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    CHECK(has(say(&c, "where are you guys"), "9 Lake Street, Chicago"));
}

static void test_salon_takes_a_message_for_the_manager_it_cannot_transfer_to(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    const char *r = say(&c, "can i speak to the manager");
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
    CHECK(has(r, "message"));
    CHECK(c.mem.task == RX_TASK_MESSAGE);
    CHECK(c.mem.pending == RX_ASK_MSG_NAME);
}

/* ---- plumber (Los Angeles) ---- */

static void test_plumber_transfers_a_kitchen_flooding_at_once(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    say(&c, "there's water everywhere my kitchen is flooding");
    CHECK(c.out.tool.tool == RX_TOOL_TRANSFER);
    CHECK(c.mem.intents_seen & RX_INTENT_ESCALATION);
}

static void test_plumber_books_a_service_call_for_thursday_morning(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    say(&c, "can someone come out thursday morning");
    CHECK(c.mem.pending == RX_ASK_SERVICE);
    say(&c, "a service call");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.service, "Service call");
    CHECK_STR_EQ(c.out.tool.day, "2026-03-05");
    struct rx_tool_result r = result_of(&c, true);
    r.free_minutes[0] = 7 * 60;
    r.free_minutes[1] = 9 * 60;
    r.nfree = 2;
    CHECK(has(tool_done(&c, &r), "7 AM or 9 AM"));
    say(&c, "the 9");
    CHECK(c.mem.minute == 9 * 60);
    say(&c, "Mike Jones");
    say(&c, "yes");
    CHECK(c.out.tool.tool == RX_TOOL_BOOK);
    CHECK_STR_EQ(c.out.tool.time, "09:00");
    CHECK_STR_EQ(c.out.tool.caller_name, "Mike Jones");
}

static void test_plumber_books_a_drain_cleaning_on_saturday_morning(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    say(&c, "book a drain cleaning saturday at 10");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.service, "Drain cleaning");
    CHECK_STR_EQ(c.out.tool.day, "2026-03-07");
    CHECK_STR_EQ(c.out.tool.time, "10:00");
}

static void test_plumber_answers_whether_it_is_licensed(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    CHECK(has(say(&c, "are you licensed"), "license C-36"));
}

static void test_plumber_gives_its_area_without_claiming_san_jose(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    const char *r = say(&c, "do you come to san jose");
    CHECK(has(r, "East Bay"));
    CHECK(lacks(r, "San Jose"));
}

static void test_plumber_prices_a_camera_inspection(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    CHECK(has(say(&c, "how much is a camera inspection"), "$250"));
}

static void test_plumber_corrects_a_caller_who_guesses_the_service_call_fee(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    const char *r = say(&c, "is it 50 bucks for a service call");
    CHECK(has(r, "$89"));
    CHECK(lacks(r, "$50"));
}

static void test_plumber_says_christmas_closure_keeps_the_emergency_line(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2025-12-24 10:00");
    greet(&c);
    const char *r = say(&c, "are you open tomorrow");
    CHECK(has(r, "closed tomorrow, Thursday, December 25th"));
    CHECK(has(r, "emergency line still answered"));
}

static void test_plumber_forwards_a_saturday_afternoon_call(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-07 13:00");
    CHECK(has(greet(&c), "closed right now"));
    CHECK(c.out.tool.tool == RX_TOOL_TRANSFER);
}

static void test_plumber_takes_a_number_said_with_brackets_and_a_dash(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    say(&c, "I'd like to leave a message");
    say(&c, "Dana");
    const char *r = say(&c, "please use (510) 123-4567");
    CHECK(has(r, "5 1 0, 1 2 3, 4 5 6 7"));
    say(&c, "that's right");
    say(&c, "need a quote for repiping");
    CHECK(c.out.tool.tool == RX_TOOL_TAKE_MESSAGE);
    CHECK_STR_EQ(c.out.tool.callback_number, "+15101234567");
    CHECK_STR_EQ(c.out.tool.caller_name, "Dana");
}

static void test_plumber_takes_a_number_with_area_code_and_oh_for_zero(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    say(&c, "leave a message");
    say(&c, "Ana");
    const char *r = say(&c, "area code four one five, then five five five, oh one three four");
    CHECK(has(r, "4 1 5, 5 5 5, 0 1 3 4"));
    say(&c, "yes");
    say(&c, "the water pressure upstairs is low");
    CHECK_STR_EQ(c.out.tool.callback_number, "+14155550134");
}

static void test_plumber_takes_ten_digits_run_together_in_words(void)
{
    struct call c;
    call_start(&c, PLUMBER, "2026-03-02 10:00");
    greet(&c);
    say(&c, "leave a message");
    say(&c, "Ana");
    const char *r = say(&c, "my number is five five five one two three four five six seven");
    CHECK(has(r, "5 5 5, 1 2 3, 4 5 6 7"));
    CHECK(c.mem.pending == RX_ASK_MSG_NUMBER_CONFIRM);
}

int main(void)
{
    if (!rx_load_examples())
        return 1;
    RUN(test_dental_prices_a_cleaning_said_with_fillers_then_books_it);
    RUN(test_dental_books_a_filling_at_two_thirty_for_my_names);
    RUN(test_dental_books_a_cleaning_at_eleven_a_m_with_hesitations_to_the_goodbye);
    RUN(test_dental_takes_another_day_said_with_no_wait);
    RUN(test_dental_moves_a_read_back_booking_to_another_day_and_time);
    RUN(test_dental_does_not_book_noon_in_the_lunch_break);
    RUN(test_dental_does_not_book_a_cleaning_that_ends_after_closing);
    RUN(test_dental_offers_its_first_free_times_for_first_thing_in_the_morning);
    RUN(test_dental_says_the_14th_is_a_saturday_it_is_closed);
    RUN(test_dental_hears_march_3rd_at_3_as_the_afternoon);
    RUN(test_dental_hears_around_3_i_guess_at_the_time_question);
    RUN(test_dental_books_the_day_after_tomorrow);
    RUN(test_dental_asks_which_day_for_sometime_next_week);
    RUN(test_dental_picks_the_earlier_and_the_later_of_two_offered_times);
    RUN(test_dental_checks_another_day_asked_for_instead_of_the_offered_times);
    RUN(test_dental_does_not_invent_implants);
    RUN(test_dental_does_not_price_a_root_canal);
    RUN(test_dental_answers_a_parent_about_children);
    RUN(test_dental_answers_where_to_park_in_other_words);
    RUN(test_dental_tells_a_new_patient_to_come_early);
    RUN(test_dental_cancels_an_appointment_asked_with_fillers);
    RUN(test_dental_cancels_after_hours_too);
    RUN(test_dental_takes_a_message_with_a_number_said_in_groups);
    RUN(test_dental_takes_name_and_number_given_with_the_request);
    RUN(test_dental_names_independence_day_observed_on_july_3rd);
    RUN(test_dental_books_whitening_this_friday_after_asking_its_price);
    RUN(test_dental_transfers_a_caller_who_gives_up_on_booking_for_a_person);
    RUN(test_dental_transfers_after_three_mumbled_turns_without_repeating);
    RUN(test_salon_books_a_haircut_like_saturday_around_11_for_it_s_uh_john);
    RUN(test_salon_books_a_mens_cut_at_five_forty_five_in_the_evening);
    RUN(test_salon_books_a_blowout_at_a_quarter_to_three);
    RUN(test_salon_capitalises_a_name_heard_in_lowercase);
    RUN(test_salon_answers_the_price_at_the_read_back_and_keeps_the_booking);
    RUN(test_salon_asks_the_service_for_the_14th_at_2);
    RUN(test_salon_does_not_book_a_blowout_at_closing_time_on_sunday);
    RUN(test_salon_does_not_book_past_closing_in_the_evening);
    RUN(test_salon_offers_morning_times_and_takes_the_one_picked);
    RUN(test_salon_does_not_invent_manicures);
    RUN(test_salon_gives_no_price_for_a_free_bridal_consultation);
    RUN(test_salon_says_when_it_closes_on_thursday);
    RUN(test_salon_is_closed_on_christmas_said_as_the_25th);
    RUN(test_salon_reads_its_late_arrival_policy_to_a_caller_running_late);
    RUN(test_salon_gives_its_address_to_where_are_you_guys);
    RUN(test_salon_takes_a_message_for_the_manager_it_cannot_transfer_to);
    RUN(test_plumber_transfers_a_kitchen_flooding_at_once);
    RUN(test_plumber_books_a_service_call_for_thursday_morning);
    RUN(test_plumber_books_a_drain_cleaning_on_saturday_morning);
    RUN(test_plumber_answers_whether_it_is_licensed);
    RUN(test_plumber_gives_its_area_without_claiming_san_jose);
    RUN(test_plumber_prices_a_camera_inspection);
    RUN(test_plumber_corrects_a_caller_who_guesses_the_service_call_fee);
    RUN(test_plumber_says_christmas_closure_keeps_the_emergency_line);
    RUN(test_plumber_forwards_a_saturday_afternoon_call);
    RUN(test_plumber_takes_a_number_said_with_brackets_and_a_dash);
    RUN(test_plumber_takes_a_number_with_area_code_and_oh_for_zero);
    RUN(test_plumber_takes_ten_digits_run_together_in_words);
    rx_free_examples();
    return check_summary();
}
