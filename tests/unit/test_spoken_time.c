/* Unit tests for lib/calendar/spoken_time.c and lib/calendar/say_time.c: a table of utterances with
 * what they mean relative to fixed moments in New York and Los Angeles (a Monday
 * morning, a Saturday night, New Year's Eve, February 28th of leap year 2028, and a
 * Monday evening that is already Tuesday in UTC), then the replies spoken back, and
 * a round trip from one to the other. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "calendar/say_time.h"
#include "calendar/spoken_time.h"
#include "calendar/tz.h"
#include "calendar/tz_cache.h"
#include "calendar/wall_clock.h"

enum now_id { MON_NY, MON_LA, SAT_NIGHT_NY, NYE_NY, LEAP_NY, LATE_MON_NY, LATE_MON_LA, NOW_COUNT };

static const struct {
    const char *zone, *instant;
} nows[NOW_COUNT] = {
    [MON_NY] = {"America/New_York", "2026-03-02T14:15:00Z"},       /* Mon Mar 2, 09:15 EST */
    [MON_LA] = {"America/Los_Angeles", "2026-03-02T14:15:00Z"},    /* Mon Mar 2, 06:15 PST */
    [SAT_NIGHT_NY] = {"America/New_York", "2026-03-08T03:30:00Z"}, /* Sat Mar 7, 22:30 EST */
    [NYE_NY] = {"America/New_York", "2026-12-31T20:00:00Z"},       /* Thu Dec 31, 15:00 */
    [LEAP_NY] = {"America/New_York", "2028-02-28T17:00:00Z"},      /* Mon Feb 28 2028, 12:00 */
    [LATE_MON_NY] = {"America/New_York", "2026-03-03T03:00:00Z"},  /* Mon Mar 2, 22:00 */
    [LATE_MON_LA] = {"America/Los_Angeles", "2026-03-03T03:00:00Z"}, /* Mon Mar 2, 19:00 */
};

static struct tz_cache *cache;

static struct civil_time local_now(enum now_id id)
{
    int64_t ms = 0;
    const char *why = NULL;
    struct tz_local l;
    memset(&l, 0, sizeof l);
    const struct tz *tz = tz_cache_get(cache, nows[id].zone, &why);
    if (tz == NULL || !wall_clock_parse_iso8601(nows[id].instant, &ms, &why) ||
        !tz_to_local(tz, ms / 1000, &l))
        fprintf(stderr, "  cannot set up now %d\n", (int)id);
    return l.wall;
}

static void put_date(char *buf, size_t size, const char *label, const struct civil_date *d)
{
    size_t n = strlen(buf);
    bool is_joined = n == 0 || label[0] == '.';                 /* "range=A..B" */
    snprintf(buf + n, size - n, "%s%s%04d-%02d-%02d", is_joined ? "" : " ", label, d->year,
             d->month, d->day);
}

static void put_text(char *buf, size_t size, const char *text)
{
    size_t n = strlen(buf);
    snprintf(buf + n, size - n, "%s%s", n ? " " : "", text);
}

/* What was understood, in one line: "date=2026-03-03 time=14:30 or=02:30 part=morning". */
static void describe(const struct spoken_when *w, char *buf, size_t size)
{
    static const char *const parts[] = {"", "morning", "afternoon", "evening", "night"};
    char tmp[64];
    buf[0] = '\0';
    if (w->has_date)
        put_date(buf, size, "date=", &w->date);
    if (w->has_alt_date)
        put_date(buf, size, "alt=", &w->alt_date);
    if (w->has_date_conflict)
        put_text(buf, size, "conflict");
    if (w->has_range) {
        put_date(buf, size, "range=", &w->range_first);
        put_date(buf, size, "..", &w->range_last);
    }
    if (w->has_time) {
        snprintf(tmp, sizeof tmp, "time=%02d:%02d", w->hour, w->minute);
        put_text(buf, size, tmp);
        if (w->is_time_ambiguous) {
            snprintf(tmp, sizeof tmp, "or=%02d:%02d", w->alt_hour, w->minute);
            put_text(buf, size, tmp);
        }
        if (w->is_approximate)
            put_text(buf, size, "~");
        if (w->bound != SPOKEN_BOUND_AT)
            put_text(buf, size, w->bound == SPOKEN_BOUND_AFTER ? "after" : "before");
    }
    if (w->is_every)
        put_text(buf, size, "every");
    if (w->part != SPOKEN_PART_NONE) {
        snprintf(tmp, sizeof tmp, "part=%s", parts[w->part]);
        put_text(buf, size, tmp);
    }
}

