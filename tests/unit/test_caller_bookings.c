/* tests/unit/test_caller_bookings.c: the line format of a caller's bookings and which
 * booking a cancel means, the caller's soonest or the one the business names
 * (lib/booking/caller_bookings.c); the scripts are tested on a real Redis in
 * tests/integration/test_cancel_move.py. */
#include "check.h"

#include "booking/caller_bookings.h"

#define ID1 "5f1d7c0e-0000-4000-8000-000000000001"
#define ID2 "5f1d7c0e-0000-4000-8000-000000000002"
#define ID3 "5f1d7c0e-0000-4000-8000-000000000003"
#define BY "9a1d7c0e-0000-4000-8000-0000000000ff"

static struct caller_booking booking(const char *id, int64_t start_ms, const char *by)
{
    struct caller_booking b = {.start_ms = start_ms, .end_ms = start_ms + 3600000,
                               .step_ms = 1800000, .nslots = 2};
    snprintf(b.id, sizeof b.id, "%s", id);
    snprintf(b.cancelled_by, sizeof b.cancelled_by, "%s", by);
    snprintf(b.service, sizeof b.service, "Cut and colour");
    return b;
}

static void test_a_line_round_trips_with_a_service_name_of_several_words(void)
{
    struct caller_booking b = booking(ID1, 1772636400000, ""), back;
    char line[CALLER_BOOKING_LINE_MAX];
    CHECK(caller_booking_format(&b, line, sizeof line));
    CHECK_STR_EQ(line, "1772636400000 1772640000000 1800000 2 - Cut and colour");
    CHECK(caller_booking_parse(ID1, strlen(ID1), line, strlen(line), &back));
    CHECK_STR_EQ(back.id, ID1);
    CHECK_STR_EQ(back.service, "Cut and colour");
    CHECK_STR_EQ(back.cancelled_by, "");
    CHECK_INT_EQ(back.start_ms, 1772636400000);
    CHECK_INT_EQ(back.nslots, 2);
    b = booking(ID1, 1772636400000, BY);
    CHECK(caller_booking_format(&b, line, sizeof line));
    CHECK(caller_booking_parse(ID1, strlen(ID1), line, strlen(line), &back));
    CHECK_STR_EQ(back.cancelled_by, BY);
}

static void test_lines_that_are_not_ours_are_refused(void)
{
    struct caller_booking out;
    const char *bad[] = {"", "garbage", "1 2 3 4 - ", "10 5 1800000 1 - Cut",   /* ends first */
                         "1 2 0 1 - Cut", "1 2 1800000 0 - Cut", "1 2 1800000 97 - Cut",
                         "1 2 1800000 1 nobody Cut", NULL};
    for (int i = 0; bad[i] != NULL; i++)
        CHECK(!caller_booking_parse(ID1, strlen(ID1), bad[i], strlen(bad[i]), &out));
    const char *ok = "1 2 1800000 1 - Cut";
    CHECK(!caller_booking_parse("not-a-uuid", 10, ok, strlen(ok), &out));
    CHECK(caller_booking_parse(ID1, strlen(ID1), ok, strlen(ok), &out));
}

static void test_cancel_means_the_soonest_booking_still_ahead(void)
{
    int64_t now = 1772550000000;
    struct caller_booking list[] = {booking(ID1, now - 3600000, ""),   /* started already */
                                    booking(ID2, now + 7 * 86400000LL, ""),
                                    booking(ID3, now + 86400000, "")};
    CHECK_STR_EQ(caller_bookings_pick(list, 3, now, BY)->id, ID3);
    list[2] = booking(ID3, now + 86400000, "9a1d7c0e-0000-4000-8000-0000000000aa");
    CHECK_STR_EQ(caller_bookings_pick(list, 3, now, BY)->id, ID2);   /* another call cancelled it */
    CHECK(caller_bookings_pick(list, 1, now, BY) == NULL);
    CHECK(caller_bookings_pick(list, 0, now, BY) == NULL);
}

static void test_a_replayed_cancel_finds_the_booking_it_cancelled(void)
{
    int64_t now = 1772550000000;
    struct caller_booking list[] = {booking(ID2, now + 86400000, ""),
                                    booking(ID3, now + 7 * 86400000LL, BY)};
    CHECK_STR_EQ(caller_bookings_pick(list, 2, now, BY)->id, ID3);
}

static void test_a_booking_named_by_the_business_is_found_by_its_id(void)
{
    int64_t now = 1772550000000;
    struct caller_booking list[] = {booking(ID1, now + 86400000, ""),
                                    booking(ID2, now - 3600000, BY)};   /* past and cancelled */
    CHECK_STR_EQ(caller_bookings_find(list, 2, ID2)->id, ID2);
    CHECK(caller_bookings_find(list, 2, ID3) == NULL);
    CHECK(caller_bookings_find(list, 0, ID1) == NULL);
}

static void test_the_cancelling_mark_is_per_business_and_call(void)
{
    char a[37], b[37], c[37];
    caller_bookings_by(a, "5f1d7c0e-0000-4000-8000-00000000000a", "v3:call-1");
    caller_bookings_by(b, "5f1d7c0e-0000-4000-8000-00000000000a", "v3:call-2");
    caller_bookings_by(c, "5f1d7c0e-0000-4000-8000-00000000000b", "v3:call-1");
    CHECK(strcmp(a, b) != 0 && strcmp(a, c) != 0);
    caller_bookings_by(b, "5f1d7c0e-0000-4000-8000-00000000000a", "v3:call-1");
    CHECK_STR_EQ(a, b);
}

int main(void)
{
    RUN(test_a_line_round_trips_with_a_service_name_of_several_words);
    RUN(test_lines_that_are_not_ours_are_refused);
    RUN(test_cancel_means_the_soonest_booking_still_ahead);
    RUN(test_a_replayed_cancel_finds_the_booking_it_cancelled);
    RUN(test_a_booking_named_by_the_business_is_found_by_its_id);
    RUN(test_the_cancelling_mark_is_per_business_and_call);
    return check_summary();
}
