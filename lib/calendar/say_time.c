/* lib/calendar/say_time.c: string building by hand into the caller's buffer (no snprintf, so
 * nothing to truncate silently); a reply is a few dozen bytes. */
#include "calendar/say_time.h"

#include <string.h>

static const char *const weekday_names[7] = {"Sunday", "Monday", "Tuesday", "Wednesday",
                                             "Thursday", "Friday", "Saturday"};
static const char *const month_names[12] = {"January", "February", "March", "April", "May",
                                            "June", "July", "August", "September",
                                            "October", "November", "December"};

struct out {
    char *buf;
    size_t size, len;
    bool is_truncated;
};

static void put(struct out *o, const char *s)
{
    size_t n = strlen(s);
    size_t room = o->size - 1 - o->len;
    if (n > room) {
        n = room;
        o->is_truncated = true;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

static void put_int(struct out *o, int v)
{
    char digits[12];
    size_t n = 0;
    unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
    do {
        digits[sizeof digits - 1 - n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0)
        digits[sizeof digits - 1 - n++] = '-';
    char s[sizeof digits + 1];
    memcpy(s, digits + sizeof digits - n, n);
    s[n] = '\0';
    put(o, s);
}

static const char *ordinal_suffix(int day)
{
    if (day % 100 >= 11 && day % 100 <= 13)
        return "th";
    switch (day % 10) {
    case 1:
        return "st";
    case 2:
        return "nd";
    case 3:
        return "rd";
    default:
        return "th";
    }
}

static void put_clock(struct out *o, int hour, int minute)
{
    if (minute == 0 && (hour == 12 || hour == 0)) {
        put(o, hour == 12 ? "noon" : "midnight");
        return;
    }
    put_int(o, hour % 12 == 0 ? 12 : hour % 12);
    if (minute != 0) {
        put(o, minute < 10 ? ":0" : ":");
        put_int(o, minute);
    }
    put(o, hour < 12 ? " AM" : " PM");
}

static void put_date(struct out *o, const struct civil_date *date, const struct civil_date *today)
{
    int64_t days = civil_days_from_date(date);
    if (today != NULL) {
        int64_t ahead = days - civil_days_from_date(today);
        if (ahead == 0)
            put(o, "today, ");
        else if (ahead == 1)
            put(o, "tomorrow, ");
    }
    put(o, weekday_names[civil_weekday_from_days(days)]);
    put(o, ", ");
    put(o, month_names[date->month - 1]);
    put(o, " ");
    put_int(o, date->day);
    put(o, ordinal_suffix(date->day));
    if (today != NULL) {
        int64_t ahead = days - civil_days_from_date(today);
        if (ahead < -31 || ahead > 334) {
            put(o, ", ");
            put_int(o, date->year);
        }
    }
}

static bool is_clock_valid(int hour, int minute)
{
    return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59;
}

bool say_time_clock(char *buf, size_t size, int hour, int minute)
{
    struct out o = {buf, size, 0, false};
    buf[0] = '\0';
    if (!is_clock_valid(hour, minute))
        return false;
    put_clock(&o, hour, minute);
    return !o.is_truncated;
}

bool say_time_date(char *buf, size_t size, const struct civil_date *date,
                   const struct civil_date *today)
{
    struct out o = {buf, size, 0, false};
    buf[0] = '\0';
    if (!civil_date_is_valid(date) || (today != NULL && !civil_date_is_valid(today)))
        return false;
    put_date(&o, date, today);
    return !o.is_truncated;
}

bool say_time_when(char *buf, size_t size, const struct civil_time *when,
                   const struct civil_date *today)
{
    struct out o = {buf, size, 0, false};
    buf[0] = '\0';
    if (!civil_date_is_valid(&when->date) || !is_clock_valid(when->hour, when->minute) ||
        (today != NULL && !civil_date_is_valid(today)))
        return false;
    put_date(&o, &when->date, today);
    put(&o, " at ");
    put_clock(&o, when->hour, when->minute);
    return !o.is_truncated;
}