struct utterance {
    enum now_id now;
    const char *text;
    unsigned flags;
    const char *expect;         /* describe()'s line; "" for nothing understood */
};

static const struct utterance utterances[] = {
    /* Days, said on Monday March 2nd 2026 at 09:15 in New York. */
    {MON_NY, "today", 0, "date=2026-03-02"},
    {MON_NY, "tomorrow", 0, "date=2026-03-03"},
    {MON_NY, "the day after tomorrow", 0, "date=2026-03-04"},
    {MON_NY, "day after tomorrow at noon", 0, "date=2026-03-04 time=12:00"},
    {MON_NY, "tonight", 0, "date=2026-03-02 part=evening"},
    {MON_NY, "tonight at 8", 0, "date=2026-03-02 time=20:00 part=evening"},
    {MON_NY, "yesterday", 0, "date=2026-03-01"},
    {MON_NY, "monday", 0, "date=2026-03-09 alt=2026-03-02"},
    {MON_NY, "on friday", 0, "date=2026-03-06"},
    {MON_NY, "this friday", 0, "date=2026-03-06"},
    {MON_NY, "this monday", 0, "date=2026-03-02"},
    /* a day or two off, "next" is the week after; further off, the coming one */
    {MON_NY, "next tuesday", 0, "date=2026-03-10 alt=2026-03-03"},
    {MON_NY, "next wednesday", 0, "date=2026-03-11 alt=2026-03-04"},
    {MON_NY, "next thursday", 0, "date=2026-03-05 alt=2026-03-12"},
    {MON_NY, "next monday", 0, "date=2026-03-09"},
    {MON_NY, "next sunday", 0, "date=2026-03-08 alt=2026-03-15"},
    {MON_NY, "this coming thursday", 0, "date=2026-03-05"},
    {MON_NY, "last friday", 0, "date=2026-02-27"},
    {MON_NY, "friday next week", 0, "date=2026-03-13"},
    {MON_NY, "tuesday after next", 0, "date=2026-03-10"},
    {MON_NY, "Wednesday's fine", 0, "date=2026-03-04"},
    {MON_NY, "next week", 0, "range=2026-03-09..2026-03-15"},
    {MON_NY, "sometime this week", 0, "range=2026-03-02..2026-03-08"},
    {MON_NY, "this weekend", 0, "range=2026-03-07..2026-03-08"},
    {MON_NY, "over the weekend", 0, "range=2026-03-07..2026-03-08"},
    {MON_NY, "next weekend", 0, "range=2026-03-14..2026-03-15"},
    {MON_NY, "next month", 0, "range=2026-04-01..2026-04-30"},
    {MON_NY, "in two days", 0, "date=2026-03-04"},
    {MON_NY, "in 3 days", 0, "date=2026-03-05"},
    {MON_NY, "in a week", 0, "date=2026-03-09"},
    {MON_NY, "two weeks from today", 0, "date=2026-03-16"},
    {MON_NY, "a week from today", 0, "date=2026-03-09"},
    {MON_NY, "can I come in a week from today at 2", 0, "date=2026-03-09 time=14:00 or=02:00"},
    {MON_NY, "a week from tomorrow", 0, "date=2026-03-10"},
    {MON_NY, "two weeks from tomorrow", 0, "date=2026-03-17"},
    {MON_NY, "a week from friday at 2", 0, "date=2026-03-13 time=14:00 or=02:00"},
    {MON_NY, "two weeks from monday", 0, "date=2026-03-16"},
    {MON_NY, "3 days from saturday", 0, "date=2026-03-10"},
    {MON_NY, "in two weeks", 0, "date=2026-03-16"},
    {MON_NY, "3 days from now", 0, "date=2026-03-05"},
    {MON_NY, "in 2 hours from now", 0, "date=2026-03-02 time=11:15"},
    {MON_NY, "in two hours", 0, "date=2026-03-02 time=11:15"},
    {MON_NY, "in half an hour", 0, "date=2026-03-02 time=09:45"},
    {MON_NY, "the 14th", 0, "date=2026-03-14"},
    {MON_NY, "on the 2nd", 0, "date=2026-03-02"},
    {MON_NY, "the 1st", 0, "date=2026-04-01"},
    {MON_NY, "the first", 0, "date=2026-04-01"},
    {MON_NY, "the 31st", 0, "date=2026-03-31"},
    {MON_NY, "on the 3rd of march", 0, "date=2026-03-03"},
    {MON_NY, "march 3rd", 0, "date=2026-03-03"},
    {MON_NY, "march 1st", 0, "date=2026-03-01"},                /* just passed: a slip */
    {MON_NY, "february 3rd", 0, "date=2026-02-03"},
    {MON_NY, "2/1", 0, "date=2026-02-01"},                      /* 29 days ago */
    {MON_NY, "1/31", 0, "date=2026-01-31"},                     /* 30 days ago: the last */
    {MON_NY, "january 30th", 0, "date=2027-01-30"},             /* 31 days ago: next year */
    {MON_NY, "christmas", 0, "date=2026-12-25"},
    {MON_NY, "on Christmas Day", 0, "date=2026-12-25"},
    {MON_NY, "christmas eve", 0, "date=2026-12-24"},
    {MON_NY, "new year's eve", 0, "date=2026-12-31"},
    {MON_NY, "are you open on new years day", 0, "date=2027-01-01"},
    {MON_NY, "thanksgiving", 0, "date=2026-11-26"},
    {MON_NY, "memorial day", 0, "date=2026-05-25"},
    {MON_NY, "labor day at 10am", 0, "date=2026-09-07 time=10:00"},
    {MON_NY, "independence day", 0, "date=2026-07-04"},
    {MON_NY, "the fourth of july", 0, "date=2026-07-04"},
    {MON_NY, "july fourth", 0, "date=2026-07-04"},
    {MON_NY, "valentine's day", 0, "date=2027-02-14"},
    {MON_NY, "halloween", 0, "date=2026-10-31"},
    {MON_NY, "new patients", 0, ""},
    {MON_NY, "are you open saturdays", 0, "date=2026-03-07 every"},
    {MON_NY, "do you work Mondays", 0, "date=2026-03-02 every"},
    {MON_NY, "on weekends", 0, "range=2026-03-07..2026-03-08 every"},
    {MON_NY, "saturdays, or actually tomorrow", 0, "date=2026-03-03 conflict"},
    {MON_NY, "the fourteenth of april", 0, "date=2026-04-14"},
    {MON_NY, "april the twenty first", 0, "date=2026-04-21"},
    {MON_NY, "june 5", 0, "date=2026-06-05"},
    {MON_NY, "5 june", 0, "date=2026-06-05"},
    {MON_NY, "Sept. 9th", 0, "date=2026-09-09"},
    {MON_NY, "3/14", 0, "date=2026-03-14"},
    {MON_NY, "12/25/2026", 0, "date=2026-12-25"},
    {MON_NY, "1/5/27", 0, "date=2027-01-05"},
    {MON_NY, "25/12", 0, "date=2026-12-25"},
    {MON_NY, "march 3rd, 2027", 0, "date=2027-03-03"},
    {MON_NY, "february 30th", 0, ""},
    {MON_NY, "may 3rd", 0, "date=2026-05-03"},
    {MON_NY, "the 3rd of may", 0, "date=2026-05-03"},
    {MON_NY, "may I come on the 3rd", 0, "date=2026-03-03"},
    {MON_NY, "the 3rd may I come", 0, "date=2026-03-03"},
    /* Times. */
    {MON_NY, "3pm", 0, "time=15:00"},
    {MON_NY, "3 pm", 0, "time=15:00"},
    {MON_NY, "3 p.m. works", 0, "time=15:00"},
    {MON_NY, "11am", 0, "time=11:00"},
    {MON_NY, "12 am", 0, "time=00:00"},
    {MON_NY, "12pm", 0, "time=12:00"},
    {MON_NY, "3:30", 0, "time=15:30 or=03:30"},
    {MON_NY, "15:00", 0, "time=15:00"},
    {MON_NY, "08:30", 0, "time=08:30"},
    {MON_NY, "at 9:45am", 0, "time=09:45"},
    {MON_NY, "3.30pm", 0, "time=15:30"},
    {MON_NY, "it costs 3.50", 0, ""},
    {MON_NY, "half past two", 0, "time=14:30 or=02:30"},
    {MON_NY, "quarter to four", 0, "time=15:45 or=03:45"},
    {MON_NY, "quarter past ten", 0, "time=10:15 or=22:15"},
    {MON_NY, "a quarter after 11", 0, "time=11:15 or=23:15"},
    {MON_NY, "ten to five", 0, "time=16:50 or=04:50"},
    {MON_NY, "twenty past 3 in the afternoon", 0, "time=15:20 part=afternoon"},
    {MON_NY, "quarter to one", 0, "time=12:45 or=00:45"},
    {MON_NY, "five minutes past nine", 0, "time=09:05 or=21:05"},
    {MON_NY, "half two", 0, "time=14:30 or=02:30"},
    {MON_NY, "quarter past noon", 0, "time=12:15"},
    {MON_NY, "noon", 0, "time=12:00"},
    {MON_NY, "midday", 0, "time=12:00"},
    {MON_NY, "midnight", 0, "time=00:00"},
    {MON_NY, "12 noon", 0, "time=12:00"},
    {MON_NY, "in the morning", 0, "part=morning"},
    {MON_NY, "in the afternoon", 0, "part=afternoon"},
    {MON_NY, "this afternoon", 0, "date=2026-03-02 part=afternoon"},
    {MON_NY, "tomorrow morning", 0, "date=2026-03-03 part=morning"},
    {MON_NY, "at 10 in the morning", 0, "time=10:00 part=morning"},
    {MON_NY, "at 3 in the afternoon", 0, "time=15:00 part=afternoon"},
    {MON_NY, "8 in the evening", 0, "time=20:00 part=evening"},
    {MON_NY, "at 11 at night", 0, "time=23:00 part=night"},
    {MON_NY, "around 4", 0, "time=16:00 or=04:00 ~"},
    {MON_NY, "4ish", 0, "time=16:00 or=04:00 ~"},
    {MON_NY, "at like 4", 0, "time=16:00 or=04:00 ~"},
    {MON_NY, "i'd like 2 cleanings", 0, ""},
    /* "like" alone after a pause or the day, the clock ending the clause */
    {MON_NY, "tomorrow morning for a lesson, like nine", 0, "date=2026-03-03 time=09:00 ~ part=morning"},
    {MON_NY, "friday like ten thirty", 0, "date=2026-03-06 time=10:30 or=22:30 ~"},
    {MON_NY, "there's like 5 of us", 0, ""},
    {MON_NY, "tomorrow afternoon round three", 0, "date=2026-03-03 time=15:00 ~ part=afternoon"},
    {MON_NY, "i'd like two", 0, ""},
    /* a weekday "after that": after the date said before it */
    {MON_NY, "i have it on saturday and i'd rather do the saturday after that", 0, "date=2026-03-14 conflict"},
    {MON_NY, "thursday or the monday after that", 0, "date=2026-03-09 conflict"},
    /* a bound said after an exact time is its reason, not another time */
    {MON_NY, "thursday at five, scratch that, six thirty, he can't get off before six", 0,
     "date=2026-03-05 time=18:30 or=06:30"},
    {MON_NY, "at about 4 pm", 0, "time=16:00 ~"},
    {MON_NY, "8 o'clock", 0, "time=08:00 or=20:00"},
    {MON_NY, "eight o clock", 0, "time=08:00 or=20:00"},
    {MON_NY, "at three thirty", 0, "time=15:30 or=03:30"},
    {MON_NY, "three thirty", 0, "time=15:30 or=03:30"},
    {MON_NY, "ten fifteen", 0, "time=10:15 or=22:15"},
    {MON_NY, "two forty-five", 0, "time=14:45 or=02:45"},
    {MON_NY, "seven oh five", 0, "time=07:05 or=19:05"},
    {MON_NY, "at two", 0, "time=14:00 or=02:00"},
    {MON_NY, "two", 0, ""},
    {MON_NY, "two", SPOKEN_EXPECT_TIME, "time=14:00 or=02:00"},
    {MON_NY, "10 please", SPOKEN_EXPECT_TIME, "time=10:00 or=22:00"},
    {MON_NY, "after 5", 0, "time=17:00 or=05:00 after"},
    {MON_NY, "before noon", 0, "time=12:00 before"},
    {MON_NY, "by 3pm", 0, "time=15:00 before"},
    {MON_NY, "from 10 to 12", 0, "time=10:00 or=22:00 after"},
    {MON_NY, "at 3 30", 0, "time=15:30 or=03:30"},
    /* Letters said apart, and "one" meaning the time just said. */
    {MON_NY, "seven a m", SPOKEN_EXPECT_TIME, "time=07:00"},
    {MON_NY, "at four p m", 0, "time=16:00"},
    {MON_NY, "the seven a m one", SPOKEN_EXPECT_TIME, "time=07:00"},
    {MON_NY, "a m", SPOKEN_EXPECT_TIME, ""},
    /* "the first" of a visit is no date; "the first" alone or with "please" is one. */
    {MON_NY, "is thursday at six open for the first visit", 0, "date=2026-03-05 time=18:00 or=06:00"},
    {MON_NY, "for the first visit", 0, ""},
    /* Whole sentences. */
    {MON_NY, "can I come in on Tuesday at half past two please?", 0,
     "date=2026-03-03 time=14:30 or=02:30"},
    {MON_NY, "Good morning! Do you have anything tomorrow at 3?", 0,
     "date=2026-03-03 time=15:00 or=03:00"},
    {MON_NY, "I have 2 kids and need a cleaning", 0, ""},
    {MON_NY, "my number is 555 1234", 0, ""},
    {MON_NY, "call me at 555 1234", 0, ""},
    {MON_NY, "first I'd like to know the price", 0, ""},
    {MON_NY, "tuesday 3", 0, "date=2026-03-03 time=15:00 or=03:00"},
    {MON_NY, "Tuesday, March 3rd at 2:30 PM", 0, "date=2026-03-03 time=14:30"},
    {MON_NY, "not tuesday, wednesday at 4", 0, "date=2026-03-04 conflict time=16:00 or=04:00"},
    {MON_NY, "THURSDAY AT 10 AM", 0, "date=2026-03-05 time=10:00"},
    {MON_NY, "next Friday around 4ish in the afternoon", 0,
     "date=2026-03-06 alt=2026-03-13 time=16:00 ~ part=afternoon"},
    {MON_NY, "could I get a haircut the 14th at quarter past ten in the morning", 0,
     "date=2026-03-14 time=10:15 part=morning"},
    /* Los Angeles, the same instant: 06:15 on Monday. */
    {MON_LA, "in two hours", 0, "date=2026-03-02 time=08:15"},
    {MON_LA, "tomorrow at 9", 0, "date=2026-03-03 time=09:00 or=21:00"},
    {MON_LA, "next tuesday", 0, "date=2026-03-10 alt=2026-03-03"},
    /* Saturday March 7th, 22:30. */
    {SAT_NIGHT_NY, "tomorrow", 0, "date=2026-03-08"},
    {SAT_NIGHT_NY, "tonight", 0, "date=2026-03-07 part=evening"},
    {SAT_NIGHT_NY, "monday", 0, "date=2026-03-09"},
    {SAT_NIGHT_NY, "next monday", 0, "date=2026-03-09"},
    {SAT_NIGHT_NY, "saturday", 0, "date=2026-03-14 alt=2026-03-07"},
    {SAT_NIGHT_NY, "this weekend", 0, "range=2026-03-07..2026-03-08"},
    {SAT_NIGHT_NY, "next weekend", 0, "range=2026-03-14..2026-03-15"},
    {SAT_NIGHT_NY, "next week", 0, "range=2026-03-09..2026-03-15"},
    {SAT_NIGHT_NY, "the 7th", 0, "date=2026-03-07"},
    {SAT_NIGHT_NY, "sunday morning at 10", 0, "date=2026-03-08 time=10:00 part=morning"},
    {SAT_NIGHT_NY, "in 2 hours", 0, "date=2026-03-08 time=00:30"},
    {SAT_NIGHT_NY, "saturdays", 0, "date=2026-03-07 every"},
    {SAT_NIGHT_NY, "weekends", 0, "range=2026-03-07..2026-03-08 every"},
    /* New Year's Eve, Thursday December 31st. */
    {NYE_NY, "tomorrow", 0, "date=2027-01-01"},
    {NYE_NY, "the 2nd", 0, "date=2027-01-02"},
    {NYE_NY, "january 5th", 0, "date=2027-01-05"},
    {NYE_NY, "next friday", 0, "date=2027-01-08 alt=2027-01-01"},
    {NYE_NY, "next month", 0, "range=2027-01-01..2027-01-31"},
    {NYE_NY, "next week", 0, "range=2027-01-04..2027-01-10"},
    {NYE_NY, "12/31", 0, "date=2026-12-31"},
    {NYE_NY, "the 31st", 0, "date=2026-12-31"},
    {NYE_NY, "february 29th", 0, "date=2028-02-29"},
    {NYE_NY, "in a week", 0, "date=2027-01-07"},
    {NYE_NY, "december 25th", 0, "date=2026-12-25"},
    {NYE_NY, "christmas", 0, "date=2027-12-25"},
    {NYE_NY, "new year's eve", 0, "date=2026-12-31"},
    {NYE_NY, "New Year's Day", 0, "date=2027-01-01"},
    {NYE_NY, "thanksgiving", 0, "date=2027-11-25"},
    {NYE_NY, "memorial day", 0, "date=2027-05-31"},
    {NYE_NY, "labour day", 0, "date=2027-09-06"},
    {NYE_NY, "sundays", 0, "date=2027-01-03 every"},
    {NYE_NY, "weekends", 0, "range=2027-01-02..2027-01-03 every"},
    /* Monday February 28th 2028, a leap year. */
    {LEAP_NY, "tomorrow", 0, "date=2028-02-29"},
    {LEAP_NY, "the 29th", 0, "date=2028-02-29"},
    {LEAP_NY, "the 30th", 0, "date=2028-03-30"},
    {LEAP_NY, "february 29th", 0, "date=2028-02-29"},
    {LEAP_NY, "2/29", 0, "date=2028-02-29"},
    {LEAP_NY, "in two days", 0, "date=2028-03-01"},
    {LEAP_NY, "wednesday", 0, "date=2028-03-01"},
    {LEAP_NY, "this month", 0, "range=2028-02-28..2028-02-29"},
    /* 03:00 UTC on Tuesday is still Monday evening in both zones. */
    {LATE_MON_NY, "tomorrow", 0, "date=2026-03-03"},
    {LATE_MON_NY, "tonight", 0, "date=2026-03-02 part=evening"},
    {LATE_MON_LA, "today", 0, "date=2026-03-02"},
    {LATE_MON_LA, "in 2 hours", 0, "date=2026-03-02 time=21:00"},
};

