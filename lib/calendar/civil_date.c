/* lib/calendar/civil_date.c: Gregorian day arithmetic after Howard Hinnant's "chrono-compatible
 * low-level date algorithms" (days_from_civil / civil_from_days): a handful of integer
 * operations per call, exact over the whole bounded range, no tables, no libc time. */
#include "calendar/civil_date.h"

int64_t civil_floor_div(int64_t n, int64_t d)
{
    int64_t q = n / d;
    return (n % d != 0 && n < 0) ? q - 1 : q;
}

int64_t civil_floor_mod(int64_t n, int64_t d)
{
    return n - civil_floor_div(n, d) * d;
}

bool civil_is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int civil_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    return month == 2 && civil_is_leap_year(year) ? 29 : days[month - 1];
}

bool civil_date_is_valid(const struct civil_date *d)
{
    return d->year >= CIVIL_YEAR_MIN && d->year <= CIVIL_YEAR_MAX && d->month >= 1 &&
           d->month <= 12 && d->day >= 1 && d->day <= civil_days_in_month(d->year, d->month);
}

int64_t civil_days_from_date(const struct civil_date *d)
{
    int64_t y = (int64_t)d->year - (d->month <= 2);
    int64_t era = civil_floor_div(y, 400);
    int64_t yoe = y - era * 400;                                       /* [0, 399] */
    int64_t mp = (d->month + 9) % 12;                                  /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + d->day - 1;                     /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;               /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

struct civil_date civil_date_from_days(int64_t days)
{
    int64_t z = days + 719468;
    int64_t era = civil_floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    struct civil_date d;
    d.day = (int)(doy - (153 * mp + 2) / 5 + 1);
    d.month = (int)(mp < 10 ? mp + 3 : mp - 9);
    d.year = (int)(yoe + era * 400 + (d.month <= 2));
    return d;
}

int civil_weekday_from_days(int64_t days)
{
    return (int)civil_floor_mod(days + 4, 7);                          /* 1970-01-01: Thursday */
}

struct civil_date civil_date_add_days(const struct civil_date *d, int64_t n)
{
    return civil_date_from_days(civil_days_from_date(d) + n);
}

int civil_date_compare(const struct civil_date *a, const struct civil_date *b)
{
    if (a->year != b->year)
        return a->year < b->year ? -1 : 1;
    if (a->month != b->month)
        return a->month < b->month ? -1 : 1;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    return 0;
}

int64_t civil_time_to_seconds(const struct civil_time *t)
{
    return civil_days_from_date(&t->date) * 86400 + t->hour * 3600 + t->minute * 60 + t->second;
}

struct civil_time civil_time_from_seconds(int64_t s)
{
    struct civil_time t;
    int64_t days = civil_floor_div(s, 86400);
    int64_t rem = s - days * 86400;
    t.date = civil_date_from_days(days);
    t.hour = (int)(rem / 3600);
    t.minute = (int)(rem / 60 % 60);
    t.second = (int)(rem % 60);
    return t;
}
