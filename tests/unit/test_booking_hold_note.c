/* tests/unit/test_booking_hold_note.c: the note a hold leaves in its call's state hash
 * (lib/booking/booking_hold.h: "<first start ms> <step ms> <slots> <event id>"), which the
 * next owner of the business reads to book or give the hold back, and the slots it
 * stands for. */
#include <string.h>

#include "booking/booking_hold.h"
#include "check.h"

#define SLOT_MS (15LL * 60000)
#define START 1772899200000LL       /* 2026-03-07 10:00 in Chicago */

static bool parse(const char *text, struct booking_hold_note *note)
{
    return booking_hold_note_parse(text, strlen(text), note);
}

static void test_a_note_reads_back_as_written(void)
{
    struct booking_hold_note note = {.first_start_ms = START, .step_ms = SLOT_MS, .nslots = 4};
    strcpy(note.event_id, "0c6a9c1e-2b7e-4bd2-9d5c-1a1b1c1d1e1f");
    char text[256];
    CHECK(booking_hold_note_format(&note, text, sizeof text));
    CHECK_STR_EQ(text, "1772899200000 900000 4 0c6a9c1e-2b7e-4bd2-9d5c-1a1b1c1d1e1f");
    struct booking_hold_note back;
    CHECK(parse(text, &back));
    CHECK_INT_EQ(back.first_start_ms, START);
    CHECK_INT_EQ(back.step_ms, SLOT_MS);
    CHECK_INT_EQ(back.nslots, 4);
    CHECK_STR_EQ(back.event_id, note.event_id);
    /* a timer's event id has colons; any text but an empty one is an event id */
    CHECK(parse("1772899200000 0 1 timer:v3:abc:1772899200000", &back));
    CHECK_STR_EQ(back.event_id, "timer:v3:abc:1772899200000");
    CHECK(parse("1 0 1 an event id with spaces", &back));
    CHECK_STR_EQ(back.event_id, "an event id with spaces");
}

static void test_the_slots_of_a_note_are_its_grid(void)
{
    struct booking_hold_note note;
    int64_t starts[BOOKING_HOLD_SLOTS_MAX];
    CHECK(parse("1772899200000 900000 3 ev", &note));
    CHECK_INT_EQ(booking_hold_note_starts(&note, starts), 3);
    CHECK_INT_EQ(starts[0], START);
    CHECK_INT_EQ(starts[1], START + SLOT_MS);
    CHECK_INT_EQ(starts[2], START + 2 * SLOT_MS);
    CHECK(parse("1772899200000 0 1 ev", &note));
    CHECK_INT_EQ(booking_hold_note_starts(&note, starts), 1);
    CHECK_INT_EQ(starts[0], START);
}

static void test_what_is_not_a_note_is_refused(void)
{
    struct booking_hold_note note;
    const char *bad[] = {
        "", "1772899200000", "1772899200000 900000 3", "1772899200000 900000 3 ",
        "1772899200000 900000 0 ev",          /* no slot */
        "1772899200000 900000 97 ev",         /* more than a booking may cover */
        "1772899200000 0 2 ev",               /* two slots, no step */
        "1772899200000 -900000 2 ev",
        "01772899200000 900000 3 ev",         /* not as written */
        "1772899200000  900000 3 ev",
        "1772899200000\t900000 3 ev",
        "x 900000 3 ev", "1772899200000 900000 3x ev",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (parse(bad[i], &note)) {
            fprintf(stderr, "  accepted: '%s'\n", bad[i]);
            CHECK(false);
        }
    }
    char long_event[BOOKING_EVENT_ID_MAX + 40];
    memset(long_event, 'e', sizeof long_event);
    memcpy(long_event, "1 0 1 ", 6);
    long_event[6 + BOOKING_EVENT_ID_MAX + 1] = '\0';      /* one byte over */
    CHECK(!parse(long_event, &note));
    long_event[6 + BOOKING_EVENT_ID_MAX] = '\0';
    CHECK(parse(long_event, &note));
    struct booking_hold_note none = {.first_start_ms = START, .nslots = 1};
    char text[256];
    CHECK(!booking_hold_note_format(&none, text, sizeof text));      /* no event */
    strcpy(none.event_id, "ev");
    CHECK(!booking_hold_note_format(&none, text, 10));               /* no room */
    CHECK(booking_hold_note_format(&none, text, sizeof text));
}

int main(void)
{
    RUN(test_a_note_reads_back_as_written);
    RUN(test_the_slots_of_a_note_are_its_grid);
    RUN(test_what_is_not_a_note_is_refused);
    return check_summary();
}
