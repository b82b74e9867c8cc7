/* lib/calendar/wall_clock.c: a pinned clock is (start instant, monotonic reading at creation);
 * now = start + monotonic elapsed. The monotonic clock keeps a pinned demo stable when
 * NTP steps the real clock. Created once per process; reading it is one clock_gettime. */
#include "calendar/wall_clock.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar/civil_date.h"
#include "core/xalloc.h"

struct wall_clock {
    bool is_pinned;
    int64_t start_utc_ms;       /* pinned: the instant at creation */
    int64_t start_mono_ms;      /* pinned: CLOCK_MONOTONIC at creation */
};

static int64_t clock_ms(clockid_t id)
{
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0)
        abort();                /* only with a bad clock id: a bug */
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Exactly n digits at *p, advancing it. */
static bool take_digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char ch = (*p)[i];
        if (ch < '0' || ch > '9')
            return false;
        v = v * 10 + (ch - '0');
    }
    *p += n;
    *out = v;
    return true;
}

static bool parse_offset(const char *p, int *offset_s, const char **why)
{
    int h = 0, m = 0;
    if (*p == 'Z' || *p == 'z') {
        *offset_s = 0;
        if (p[1] == '\0')
            return true;
        *why = "unexpected text after the Z";
        return false;
    }
    if (*p != '+' && *p != '-') {
        *why = "the time must end with Z or a UTC offset such as -05:00";
        return false;
    }
    int sign = *p == '-' ? -1 : 1;
    p++;
    if (!take_digits(&p, 2, &h)) {
        *why = "the UTC offset must be +HH:MM, +HHMM or +HH";
        return false;
    }
    if (*p == ':')
        p++;
    if (*p != '\0' && !take_digits(&p, 2, &m)) {
        *why = "the UTC offset must be +HH:MM, +HHMM or +HH";
        return false;
    }
    if (*p != '\0') {
        *why = "unexpected text after the UTC offset";
        return false;
    }
    if (h > 23 || m > 59) {
        *why = "the UTC offset is out of range";
        return false;
    }
    *offset_s = sign * (h * 3600 + m * 60);
    return true;
}

bool wall_clock_parse_iso8601(const char *text, int64_t *utc_ms, const char **why)
{
    struct civil_time t = {{0, 0, 0}, 0, 0, 0};
    const char *p = text;
    int ms = 0, offset_s = 0;
    if (text == NULL || !take_digits(&p, 4, &t.date.year) || *p++ != '-' ||
        !take_digits(&p, 2, &t.date.month) || *p++ != '-' || !take_digits(&p, 2, &t.date.day) ||
        (*p != 'T' && *p != 't' && *p != ' ') || (++p, !take_digits(&p, 2, &t.hour)) ||
        *p++ != ':' || !take_digits(&p, 2, &t.minute)) {
        *why = "expected an ISO 8601 instant such as 2026-03-02T09:15:00-05:00";
        return false;
    }
    if (*p == ':') {
        p++;
        if (!take_digits(&p, 2, &t.second)) {
            *why = "the seconds must be two digits";
            return false;
        }
        if (*p == '.' || *p == ',') {
            int scale = 100, ndigits = 0;
            for (p++; *p >= '0' && *p <= '9'; p++, ndigits++) {
                ms += (*p - '0') * scale;
                scale /= 10;
            }
            if (ndigits == 0) {
                *why = "a decimal point must be followed by digits";
                return false;
            }
        }
    }
    if (!civil_date_is_valid(&t.date)) {
        *why = "the date does not exist";
        return false;
    }
    if (t.hour > 23 || t.minute > 59 || t.second > 59) {
        *why = "the time of day is out of range";
        return false;
    }
    if (!parse_offset(p, &offset_s, why))
        return false;
    *utc_ms = (civil_time_to_seconds(&t) - offset_s) * 1000 + ms;
    return true;
}

struct wall_clock *wall_clock_create(const char *start, const char **why)
{
    struct wall_clock *clock = xcalloc(1, sizeof *clock);
    if (start == NULL || *start == '\0')
        return clock;
    if (!wall_clock_parse_iso8601(start, &clock->start_utc_ms, why)) {
        free(clock);
        return NULL;
    }
    clock->is_pinned = true;
    clock->start_mono_ms = clock_ms(CLOCK_MONOTONIC);
    return clock;
}

struct wall_clock *wall_clock_create_from_env(const char **why)
{
    return wall_clock_create(getenv(WALL_CLOCK_ENV), why);
}

void wall_clock_free(struct wall_clock *clock)
{
    free(clock);
}

int64_t wall_clock_now_ms(const struct wall_clock *clock)
{
    if (!clock->is_pinned)
        return clock_ms(CLOCK_REALTIME);
    return clock->start_utc_ms + (clock_ms(CLOCK_MONOTONIC) - clock->start_mono_ms);
}

bool wall_clock_is_pinned(const struct wall_clock *clock)
{
    return clock->is_pinned;
}