static void test_utterances_mean_what_callers_mean(void)
{
    size_t n = sizeof utterances / sizeof utterances[0];
    CHECK(n >= 80);
    for (size_t i = 0; i < n; i++) {
        const struct utterance *u = &utterances[i];
        struct civil_time now = local_now(u->now);
        struct spoken_when w;
        bool is_found = spoken_time_parse(u->text, strlen(u->text), &now, u->flags, &w);
        char got[256];
        describe(&w, got, sizeof got);
        if (strcmp(got, u->expect) != 0 || is_found != (u->expect[0] != '\0'))
            fprintf(stderr, "  \"%s\": got \"%s\", expected \"%s\"\n", u->text, got, u->expect);
        CHECK(strcmp(got, u->expect) == 0);
        CHECK(is_found == (u->expect[0] != '\0'));
    }
}

static void check_span(const char *text, struct spoken_span s, const char *expect)
{
    char got[128];
    snprintf(got, sizeof got, "%.*s", (int)s.len, text + s.start);
    CHECK_STR_EQ(got, expect);
}

static void test_spans_point_at_the_words_said(void)
{
    struct civil_time now = local_now(MON_NY);
    struct spoken_when w;
    const char *text = "can I come in on Tuesday at half past two please?";
    CHECK(spoken_time_parse(text, strlen(text), &now, 0, &w));
    check_span(text, w.date_span, "Tuesday");
    check_span(text, w.time_span, "at half past two");
    text = "how about the 3rd of March, in the morning";
    CHECK(spoken_time_parse(text, strlen(text), &now, 0, &w));
    check_span(text, w.date_span, "the 3rd of March");
    check_span(text, w.part_span, "in the morning");
    text = "anything next week around 4ish?";
    CHECK(spoken_time_parse(text, strlen(text), &now, 0, &w));
    check_span(text, w.range_span, "next week");
    check_span(text, w.time_span, "around 4ish");
}

