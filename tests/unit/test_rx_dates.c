/* tests/unit/test_rx_dates.c: caller conversations about days and dates with the
 * built-in receptionist: days counted from today ("a week from today"), a date that has
 * just passed, holidays by name, and weekdays said in the plural ("saturdays",
 * "weekends") as a question about that day in general. Each call checks what the
 * caller would listen for: the day asked about, its hours, and no answer about some
 * other day. Run from the repository root.
 *
 * 2026-03-02 is a Monday. The dental clinic is closed on weekends; the salon is open
 * 9 AM to 5 PM on Saturdays and 11 AM to 4 PM on Sundays. */
#include "rx_call.h"

/* check_availability said yes, with the one free time asked for. */
static void test_a_week_from_today_is_seven_days_ahead(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    say(&c, "can i come in a week from today for a filling at 2");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.day, "2026-03-09");
    CHECK_STR_EQ(c.out.tool.time, "14:00");
    struct rx_tool_result free = free_at(&c, 14 * 60);
    tool_done(&c, &free);
    const char *r = say(&c, "it's jane doe");
    CHECK(has(r, "March 9th"));
    CHECK(has(r, "2 PM"));
}

static void test_a_week_from_tomorrow_is_eight_days_ahead(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    say(&c, "can i get a haircut a week from tomorrow at 3");
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY);
    CHECK_STR_EQ(c.out.tool.day, "2026-03-11");
    CHECK_STR_EQ(c.out.tool.time, "15:00");
}

/* "march 3rd" on March 10th is a slip, not a date a year ahead: the caller hears that
 * the day has passed and is asked for another, not about the 60-day booking window. */
static void test_a_date_just_past_is_said_to_have_passed(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-10 10:00");
    greet(&c);
    const char *r = say(&c, "can i book a cleaning on march 3rd");
    CHECK(lacks(r, "60 days ahead"));
    CHECK(has(r, "passed"));
    CHECK(has(r, "which day"));
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
}

/* On December 29th "new year's day" is the closure on January 1st, not today. */
static void test_dental_new_years_day_by_name_is_the_closure(void)
{
    struct call c;
    call_start(&c, DENTAL, "2025-12-29 11:00");
    greet(&c);
    const char *r = say(&c, "are you open on new year's day");
    CHECK(has(r, "closed"));
    CHECK(has(r, "New Year's Day"));
    CHECK(lacks(r, "today"));
}

static void test_dental_christmas_eve_by_name_gives_that_days_hours(void)
{
    struct call c;
    call_start(&c, DENTAL, "2025-12-15 11:00");
    greet(&c);
    const char *r = say(&c, "are you guys open christmas eve");
    CHECK(has(r, "December 24th"));
    CHECK(has(r, "8 AM to noon and 1 PM to 7 PM"));      /* a Wednesday */
    CHECK(lacks(r, "today"));
}

static void test_salon_saturdays_said_in_the_plural_gives_saturday_hours(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    const char *r = say(&c, "are you open saturdays");
    CHECK(has(r, "Saturdays"));
    CHECK(has(r, "9 AM to 5 PM"));
    CHECK(lacks(r, "until 7 PM today"));
}

static void test_salon_do_you_work_sundays_gives_sunday_hours(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    const char *r = say(&c, "do you work sundays");
    CHECK(has(r, "Sundays"));
    CHECK(has(r, "11 AM to 4 PM"));
    CHECK(lacks(r, "today"));
}

static void test_salon_weekends_gives_saturday_and_sunday_hours(void)
{
    struct call c;
    call_start(&c, SALON, "2026-03-03 12:00");
    greet(&c);
    const char *r = say(&c, "what are your hours on weekends");
    CHECK(has(r, "9 AM to 5 PM"));
    CHECK(has(r, "11 AM to 4 PM"));
    CHECK(lacks(r, "today"));
}

static void test_dental_open_on_weekends_says_closed_on_weekends(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    const char *r = say(&c, "are you open on weekends");
    CHECK(has(r, "closed on weekends"));
    CHECK(has(r, "Friday, 8 AM to 2 PM"));
    CHECK(lacks(r, "today"));
}

/* "do you work with insurance" is not about days: the insurance answer stays. */
static void test_dental_do_you_work_with_insurance_is_not_an_hours_question(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    const char *r = say(&c, "do you work with insurance");
    CHECK(has(r, "Delta Dental"));
    CHECK(lacks(r, "we're open"));
}

static void test_dental_cleanings_on_weekends_says_it_is_closed_on_weekends(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    const char *r = say(&c, "do you do cleanings on weekends");
    CHECK(has(r, "cleaning"));
    CHECK(has(r, "closed on weekends"));
    CHECK(has(r, "Monday, March 9th"));
    CHECK(lacks(r, "Certainly"));
}

/* A service on a day the clinic is open goes on to booking it, that day. */
static void test_dental_cleanings_on_fridays_are_offered(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-02 10:00");
    greet(&c);
    const char *r = say(&c, "do you do cleanings on fridays");
    CHECK(has(r, "Friday"));
    CHECK(has(r, "8 AM to 2 PM"));
    CHECK(lacks(r, "closed"));
}

int main(void)
{
    if (!rx_load_examples())
        return 1;
    RUN(test_a_week_from_today_is_seven_days_ahead);
    RUN(test_a_week_from_tomorrow_is_eight_days_ahead);
    RUN(test_a_date_just_past_is_said_to_have_passed);
    RUN(test_dental_new_years_day_by_name_is_the_closure);
    RUN(test_dental_christmas_eve_by_name_gives_that_days_hours);
    RUN(test_salon_saturdays_said_in_the_plural_gives_saturday_hours);
    RUN(test_salon_do_you_work_sundays_gives_sunday_hours);
    RUN(test_salon_weekends_gives_saturday_and_sunday_hours);
    RUN(test_dental_open_on_weekends_says_closed_on_weekends);
    RUN(test_dental_do_you_work_with_insurance_is_not_an_hours_question);
    RUN(test_dental_cleanings_on_weekends_says_it_is_closed_on_weekends);
    RUN(test_dental_cleanings_on_fridays_are_offered);
    rx_free_examples();
    return check_summary();
}
