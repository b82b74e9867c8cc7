/* lib/calendar/spoken_time.h: what a caller said about a day and a time ("can I come in next
 * Tuesday at half past two?"), understood relative to the business's local "now".
 * Deterministic, no allocation, a few microseconds per utterance; words it does not
 * know are skipped, so the phrase may sit anywhere in a sentence.
 *
 * Readings chosen where speech is ambiguous:
 *   "friday", "on friday"  the next Friday after today. Said on a Friday: a week later,
 *                          with alt_date = today (the caller may mean today).
 *   "this friday"          the Friday of the next seven days, today included.
 *   "next friday"          the next Friday after today (the common reading), and if that
 *                          Friday falls in the current Monday-Sunday week, alt_date is a
 *                          week later (some mean "Friday of next week").
 *   "last friday"          the most recent Friday before today.
 *   "friday next week"     the Friday of next Monday-Sunday week.
 *   "the 14th"             the next 14th from today, today included; a month without
 *                          that day is skipped ("the 31st" said in February: March 31st).
 *   "march 3rd", "3/14"    the next such date from today, today included (a later year
 *                          if it has passed), except that one passed in the last 30 days
 *                          is that past date (a slip the caller should hear about, not a
 *                          date a year ahead). "3/14" is US month/day; "14/3" (no 14th
 *                          month) is read as day/month. A year may follow.
 *   "christmas", "thanksgiving", "new year's eve", "memorial day", ...  common US
 *                          holidays by name: the next one from today, today included.
 *   "saturdays", "weekends"  a plural is that day in general: is_every, with the next
 *                          such day (today included) as the date, or the coming Saturday
 *                          and Sunday as the range.
 *   "a week from today", "two weeks from tomorrow", "in a week"  counted from that day.
 *   "next week"            a range, Monday-Sunday of next week; "this week" is today to
 *                          Sunday; "this weekend"/"the weekend" the coming Saturday and
 *                          Sunday (today included); "next weekend" that of next week.
 *   "at 3", "three thirty" without am/pm or a part of the day: is_time_ambiguous, hour
 *                          holds the daytime reading (7-11 am, 12 noon, 1-6 pm) and
 *                          alt_hour the other; the caller decides (business hours).
 *                          A 24-hour form ("15:00", "08:30") is never ambiguous.
 *   "in the morning", "tonight", ... settle am/pm: "at 10 in the morning" is 10:00,
 *                          "tonight at 8" 20:00; "night" reads 12 as midnight and 1-4 as am.
 *   "noon"/"midday" 12:00, "midnight" 00:00 of the date given.
 *   A bare number ("two") is a time only after a cue ("at", "around", "about", "by",
 *   "after", "before", "until", "from"), before "ish" or a part of the day ("8 in the
 *   evening"), right after a date ("tuesday 3"), or with SPOKEN_EXPECT_TIME (the
 *   receptionist just asked for a time). "tonight" is today and the evening.
 *   Several mentions: the last one wins; has_*_conflict says if they disagreed.
 *   "good morning" is a greeting, not a part of the day. */
#ifndef FD_SPOKEN_TIME_H
#define FD_SPOKEN_TIME_H
#include <stdbool.h>
#include <stddef.h>

#include "calendar/civil_date.h"

#define SPOKEN_TIME_TEXT_MAX 1024      /* bytes of an utterance looked at; the rest is ignored */

enum spoken_part {
    SPOKEN_PART_NONE,
    SPOKEN_PART_MORNING,        /* see spoken_part_hours() */
    SPOKEN_PART_AFTERNOON,
    SPOKEN_PART_EVENING,
    SPOKEN_PART_NIGHT,
};

enum spoken_bound {
    SPOKEN_BOUND_AT,            /* "at 3", "3pm" */
    SPOKEN_BOUND_AFTER,         /* "after 3" */
    SPOKEN_BOUND_BEFORE,        /* "before 3", "by 3", "until 3" */
};

/* Bytes [start, start + len) of the utterance; len 0 if nothing was said. */
struct spoken_span {
    size_t start, len;
};

struct spoken_when {
    bool has_date;
    struct civil_date date;             /* resolved: "tomorrow" -> 2026-03-03 */
    struct spoken_span date_span;
    bool has_alt_date;
    struct civil_date alt_date;         /* the other reading, see above */
    bool has_date_conflict;             /* two dates were said and they differ */

    bool has_range;                     /* "next week", "this weekend" */
    struct civil_date range_first, range_last;   /* inclusive */
    struct spoken_span range_span;
    bool is_every;                      /* the last date or range said was a plural, a day
                                           in general ("saturdays", "weekends"); it holds
                                           the next such day(s) */

    bool has_time;
    int hour, minute;                   /* 0-23, 0-59: the preferred reading */
    bool is_time_ambiguous;
    int alt_hour;                       /* when ambiguous: the other reading */
    bool is_approximate;                /* "around 4", "4ish" */
    enum spoken_bound bound;
    struct spoken_span time_span;       /* with its cue: "around 4" */
    bool has_time_conflict;

    enum spoken_part part;              /* "in the morning", "tonight" */
    struct spoken_span part_span;
};

#define SPOKEN_EXPECT_TIME 1u           /* a bare number is an hour ("two", "10") */

/* Reads len bytes of text (no NUL needed, any bytes; case is ignored), with now the
 * business's local wall time (a valid date). Fills *out and returns true if a date,
 * range, time or part of the day was found. Never reads past len or SPOKEN_TIME_TEXT_MAX. */
bool spoken_time_parse(const char *text, size_t len, const struct civil_time *now,
                       unsigned flags, struct spoken_when *out);

/* The hours a part of the day means, [*first_hour, *end_hour): morning 5-12,
 * afternoon 12-17, evening 17-21, night 21-24; NONE gives 0-24. */
void spoken_part_hours(enum spoken_part part, int *first_hour, int *end_hour);

#endif
