/* tests/unit/test_booking_slots.c: where bookings may start (lib/booking/booking_slots.h), for a
 * dental clinic in America/New_York: Monday 09:00-12:00 and 13:00-17:00, Tuesday to
 * Friday 09:00-17:00, closed at weekends and on 2026-02-10; 30-minute slots, an hour's
 * lead time, two weeks ahead, two chairs. Times below are local (EST, UTC-5). */
#include <stdlib.h>

#include "booking/booking_slots.h"
#include "check.h"

#define MIN_MS 60000LL
#define HOUR_MS (60 * MIN_MS)
/* 2026-02-02 (a Monday) 00:00 EST, in Unix ms. */
#define MON_MIDNIGHT (1770040800000LL - 9 * HOUR_MS)
#define LOCAL(day_offset, h, m) (MON_MIDNIGHT + (day_offset) * 24 * HOUR_MS + (h) * HOUR_MS + (m) * MIN_MS)

static const char clinic_doc[] =
    "{\"config_version\":1,\"business_name\":\"Clinic\",\"timezone\":\"America/New_York\","
    "\"hours\":{\"mon\":[{\"open\":\"09:00\",\"close\":\"12:00\"},{\"open\":\"13:00\",\"close\":\"17:00\"}],"
    "\"tue\":[{\"open\":\"09:00\",\"close\":\"17:00\"}],\"wed\":[{\"open\":\"09:00\",\"close\":\"17:00\"}],"
    "\"thu\":[{\"open\":\"09:00\",\"close\":\"17:00\"}],\"fri\":[{\"open\":\"09:00\",\"close\":\"17:00\"}],"
    "\"sat\":[],\"sun\":[{\"open\":\"00:00\",\"close\":\"24:00\"}]},"
    "\"closures\":[{\"date\":\"2026-02-10\",\"reason\":\"Staff training\"}],"
    "\"services\":[{\"name\":\"Cleaning\",\"duration_minutes\":60},"
    "{\"name\":\"Checkup\",\"duration_minutes\":30}],"
    "\"booking\":{\"enabled\":true,\"slot_minutes\":30,\"lead_time_minutes\":60,"
    "\"max_days_ahead\":14,\"capacity_per_slot\":2}}";

static struct agent_config *cfg;
static struct tz *zone;
static struct booking_slot slots[BOOKING_SLOTS_MAX];
static size_t nslots;

static enum booking_day day_slots(int y, int m, int d, unsigned duration, int64_t now_ms)
{
    struct civil_date day = {y, m, d};
    return booking_slots_for_day(cfg, zone, duration, &day, now_ms, slots, &nslots);
}

/* The previous Friday at noon: far enough that no lead time interferes. */
static const int64_t friday_noon = LOCAL(-3, 12, 0);

static void test_a_short_service_fills_each_opening_range_on_the_grid(void)
{
    CHECK(day_slots(2026, 2, 2, 30, friday_noon) == BOOKING_DAY_OPEN);
    CHECK_INT_EQ(nslots, 6 + 8);                    /* 09:00..11:30, 13:00..16:30 */
    CHECK_INT_EQ(slots[0].start_ms, LOCAL(0, 9, 0));
    CHECK_INT_EQ(slots[0].minute_of_day, 9 * 60);
    CHECK_INT_EQ(slots[5].minute_of_day, 11 * 60 + 30);
    CHECK_INT_EQ(slots[6].start_ms, LOCAL(0, 13, 0));  /* the grid restarts after lunch */
    CHECK_INT_EQ(slots[13].minute_of_day, 16 * 60 + 30);
    CHECK(!slots[0].is_free);
}

static void test_the_whole_service_must_fit_before_closing(void)
{
    CHECK(day_slots(2026, 2, 2, 60, friday_noon) == BOOKING_DAY_OPEN);
    CHECK_INT_EQ(nslots, 5 + 7);                    /* 09:00..11:00, 13:00..16:00 */
    CHECK_INT_EQ(slots[4].minute_of_day, 11 * 60);
    CHECK_INT_EQ(slots[11].minute_of_day, 16 * 60);
    CHECK(day_slots(2026, 2, 2, 90, friday_noon) == BOOKING_DAY_OPEN);
    CHECK_INT_EQ(nslots, 4 + 6);                    /* 09:00..10:30, 13:00..15:30 */
    CHECK(day_slots(2026, 2, 2, 45, friday_noon) == BOOKING_DAY_OPEN);
    CHECK_INT_EQ(slots[nslots - 1].minute_of_day, 16 * 60);   /* 16:00-16:45 fits, 16:30 does not */
}

static void test_a_service_longer_than_every_range_has_no_slot_that_day(void)
{
    CHECK(day_slots(2026, 2, 2, 300, friday_noon) == BOOKING_DAY_CLOSED);
    CHECK_INT_EQ(nslots, 0);
    CHECK(day_slots(2026, 2, 3, 300, friday_noon) == BOOKING_DAY_OPEN);  /* Tuesday 9-17 */
    CHECK_INT_EQ(nslots, 7);                        /* 09:00..12:00 */
}