static void test_length_bounds_the_text_and_odd_input_is_harmless(void)
{
    struct civil_time now = local_now(MON_NY);
    struct spoken_when w;
    CHECK(!spoken_time_parse("tomorrow", 3, &now, 0, &w));
    CHECK(spoken_time_parse("tomorrow at 3pm", 8, &now, 0, &w));
    CHECK(w.has_date && !w.has_time);
    CHECK(!spoken_time_parse(NULL, 0, &now, 0, &w));
    CHECK(!spoken_time_parse("", 0, &now, 0, &w));
    struct civil_time bad = now;
    bad.date.month = 13;
    CHECK(!spoken_time_parse("tomorrow", 8, &bad, 0, &w));
    const char odd[] = "\0\xff\xfe 3\0pm 99999999999999999999:99999 /// the the the of of";
    CHECK(!spoken_time_parse(odd, sizeof odd - 1, &now, 0, &w) || w.has_time || w.has_date);
    size_t big_len = 3 * SPOKEN_TIME_TEXT_MAX;
    char *big = malloc(big_len);
    for (size_t i = 0; i < big_len; i++)
        big[i] = "at 3 "[i % 5];
    CHECK(spoken_time_parse(big, big_len, &now, 0, &w));
    CHECK(w.time_span.start + w.time_span.len <= SPOKEN_TIME_TEXT_MAX);
    memcpy(big + big_len - 8, "tuesday ", 8);                 /* past the limit: unseen */
    CHECK(spoken_time_parse(big, big_len, &now, 0, &w) && !w.has_date);
    free(big);
}

