/* lib/calendar/tz_rule.c: parse and evaluate a POSIX TZ string (see tz_rule.h). Evaluation
 * computes the two changes of the instant's year as UTC instants, a few integer
 * operations, so a far-future date costs the same as a near one. */
#include "calendar/tz_rule.h"

#include <string.h>

#include "calendar/civil_date.h"

struct cursor {
    const char *p, *end;
};

static bool at(const struct cursor *c, char ch)
{
    return c->p < c->end && *c->p == ch;
}

static bool is_digit_at(const struct cursor *c)
{
    return c->p < c->end && *c->p >= '0' && *c->p <= '9';
}

static bool is_alpha(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* A decimal number of at most max_digits digits, at most max_value. */
static bool parse_uint(struct cursor *c, int max_digits, int max_value, int *out)
{
    int n = 0, digits = 0;
    while (is_digit_at(c) && digits < max_digits) {
        n = n * 10 + (*c->p - '0');
        c->p++;
        digits++;
    }
    if (digits == 0 || n > max_value)
        return false;
    *out = n;
    return true;
}

static bool parse_abbrev(struct cursor *c, char out[TZ_ABBREV_MAX])
{
    size_t n = 0;
    if (at(c, '<')) {
        c->p++;
        while (c->p < c->end && *c->p != '>') {
            char ch = *c->p;
            if (!is_alpha(ch) && !(ch >= '0' && ch <= '9') && ch != '+' && ch != '-')
                return false;
            if (n + 1 >= TZ_ABBREV_MAX)
                return false;
            out[n++] = ch;
            c->p++;
        }
        if (!at(c, '>'))
            return false;
        c->p++;
    } else {
        while (c->p < c->end && is_alpha(*c->p)) {
            if (n + 1 >= TZ_ABBREV_MAX)
                return false;
            out[n++] = *c->p++;
        }
    }
    out[n] = '\0';
    return n >= 3;
}

/* [+-]h[h][:mm[:ss]] with hours up to max_hours, as signed seconds. */
static bool parse_hms(struct cursor *c, int max_hours, int32_t *out)
{
    int sign = 1, h = 0, m = 0, s = 0;
    if (at(c, '+') || at(c, '-')) {
        sign = *c->p == '-' ? -1 : 1;
        c->p++;
    }
    if (!parse_uint(c, 3, max_hours, &h))
        return false;
    if (at(c, ':')) {
        c->p++;
        if (!parse_uint(c, 2, 59, &m))
            return false;
        if (at(c, ':')) {
            c->p++;
            if (!parse_uint(c, 2, 59, &s))
                return false;
        }
    }
    *out = sign * (h * 3600 + m * 60 + s);
    return true;
}

static bool parse_rule_date(struct cursor *c, struct tz_rule_date *d)
{
    if (at(c, 'J')) {
        c->p++;
        d->kind = TZ_RULE_JULIAN_NO_LEAP;
        if (!parse_uint(c, 3, 365, &d->day) || d->day < 1)
            return false;
    } else if (at(c, 'M')) {
        c->p++;
        d->kind = TZ_RULE_MONTH_WEEK_DAY;
        if (!parse_uint(c, 2, 12, &d->month) || d->month < 1 || !at(c, '.'))
            return false;
        c->p++;
        if (!parse_uint(c, 1, 5, &d->week) || d->week < 1 || !at(c, '.'))
            return false;
        c->p++;
        if (!parse_uint(c, 1, 6, &d->weekday))
            return false;
    } else {
        d->kind = TZ_RULE_DAY_OF_YEAR;
        if (!parse_uint(c, 3, 365, &d->day))
            return false;
    }
    d->time_s = 2 * 3600;
    if (at(c, '/')) {
        c->p++;
        if (!parse_hms(c, 167, &d->time_s))
            return false;
    }
    return true;
}

bool tz_rule_parse(const char *text, size_t len, struct tz_rule *out)
{
    struct cursor c = {text, text + len};
    int32_t west_s;
    memset(out, 0, sizeof *out);
    if (!parse_abbrev(&c, out->std_abbrev) || !parse_hms(&c, 24, &west_s))
        return false;
    out->std_utoff_s = -west_s;
    if (c.p == c.end)
        return true;
    out->has_dst = true;
    if (!parse_abbrev(&c, out->dst_abbrev))
        return false;
    out->dst_utoff_s = out->std_utoff_s + 3600;
    if (c.p < c.end && !at(&c, ',')) {
        if (!parse_hms(&c, 24, &west_s))
            return false;
        out->dst_utoff_s = -west_s;
    }
    if (c.p == c.end) {
        out->start = (struct tz_rule_date){TZ_RULE_MONTH_WEEK_DAY, 0, 3, 2, 0, 7200};
        out->end = (struct tz_rule_date){TZ_RULE_MONTH_WEEK_DAY, 0, 11, 1, 0, 7200};
        return true;
    }
    if (!at(&c, ','))
        return false;
    c.p++;
    if (!parse_rule_date(&c, &out->start) || !at(&c, ','))
        return false;
    c.p++;
    if (!parse_rule_date(&c, &out->end))
        return false;
    return c.p == c.end;
}

/* Days from 1970-01-01 to the rule's date in year. */
static int64_t rule_day(const struct tz_rule_date *d, int year)
{
    struct civil_date jan1 = {year, 1, 1};
    int64_t base = civil_days_from_date(&jan1);
    switch (d->kind) {
    case TZ_RULE_JULIAN_NO_LEAP:
        return base + d->day - 1 + (civil_is_leap_year(year) && d->day >= 60);
    case TZ_RULE_DAY_OF_YEAR:
        return base + d->day;
    case TZ_RULE_MONTH_WEEK_DAY:
    default: {
        struct civil_date first = {year, d->month, 1};
        int64_t first_day = civil_days_from_date(&first);
        int first_weekday = civil_weekday_from_days(first_day);
        int mday = 1 + (d->weekday - first_weekday + 7) % 7 + (d->week - 1) * 7;
        while (mday > civil_days_in_month(year, d->month))
            mday -= 7;
        return first_day + mday - 1;
    }
    }
}

void tz_rule_offset_at(const struct tz_rule *rule, int64_t utc_s, int32_t *utoff_s,
                       bool *is_dst, const char **abbrev)
{
    bool dst = false;
    if (rule->has_dst) {
        int year = civil_date_from_days(civil_floor_div(utc_s + rule->std_utoff_s, 86400)).year;
        int64_t start = rule_day(&rule->start, year) * 86400 + rule->start.time_s - rule->std_utoff_s;
        int64_t end = rule_day(&rule->end, year) * 86400 + rule->end.time_s - rule->dst_utoff_s;
        if (start < end)
            dst = utc_s >= start && utc_s < end;
        else
            dst = utc_s < end || utc_s >= start;       /* southern hemisphere */
    }
    *is_dst = dst;
    *utoff_s = dst ? rule->dst_utoff_s : rule->std_utoff_s;
    *abbrev = dst ? rule->dst_abbrev : rule->std_abbrev;
}
