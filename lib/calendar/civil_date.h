/* lib/calendar/civil_date.h: proleptic Gregorian calendar arithmetic, independent of any time
 * zone: a date to a day count and back, weekdays, month lengths. Used by lib/calendar/tz.c,
 * lib/calendar/wall_clock.c and lib/calendar/spoken_time.c; pure functions, no state.
 *
 * Days count from 1970-01-01 (day 0). Years are bounded to CIVIL_YEAR_MIN..MAX so no
 * arithmetic here can overflow; callers check civil_date_is_valid() on outside input. */
#ifndef FD_CIVIL_DATE_H
#define FD_CIVIL_DATE_H
#include <stdbool.h>
#include <stdint.h>

#define CIVIL_YEAR_MIN (-100000)
#define CIVIL_YEAR_MAX 100000

struct civil_date {
    int year;
    int month;          /* 1-12 */
    int day;            /* 1-31 */
};

/* A wall-clock reading without a zone: what a clock on a wall shows. */
struct civil_time {
    struct civil_date date;
    int hour;           /* 0-23 */
    int minute;         /* 0-59 */
    int second;         /* 0-59 */
};

bool civil_is_leap_year(int year);
/* 28-31; 0 for a month outside 1-12. */
int civil_days_in_month(int year, int month);
/* True if the date exists (year in range, month 1-12, day within the month). */
bool civil_date_is_valid(const struct civil_date *d);

/* Days since 1970-01-01 of a valid date (negative before it). */
int64_t civil_days_from_date(const struct civil_date *d);
/* The date of a day count; days must come from a date within the year bounds. */
struct civil_date civil_date_from_days(int64_t days);
/* 0 = Sunday ... 6 = Saturday, of a day count. */
int civil_weekday_from_days(int64_t days);
/* d plus n days (n may be negative). */
struct civil_date civil_date_add_days(const struct civil_date *d, int64_t n);
/* <0, 0, >0 as a is before, equal to, after b. */
int civil_date_compare(const struct civil_date *a, const struct civil_date *b);

/* Seconds since 1970-01-01T00:00:00 of a wall time read as if it were UTC. */
int64_t civil_time_to_seconds(const struct civil_time *t);
/* The inverse; seconds must lie within the year bounds. */
struct civil_time civil_time_from_seconds(int64_t s);

/* Floor division and modulo (toward negative infinity), d > 0. */
int64_t civil_floor_div(int64_t n, int64_t d);
int64_t civil_floor_mod(int64_t n, int64_t d);

#endif