static void test_parts_of_the_day_have_hours(void)
{
    int first, end;
    spoken_part_hours(SPOKEN_PART_MORNING, &first, &end);
    CHECK(first == 5 && end == 12);
    spoken_part_hours(SPOKEN_PART_AFTERNOON, &first, &end);
    CHECK(first == 12 && end == 17);
    spoken_part_hours(SPOKEN_PART_EVENING, &first, &end);
    CHECK(first == 17 && end == 21);
    spoken_part_hours(SPOKEN_PART_NIGHT, &first, &end);
    CHECK(first == 21 && end == 24);
    spoken_part_hours(SPOKEN_PART_NONE, &first, &end);
    CHECK(first == 0 && end == 24);
}

static void test_replies_say_dates_and_times_naturally(void)
{
    char buf[SAY_TIME_MAX];
    struct civil_time when = {{2026, 3, 3}, 14, 30, 0};
    struct civil_date today = {2026, 3, 2};
    CHECK(say_time_when(buf, sizeof buf, &when, NULL));
    CHECK_STR_EQ(buf, "Tuesday, March 3rd at 2:30 PM");
    CHECK(say_time_when(buf, sizeof buf, &when, &today));
    CHECK_STR_EQ(buf, "tomorrow, Tuesday, March 3rd at 2:30 PM");
    CHECK(say_time_when(buf, sizeof buf, &when, &when.date));
    CHECK_STR_EQ(buf, "today, Tuesday, March 3rd at 2:30 PM");
    struct civil_time next_year = {{2027, 3, 3}, 9, 0, 0};
    CHECK(say_time_when(buf, sizeof buf, &next_year, &today));
    CHECK_STR_EQ(buf, "Wednesday, March 3rd, 2027 at 9 AM");
    struct civil_date nye = {2026, 12, 31}, jan5 = {2027, 1, 5};
    CHECK(say_time_date(buf, sizeof buf, &jan5, &nye));
    CHECK_STR_EQ(buf, "Tuesday, January 5th");
    const struct {
        int hour, minute;
        const char *text;
    } clocks[] = {{15, 0, "3 PM"}, {12, 0, "noon"}, {0, 0, "midnight"}, {0, 15, "12:15 AM"},
                  {9, 5, "9:05 AM"}, {12, 30, "12:30 PM"}, {23, 59, "11:59 PM"}};
    for (size_t i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
        CHECK(say_time_clock(buf, sizeof buf, clocks[i].hour, clocks[i].minute));
        CHECK_STR_EQ(buf, clocks[i].text);
    }
    const struct {
        int day;
        const char *text;
    } days[] = {{1, "Sunday, March 1st"}, {2, "Monday, March 2nd"}, {3, "Tuesday, March 3rd"},
                {4, "Wednesday, March 4th"}, {11, "Wednesday, March 11th"},
                {12, "Thursday, March 12th"}, {13, "Friday, March 13th"},
                {21, "Saturday, March 21st"}, {22, "Sunday, March 22nd"},
                {23, "Monday, March 23rd"}, {31, "Tuesday, March 31st"}};
    for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
        struct civil_date d = {2026, 3, days[i].day};
        CHECK(say_time_date(buf, sizeof buf, &d, NULL));
        CHECK_STR_EQ(buf, days[i].text);
    }
}

