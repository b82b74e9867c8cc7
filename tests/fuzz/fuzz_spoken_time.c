/* tests/fuzz/fuzz_spoken_time.c: libFuzzer target for what a caller says about a day
 * and a time (spoken_time_parse), the only parser here fed by outside input. Built by
 * `make fuzz`; tests/run-all.sh runs it for a bounded time on
 * tests/fuzz/corpus/spoken_time/.
 *
 * The first byte picks "now" (a day of 2026-2028 and an hour) and the flags, so
 * year ends, leap days and every weekday get explored; the rest is the utterance.
 * Beyond not crashing, every result must be well formed: spans inside the text,
 * valid dates, hours and minutes in range, and the reply built from a
 * result must fit its buffer. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "calendar/civil_date.h"
#include "calendar/say_time.h"
#include "calendar/spoken_time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_span(struct spoken_span s, size_t len)
{
    if (s.start > len || s.len > len - s.start)
        __builtin_trap();
}

/* Relative forms land within about twenty years of now; a spoken year is 1900-2200. */
static void check_date(const struct civil_date *d)
{
    if (!civil_date_is_valid(d) || d->year < 1900 || d->year > 2200)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    struct civil_date base = {2026, 1, 1};
    struct civil_time now = {civil_date_add_days(&base, (int64_t)data[0] * 5), data[0] % 24, 15, 0};
    unsigned flags = data[0] & 1 ? SPOKEN_EXPECT_TIME : 0;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    struct spoken_when w;
    bool is_found = spoken_time_parse(text, len, &now, flags, &w);
    if (is_found != (w.has_date || w.has_range || w.has_time || w.part != SPOKEN_PART_NONE))
        __builtin_trap();
    size_t seen = len < SPOKEN_TIME_TEXT_MAX ? len : SPOKEN_TIME_TEXT_MAX;
    char reply[SAY_TIME_MAX];
    if (w.has_date) {
        check_span(w.date_span, seen);
        check_date(&w.date);
        if (!say_time_date(reply, sizeof reply, &w.date, &now.date))
            __builtin_trap();
    }
    if (w.has_alt_date)
        check_date(&w.alt_date);
    if (w.has_range) {
        check_span(w.range_span, seen);
        check_date(&w.range_first);
        check_date(&w.range_last);
        if (civil_date_compare(&w.range_first, &w.range_last) > 0)
            __builtin_trap();
    }
    if (w.has_time) {
        check_span(w.time_span, seen);
        if (w.hour < 0 || w.hour > 23 || w.minute < 0 || w.minute > 59 || w.alt_hour < 0 ||
            w.alt_hour > 23 || !say_time_clock(reply, sizeof reply, w.hour, w.minute))
            __builtin_trap();
        if (w.has_date) {
            struct civil_time when = {w.date, w.hour, w.minute, 0};
            if (!say_time_when(reply, sizeof reply, &when, &now.date))
                __builtin_trap();
        }
    }
    if (w.part != SPOKEN_PART_NONE)
        check_span(w.part_span, seen);
    return 0;
}
