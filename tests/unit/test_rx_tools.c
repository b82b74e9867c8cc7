/* tests/unit/test_rx_tools.c: tool names, and the day and time of a tool
 * call's arguments (lib/receptionist/rx_tools.c), which the built-in receptionist writes
 * and the worker, the model's answers and the after-call analysis read. */
#include "check.h"

#include "receptionist/rx_tools.h"

static void test_names_round_trip_and_unknown_names_are_none(void)
{
    for (int t = RX_TOOL_CHECK_AVAILABILITY; t <= RX_TOOL_END_CALL; t++)
        CHECK(rx_tool_from_name(rx_tool_name((enum rx_tool)t)) == (enum rx_tool)t);
    CHECK(rx_tool_from_name("launch_rocket") == RX_TOOL_NONE);
    CHECK(rx_tool_from_name("") == RX_TOOL_NONE);
}

static void test_days_parse_only_as_real_dates(void)
{
    struct civil_date d = {0, 0, 0};
    CHECK(rx_tool_day_parse("2026-03-04", &d) && d.year == 2026 && d.month == 3 && d.day == 4);
    CHECK(rx_tool_day_parse("2028-02-29", &d));
    const char *bad[] = {"", "2026-3-4", "2026-02-30", "2026-13-01", "2026-03-04 ", "20260304",
                         "2026/03/04", "+026-03-04", "2026-03-0x", NULL};
    for (int i = 0; bad[i] != NULL; i++)
        CHECK(!rx_tool_day_parse(bad[i], &d));
}

static void test_times_parse_only_as_24_hour_clock_times(void)
{
    CHECK_INT_EQ(rx_tool_minute_parse("00:00"), 0);
    CHECK_INT_EQ(rx_tool_minute_parse("14:30"), 870);
    CHECK_INT_EQ(rx_tool_minute_parse("23:59"), 1439);
    const char *bad[] = {"", "24:00", "12:60", "9:30", "09:3", "0930", "09:30pm", " 9:30", NULL};
    for (int i = 0; bad[i] != NULL; i++)
        CHECK_INT_EQ(rx_tool_minute_parse(bad[i]), -1);
}

static void test_formats_are_what_the_parsers_read(void)
{
    char day[11], time[6];
    struct civil_date d = {2026, 12, 1}, back;
    rx_tool_day_format(day, &d);
    CHECK_STR_EQ(day, "2026-12-01");
    CHECK(rx_tool_day_parse(day, &back) && back.year == 2026 && back.month == 12 && back.day == 1);
    rx_tool_minute_format(time, 9 * 60 + 5);
    CHECK_STR_EQ(time, "09:05");
    CHECK_INT_EQ(rx_tool_minute_parse(time), 545);
}

int main(void)
{
    RUN(test_names_round_trip_and_unknown_names_are_none);
    RUN(test_days_parse_only_as_real_dates);
    RUN(test_times_parse_only_as_24_hour_clock_times);
    RUN(test_formats_are_what_the_parsers_read);
    return check_summary();
}