static void test_no_slots_on_closures_or_closed_weekdays(void)
{
    CHECK(day_slots(2026, 2, 10, 30, friday_noon) == BOOKING_DAY_CLOSURE);
    CHECK_INT_EQ(nslots, 0);
    CHECK(day_slots(2026, 2, 7, 30, friday_noon) == BOOKING_DAY_CLOSED);   /* Saturday */
    CHECK_INT_EQ(nslots, 0);
}

static void test_nothing_starts_within_the_lead_time(void)
{
    /* Monday 10:10: the earliest start is 11:10, so the first slot is 11:30. */
    CHECK(day_slots(2026, 2, 2, 30, LOCAL(0, 10, 10)) == BOOKING_DAY_OPEN);
    CHECK_INT_EQ(nslots, 1 + 8);
    CHECK_INT_EQ(slots[0].minute_of_day, 11 * 60 + 30);
    /* Exactly the lead time away is allowed. */
    CHECK(day_slots(2026, 2, 2, 30, LOCAL(0, 12, 0)) == BOOKING_DAY_OPEN);
    CHECK_INT_EQ(slots[0].minute_of_day, 13 * 60);
    /* Monday 16:00: 16:30 is within the hour, and nothing is left. */
    CHECK(day_slots(2026, 2, 2, 30, LOCAL(0, 16, 0)) == BOOKING_DAY_TOO_SOON);
    CHECK_INT_EQ(nslots, 0);
}

static void test_days_before_today_and_beyond_max_days_ahead_have_no_slots(void)
{
    int64_t monday_8am = LOCAL(0, 8, 0);
    CHECK(day_slots(2026, 1, 30, 30, monday_8am) == BOOKING_DAY_PAST);
    CHECK(day_slots(2026, 2, 16, 30, monday_8am) == BOOKING_DAY_OPEN);   /* today + 14 */
    CHECK(day_slots(2026, 2, 17, 30, monday_8am) == BOOKING_DAY_TOO_FAR);
    CHECK_INT_EQ(nslots, 0);
    /* "Today" is the business's date: Monday 23:30 EST is already Tuesday in UTC. */
    CHECK(day_slots(2026, 2, 2, 30, LOCAL(0, 23, 30)) == BOOKING_DAY_TOO_SOON);
    CHECK(day_slots(2026, 2, 17, 30, LOCAL(0, 23, 30)) == BOOKING_DAY_TOO_FAR);
}

static void test_booking_off_means_no_slots(void)
{
    struct agent_config off = *cfg;
    off.booking.is_enabled = false;
    struct civil_date day = {2026, 2, 2};
    CHECK(booking_slots_for_day(&off, zone, 30, &day, friday_noon, slots, &nslots) ==
          BOOKING_DAY_DISABLED);
    CHECK_INT_EQ(nslots, 0);
    struct civil_date bad = {2026, 2, 30};
    CHECK(booking_slots_for_day(cfg, zone, 30, &bad, friday_noon, slots, &nslots) ==
          BOOKING_DAY_DISABLED);
}

static void test_wall_times_skipped_by_spring_forward_are_no_slots(void)
{
    /* Sunday 2026-03-08, open all day: 02:00 and 02:30 EST do not exist. */
    CHECK(day_slots(2026, 3, 8, 30, LOCAL(31, 12, 0)) == BOOKING_DAY_OPEN);
    CHECK_INT_EQ(nslots, 48 - 2);
    CHECK_INT_EQ(slots[3].minute_of_day, 1 * 60 + 30);
    CHECK_INT_EQ(slots[4].minute_of_day, 3 * 60);
    CHECK_INT_EQ(slots[4].start_ms - slots[3].start_ms, 30 * MIN_MS);   /* 01:30 EST, 03:00 EDT */
}

static void test_a_booking_covers_its_duration_rounded_up_to_slots(void)
{
    int64_t out[8];
    CHECK_INT_EQ(booking_slots_spanned(30, 30), 1);
    CHECK_INT_EQ(booking_slots_spanned(30, 20), 1);
    CHECK_INT_EQ(booking_slots_spanned(30, 61), 3);
    CHECK_INT_EQ(booking_slots_spanned(0, 30), 0);
    CHECK_INT_EQ(booking_slots_covered(LOCAL(0, 9, 0), 30, 90, out, 8), 3);
    CHECK_INT_EQ(out[0], LOCAL(0, 9, 0));
    CHECK_INT_EQ(out[2], LOCAL(0, 10, 0));
    CHECK_INT_EQ(booking_slots_covered(LOCAL(0, 9, 0), 30, 90, out, 2), 0);   /* no room */
}