static void test_replies_refuse_bad_values_and_report_truncation(void)
{
    char buf[SAY_TIME_MAX];
    char small[8];
    struct civil_time when = {{2026, 3, 3}, 14, 30, 0};
    CHECK(!say_time_clock(buf, sizeof buf, 24, 0));
    CHECK(!say_time_clock(buf, sizeof buf, 3, 60));
    CHECK_STR_EQ(buf, "");
    struct civil_date bad = {2026, 2, 29};
    CHECK(!say_time_date(buf, sizeof buf, &bad, NULL));
    CHECK(!say_time_when(small, sizeof small, &when, NULL));
    CHECK_STR_EQ(small, "Tuesday");
    CHECK(!say_time_clock(small, 1, 3, 0));
    CHECK_STR_EQ(small, "");
}

static uint64_t rng_state = 0x243f6a8885a308d3u;

static uint64_t rng_next(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void test_what_the_receptionist_says_reads_back_the_same(void)
{
    struct civil_time now = local_now(MON_NY);
    for (int i = 0; i < 500; i++) {
        struct civil_time when;
        when.date = civil_date_add_days(&now.date, (int64_t)(rng_next() % 330));
        when.hour = (int)(rng_next() % 24);
        when.minute = (int)(rng_next() % 4) * 15 + (i % 7 == 0 ? 7 : 0);
        when.second = 0;
        char said[SAY_TIME_MAX];
        struct spoken_when w;
        CHECK(say_time_when(said, sizeof said, &when, i % 2 ? &now.date : NULL));
        CHECK(spoken_time_parse(said, strlen(said), &now, 0, &w));
        bool is_same = w.has_date && civil_date_compare(&w.date, &when.date) == 0 && w.has_time &&
                       !w.is_time_ambiguous && w.hour == when.hour && w.minute == when.minute;
        if (!is_same)
            fprintf(stderr, "  \"%s\" read back as %02d:%02d on %d-%d\n", said, w.hour, w.minute,
                    w.date.month, w.date.day);
        CHECK(is_same);
    }
}

int main(void)
{
    cache = tz_cache_create(NULL);
    RUN(test_utterances_mean_what_callers_mean);
    RUN(test_spans_point_at_the_words_said);
    RUN(test_length_bounds_the_text_and_odd_input_is_harmless);
    RUN(test_parts_of_the_day_have_hours);
    RUN(test_replies_say_dates_and_times_naturally);
    RUN(test_replies_refuse_bad_values_and_report_truncation);
    RUN(test_what_the_receptionist_says_reads_back_the_same);
    tz_cache_free(cache);
    return check_summary();
}
