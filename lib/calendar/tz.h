/* lib/calendar/tz.h: IANA time zones read from the system's TZif files (/usr/share/zoneinfo,
 * Debian's tzdata), so each business's hours are reasoned about in its own zone without
 * touching the process's TZ. A zone is parsed once and kept in a tz_cache (lib/calendar/tz_cache.h); converting
 * an instant either way is a binary search over the zone's transitions, or, past the
 * last one, an evaluation of the file's POSIX TZ rule (lib/calendar/tz_rule.h).
 *
 * Local to UTC, where a wall time is not one instant:
 *   gap (clocks jump forward; 02:30 on the US spring-forward day does not exist): the
 *     time is read with the offset in effect before the jump, which lands as far past
 *     the jump as the time was past its start (02:30 -> 03:30 EDT), as java.time and
 *     Python's zoneinfo (fold=0) do; TZ_WALL_GAP says so.
 *   overlap (clocks fall back; 01:30 on the US fall-back day happens twice): the earlier
 *     instant (still daylight time); TZ_WALL_OVERLAP says so.
 * Zones with leap seconds (right/...) are refused. Instants are seconds since the
 * epoch, within +-TZ_SECONDS_LIMIT. */
#ifndef FD_TZ_H
#define FD_TZ_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar/civil_date.h"
#include "calendar/tz_rule.h"

#define TZ_SECONDS_LIMIT INT64_C(253402300799)     /* 9999-12-31T23:59:59Z */
#define TZ_NAME_MAX 128                            /* with its NUL */

struct tz;                      /* opaque and immutable once loaded */

/* A local wall time and how it relates to UTC. */
struct tz_local {
    struct civil_time wall;
    int weekday;                /* 0 = Sunday */
    int32_t utc_offset_s;       /* local = UTC + offset */
    bool is_dst;
    char abbrev[TZ_ABBREV_MAX]; /* "EST", "IST", "+0530" */
};

enum tz_wall_kind {
    TZ_WALL_UNIQUE,             /* the wall time happens exactly once */
    TZ_WALL_GAP,                /* it never happens; moved forward (see above) */
    TZ_WALL_OVERLAP,            /* it happens twice; the earlier instant was chosen */
};

/* True if name may be looked up: 1 to TZ_NAME_MAX-1 bytes of letters, digits, '_',
 * '+', '-', and '/' between non-empty components; no "." or "..", no leading '/', and
 * not "localtime" (the host's own zone). Says nothing about whether the zone exists. */
bool tz_name_is_valid(const char *name);

/* Parses a TZif file (v1, or v2+ with its 64-bit data and TZ footer) held in memory.
 * Returns a new zone called name (copied), or NULL with *why saying what is wrong.
 * The caller owns the result; free with tz_free(). */
struct tz *tz_create_from_tzif(const char *name, const unsigned char *data, size_t len,
                               const char **why);
/* Reads <zoneinfo_dir>/<name> (zoneinfo_dir NULL: /usr/share/zoneinfo). Returns a new
 * zone, or NULL with *why (invalid name, no such zone, not a TZif file). */
struct tz *tz_create(const char *zoneinfo_dir, const char *name, const char **why);
void tz_free(struct tz *tz);                       /* NULL is fine */

const char *tz_name(const struct tz *tz);          /* borrowed from tz */

/* UTC to local. Returns false (and leaves *out alone) if utc_s is out of range. */
bool tz_to_local(const struct tz *tz, int64_t utc_s, struct tz_local *out);
/* Local to UTC, gap and overlap as above. kind may be NULL. Returns false if wall is
 * not a valid wall time (month 1-12, day in month, 00:00:00-23:59:59) or out of range. */
bool tz_from_local(const struct tz *tz, const struct civil_time *wall, int64_t *utc_s,
                   enum tz_wall_kind *kind);

#endif