/* Monday, the hour-long cleaning, with both chairs taken at 10:00. */
static size_t cleaning_with_ten_oclock_full(void)
{
    static int64_t starts[BOOKING_SLOTS_MAX];
    static unsigned taken[BOOKING_SLOTS_MAX];
    day_slots(2026, 2, 2, 60, friday_noon);
    size_t n = booking_slots_to_count(slots, nslots, 30, 60, starts, BOOKING_SLOTS_MAX);
    for (size_t i = 0; i < n; i++)
        taken[i] = starts[i] == LOCAL(0, 10, 0) ? 2 : starts[i] == LOCAL(0, 9, 0) ? 1 : 0;
    booking_slots_mark_free(slots, nslots, 30, 60, 2, starts, taken, n);
    return n;
}

static void test_a_slot_is_free_only_when_every_slot_it_covers_has_a_place(void)
{
    size_t n = cleaning_with_ten_oclock_full();
    CHECK_INT_EQ(n, 6 + 8);             /* every half hour the hour-long starts cover */
    CHECK(slots[0].is_free);            /* 09:00-10:00: one chair left at 09:00 */
    CHECK(!slots[1].is_free);           /* 09:30-10:30 covers 10:00 */
    CHECK(!slots[2].is_free);           /* 10:00 */
    CHECK(slots[3].is_free);            /* 10:30 */
    CHECK(booking_slots_find(slots, nslots, LOCAL(0, 10, 30)) == 3);
    CHECK(booking_slots_find(slots, nslots, LOCAL(0, 10, 15)) == -1);
    /* A count that was never asked for is not taken as free. */
    int64_t one[] = {LOCAL(0, 9, 0)};
    unsigned zero[] = {0};
    booking_slots_mark_free(slots, nslots, 30, 60, 2, one, zero, 1);
    CHECK(!slots[0].is_free);
}

static void test_the_nearest_free_times_are_offered_in_time_order(void)
{
    cleaning_with_ten_oclock_full();
    size_t out[4];
    /* 10:00 is taken: 10:30 is 30 min away; 09:00 and 11:00 tie at an hour, the
     * earlier wins. */
    CHECK_INT_EQ(booking_slots_nearest_free(slots, nslots, LOCAL(0, 10, 0), out, 2), 2);
    CHECK_INT_EQ(slots[out[0]].minute_of_day, 9 * 60);
    CHECK_INT_EQ(slots[out[1]].minute_of_day, 10 * 60 + 30);
    CHECK_INT_EQ(booking_slots_nearest_free(slots, nslots, LOCAL(0, 10, 0), out, 3), 3);
    CHECK_INT_EQ(slots[out[2]].minute_of_day, 11 * 60);
    /* A free time asked for is the first offer; over lunch both sides are an hour away. */
    CHECK_INT_EQ(booking_slots_nearest_free(slots, nslots, LOCAL(0, 10, 30), out, 1), 1);
    CHECK_INT_EQ(slots[out[0]].minute_of_day, 10 * 60 + 30);
    CHECK_INT_EQ(booking_slots_nearest_free(slots, nslots, LOCAL(0, 12, 0), out, 2), 2);
    CHECK_INT_EQ(slots[out[0]].minute_of_day, 11 * 60);
    CHECK_INT_EQ(slots[out[1]].minute_of_day, 13 * 60);
    /* Past the last slot, and with nothing free at all. */
    CHECK_INT_EQ(booking_slots_nearest_free(slots, nslots, LOCAL(0, 20, 0), out, 2), 2);
    CHECK_INT_EQ(slots[out[1]].minute_of_day, 16 * 60);
    for (size_t i = 0; i < nslots; i++)
        slots[i].is_free = false;
    CHECK_INT_EQ(booking_slots_nearest_free(slots, nslots, LOCAL(0, 10, 0), out, 2), 0);
}

int main(void)
{
    char why[256];
    const char *tz_why = NULL;
    if (agent_config_parse(clinic_doc, sizeof clinic_doc - 1, &cfg, why, sizeof why) != APP_OK) {
        fprintf(stderr, "test document refused: %s\n", why);
        return 1;
    }
    zone = tz_create(NULL, "America/New_York", &tz_why);
    if (zone == NULL) {
        fprintf(stderr, "no America/New_York: %s\n", tz_why);
        return 1;
    }
    RUN(test_a_short_service_fills_each_opening_range_on_the_grid);
    RUN(test_the_whole_service_must_fit_before_closing);
    RUN(test_a_service_longer_than_every_range_has_no_slot_that_day);
    RUN(test_no_slots_on_closures_or_closed_weekdays);
    RUN(test_nothing_starts_within_the_lead_time);
    RUN(test_days_before_today_and_beyond_max_days_ahead_have_no_slots);
    RUN(test_booking_off_means_no_slots);
    RUN(test_wall_times_skipped_by_spring_forward_are_no_slots);
    RUN(test_a_booking_covers_its_duration_rounded_up_to_slots);
    RUN(test_a_slot_is_free_only_when_every_slot_it_covers_has_a_place);
    RUN(test_the_nearest_free_times_are_offered_in_time_order);
    tz_free(zone);
    agent_config_free(cfg);
    return check_summary();
}
