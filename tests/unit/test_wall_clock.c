/* Unit tests for lib/calendar/wall_clock.c: FRONTDESK_NOW's instant, its errors, and a pinned
 * clock that runs on in real time. */
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "calendar/wall_clock.h"

static int64_t parsed_ms(const char *text)
{
    int64_t ms = -1;
    const char *why = NULL;
    if (!wall_clock_parse_iso8601(text, &ms, &why))
        fprintf(stderr, "  %s: %s\n", text, why);
    return ms;
}

static void test_parses_instants_with_z_or_an_offset(void)
{
    CHECK_INT_EQ(parsed_ms("2026-03-02T14:15:00Z"), INT64_C(1772460900000));
    CHECK_INT_EQ(parsed_ms("2026-03-02T09:15:00-05:00"), INT64_C(1772460900000));
    CHECK_INT_EQ(parsed_ms("2026-03-02T19:45:00+05:30"), INT64_C(1772460900000));
    CHECK_INT_EQ(parsed_ms("2026-03-02T19:45:00+0530"), INT64_C(1772460900000));
    CHECK_INT_EQ(parsed_ms("2026-03-02T15:15:00+01"), INT64_C(1772460900000));
    CHECK_INT_EQ(parsed_ms("2026-03-02t14:15z"), INT64_C(1772460900000));
    CHECK_INT_EQ(parsed_ms("2026-03-02 14:15:00.250Z"), INT64_C(1772460900250));
    CHECK_INT_EQ(parsed_ms("2026-03-02T14:15:00.123456789Z"), INT64_C(1772460900123));
    CHECK_INT_EQ(parsed_ms("1970-01-01T00:00:00Z"), 0);
    CHECK_INT_EQ(parsed_ms("1969-12-31T23:59:59Z"), -1000);
    CHECK_INT_EQ(parsed_ms("2028-02-29T00:00:00Z"), INT64_C(1835395200000));
}

static void test_malformed_instants_say_what_is_wrong(void)
{
    struct {
        const char *text, *why;
    } cases[] = {
        {"", "expected an ISO 8601 instant such as 2026-03-02T09:15:00-05:00"},
        {"tomorrow", "expected an ISO 8601 instant such as 2026-03-02T09:15:00-05:00"},
        {"2026-03-02", "expected an ISO 8601 instant such as 2026-03-02T09:15:00-05:00"},
        {"2026-3-2T09:15:00Z", "expected an ISO 8601 instant such as 2026-03-02T09:15:00-05:00"},
        {"2026-03-02T09:15:00", "the time must end with Z or a UTC offset such as -05:00"},
        {"2026-03-02T09:15:00 EST", "the time must end with Z or a UTC offset such as -05:00"},
        {"2026-02-30T09:15:00Z", "the date does not exist"},
        {"2026-13-01T09:15:00Z", "the date does not exist"},
        {"2026-03-02T24:00:00Z", "the time of day is out of range"},
        {"2026-03-02T09:60:00Z", "the time of day is out of range"},
        {"2026-03-02T09:15:60Z", "the time of day is out of range"},
        {"2026-03-02T09:15:0Z", "the seconds must be two digits"},
        {"2026-03-02T09:15:00.Z", "a decimal point must be followed by digits"},
        {"2026-03-02T09:15:00Zjunk", "unexpected text after the Z"},
        {"2026-03-02T09:15:00-5:00", "the UTC offset must be +HH:MM, +HHMM or +HH"},
        {"2026-03-02T09:15:00-05:00x", "unexpected text after the UTC offset"},
        {"2026-03-02T09:15:00+24:00", "the UTC offset is out of range"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t ms = 0;
        const char *why = NULL;
        CHECK(!wall_clock_parse_iso8601(cases[i].text, &ms, &why));
        CHECK_STR_EQ(why, cases[i].why);
    }
    const char *why = NULL;
    CHECK(wall_clock_create("2026-03-02T09:15:00", &why) == NULL);
    CHECK_STR_EQ(why, "the time must end with Z or a UTC offset such as -05:00");
}

static void test_a_pinned_clock_starts_at_the_instant_and_runs_on(void)
{
    const char *why = NULL;
    struct wall_clock *clock = wall_clock_create("2026-03-02T09:15:00-05:00", &why);
    CHECK(clock != NULL);
    if (clock == NULL)
        return;
    CHECK(wall_clock_is_pinned(clock));
    int64_t first = wall_clock_now_ms(clock);
    CHECK(first >= INT64_C(1772460900000) && first < INT64_C(1772460900000) + 1000);
    struct timespec pause = {0, 30 * 1000000};
    nanosleep(&pause, NULL);
    int64_t later = wall_clock_now_ms(clock);
    CHECK(later - first >= 30);
    CHECK(later - first < 5000);
    wall_clock_free(clock);
}

static void test_an_unset_or_empty_value_means_real_time(void)
{
    const char *why = NULL;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t real_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    struct wall_clock *clock = wall_clock_create(NULL, &why);
    CHECK(!wall_clock_is_pinned(clock));
    int64_t now = wall_clock_now_ms(clock);
    CHECK(now >= real_ms && now < real_ms + 5000);
    wall_clock_free(clock);
    clock = wall_clock_create("", &why);
    CHECK(!wall_clock_is_pinned(clock));
    wall_clock_free(clock);
    wall_clock_free(NULL);
}

static void test_reads_frontdesk_now_from_the_environment(void)
{
    const char *why = NULL;
    setenv(WALL_CLOCK_ENV, "2030-01-01T00:00:00Z", 1);
    struct wall_clock *clock = wall_clock_create_from_env(&why);
    CHECK(clock != NULL && wall_clock_is_pinned(clock));
    if (clock != NULL)
        CHECK(wall_clock_now_ms(clock) - INT64_C(1893456000000) < 1000);
    wall_clock_free(clock);
    setenv(WALL_CLOCK_ENV, "soon", 1);
    CHECK(wall_clock_create_from_env(&why) == NULL);
    unsetenv(WALL_CLOCK_ENV);
}

int main(void)
{
    RUN(test_parses_instants_with_z_or_an_offset);
    RUN(test_malformed_instants_say_what_is_wrong);
    RUN(test_a_pinned_clock_starts_at_the_instant_and_runs_on);
    RUN(test_an_unset_or_empty_value_means_real_time);
    RUN(test_reads_frontdesk_now_from_the_environment);
    return check_summary();
}
