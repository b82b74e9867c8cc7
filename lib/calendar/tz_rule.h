/* lib/calendar/tz_rule.h: the POSIX TZ string that ends a TZif file ("EST5EDT,M3.2.0,M11.1.0"),
 * which gives a zone's offsets for every instant after its last listed transition, so
 * dates past 2037 (and in slim TZif files, much sooner) come out right.
 *
 * Grammar (POSIX, with RFC 8536's extensions): std offset [dst [offset] [,start[/time],end[/time]]]
 * where a name is 3+ letters or <...> of letters, digits, '+' and '-'; an offset is
 * [+-]hh[:mm[:ss]] west of Greenwich (so "EST5" is UTC-5); a rule date is Jn (1-365,
 * February 29th never counted), n (0-365) or Mm.w.d (week w = 1-5, 5 = last, of month m,
 * weekday d, 0 = Sunday); a rule time is [+-]hhh[:mm[:ss]] (-167..167 hours), 02:00 by
 * default, in the local time in effect before the change. A dst name without rules uses
 * the US rules (M3.2.0,M11.1.0), as glibc does. */
#ifndef FD_TZ_RULE_H
#define FD_TZ_RULE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TZ_ABBREV_MAX 16        /* with its NUL; real abbreviations are 3-6 bytes */

enum tz_rule_date_kind {
    TZ_RULE_JULIAN_NO_LEAP,     /* Jn */
    TZ_RULE_DAY_OF_YEAR,        /* n */
    TZ_RULE_MONTH_WEEK_DAY,     /* Mm.w.d */
};

struct tz_rule_date {
    enum tz_rule_date_kind kind;
    int day;                    /* Jn, n */
    int month, week, weekday;   /* Mm.w.d */
    int32_t time_s;             /* local time of day of the change, may exceed a day */
};

/* A value type: fill with tz_rule_parse(), then read with tz_rule_offset_at(). */
struct tz_rule {
    char std_abbrev[TZ_ABBREV_MAX];
    int32_t std_utoff_s;        /* east of UTC: local = UTC + utoff */
    bool has_dst;
    char dst_abbrev[TZ_ABBREV_MAX];
    int32_t dst_utoff_s;
    struct tz_rule_date start;  /* standard -> daylight */
    struct tz_rule_date end;    /* daylight -> standard */
};

/* Parses exactly len bytes of text (no NUL needed). Returns false if they are not one
 * complete TZ string; *out is then unspecified. */
bool tz_rule_parse(const char *text, size_t len, struct tz_rule *out);

/* The offset in effect at utc_s (seconds since the epoch, within +-10,000 years):
 * *utoff_s east of UTC, *is_dst, and *abbrev borrowed from rule. */
void tz_rule_offset_at(const struct tz_rule *rule, int64_t utc_s, int32_t *utoff_s,
                       bool *is_dst, const char **abbrev);

#endif
