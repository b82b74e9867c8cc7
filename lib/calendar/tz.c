/* lib/calendar/tz.c: TZif files (RFC 8536) parsed into a sorted transition table plus the TZ
 * footer rule. A zone is loaded once per process (lib/calendar/tz_cache.c) and is read-only
 * afterwards; each conversion is a binary search (New York lists about 240 transitions)
 * or, after the last transition, a tz_rule evaluation. */
#include "calendar/tz.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/xalloc.h"

#define TZIF_HEADER_LEN 44
#define TZIF_FILE_MAX (1u << 20)        /* real files are under 4 KB */
#define TZ_OFFSET_MAX_S (26 * 3600)

struct tz_type {
    int32_t utoff_s;
    bool is_dst;
    char abbrev[TZ_ABBREV_MAX];
};

struct tz {
    char *name;                 /* owned */
    int64_t *trans_s;           /* owned, ascending, ntrans of them */
    uint8_t *trans_type;        /* owned, index into types per transition */
    size_t ntrans;
    struct tz_type *types;      /* owned, ntypes >= 1 */
    size_t ntypes;
    bool has_rule;              /* the footer, for instants after the last transition */
    struct tz_rule rule;
};

struct tzif_counts {
    uint32_t isut, isstd, leap, time, type, chars;
};

bool tz_name_is_valid(const char *name)
{
    size_t len = name ? strlen(name) : 0;
    if (len == 0 || len >= TZ_NAME_MAX || strcmp(name, "localtime") == 0)
        return false;
    size_t component_start = 0;
    for (size_t i = 0; i <= len; i++) {
        char ch = name[i];
        if (ch == '/' || ch == '\0') {
            size_t n = i - component_start;
            if (n == 0 || (n == 1 && name[component_start] == '.') ||
                (n == 2 && name[component_start] == '.' && name[component_start + 1] == '.'))
                return false;
            component_start = i + 1;
            continue;
        }
        bool is_ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                     (ch >= '0' && ch <= '9') || ch == '_' || ch == '+' || ch == '-';
        if (!is_ok)
            return false;
    }
    return true;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

static bool read_header(const unsigned char *p, size_t len, char *version,
                        struct tzif_counts *n)
{
    if (len < TZIF_HEADER_LEN || memcmp(p, "TZif", 4) != 0)
        return false;
    *version = (char)p[4];
    n->isut = be32(p + 20);
    n->isstd = be32(p + 24);
    n->leap = be32(p + 28);
    n->time = be32(p + 32);
    n->type = be32(p + 36);
    n->chars = be32(p + 40);
    return true;
}

/* Bytes of the data block after a header, with time_len-byte timestamps. */
static uint64_t block_len(const struct tzif_counts *n, unsigned time_len)
{
    return (uint64_t)n->time * time_len + n->time + (uint64_t)n->type * 6 + n->chars +
           (uint64_t)n->leap * (time_len + 4) + n->isstd + n->isut;
}

static const char *parse_types(struct tz *tz, const unsigned char *p, const struct tzif_counts *n)
{
    const unsigned char *chars = p + (size_t)n->type * 6;
    tz->types = xcalloc(n->type, sizeof *tz->types);
    tz->ntypes = n->type;
    for (size_t i = 0; i < n->type; i++) {
        const unsigned char *rec = p + i * 6;
        struct tz_type *t = &tz->types[i];
        t->utoff_s = (int32_t)be32(rec);
        t->is_dst = rec[4] != 0;
        if (t->utoff_s < -TZ_OFFSET_MAX_S || t->utoff_s > TZ_OFFSET_MAX_S)
            return "a UTC offset is out of range";
        size_t at = rec[5];
        if (at >= n->chars || memchr(chars + at, '\0', n->chars - at) == NULL)
            return "an abbreviation is out of bounds";
        size_t abbrev_len = strlen((const char *)chars + at);
        if (abbrev_len >= TZ_ABBREV_MAX)
            abbrev_len = TZ_ABBREV_MAX - 1;
        memcpy(t->abbrev, chars + at, abbrev_len);
        t->abbrev[abbrev_len] = '\0';
    }
    return NULL;
}

/* The data block at p (already bounds-checked), time_len 4 (v1) or 8 (v2+). */
static const char *parse_block(struct tz *tz, const unsigned char *p, const struct tzif_counts *n,
                               unsigned time_len)
{
    if (n->type == 0 || n->chars == 0 || n->type > 256)
        return "the file has no local time types";
    if ((n->isut != 0 && n->isut != n->type) || (n->isstd != 0 && n->isstd != n->type))
        return "the indicator counts do not match the types";
    if (n->leap != 0)
        return "zones with leap seconds are not supported";
    tz->ntrans = n->time;
    tz->trans_s = xmalloc((n->time ? n->time : 1) * sizeof *tz->trans_s);
    tz->trans_type = xmalloc(n->time ? n->time : 1);
    for (size_t i = 0; i < n->time; i++) {
        const unsigned char *at = p + i * time_len;
        tz->trans_s[i] = time_len == 8 ? be64(at) : (int64_t)(int32_t)be32(at);
        if (i > 0 && tz->trans_s[i] <= tz->trans_s[i - 1])
            return "the transitions are not in order";
        if (tz->trans_s[i] < -TZ_SECONDS_LIMIT || tz->trans_s[i] > TZ_SECONDS_LIMIT)
            tz->trans_s[i] = tz->trans_s[i] < 0 ? -TZ_SECONDS_LIMIT - 1 : TZ_SECONDS_LIMIT + 1;
    }
    p += (size_t)n->time * time_len;
    for (size_t i = 0; i < n->time; i++) {
        if (p[i] >= n->type)
            return "a transition names a type that does not exist";
        tz->trans_type[i] = p[i];
    }
    return parse_types(tz, p + n->time, n);
}

static const char *parse_tzif(struct tz *tz, const unsigned char *data, size_t len)
{
    struct tzif_counts n;
    char version;
    if (!read_header(data, len, &version, &n))
        return "not a TZif file";
    uint64_t v1_len = block_len(&n, 4);
    if (v1_len > len - TZIF_HEADER_LEN)
        return "the file is truncated";
    if (version == '\0')
        return parse_block(tz, data + TZIF_HEADER_LEN, &n, 4);
    const unsigned char *p = data + TZIF_HEADER_LEN + v1_len;
    size_t left = len - TZIF_HEADER_LEN - (size_t)v1_len;
    if (!read_header(p, left, &version, &n))
        return "the second header is missing";
    uint64_t v2_len = block_len(&n, 8);
    if (v2_len > left - TZIF_HEADER_LEN)
        return "the file is truncated";
    const char *why = parse_block(tz, p + TZIF_HEADER_LEN, &n, 8);
    if (why != NULL)
        return why;
    const char *footer = (const char *)p + TZIF_HEADER_LEN + v2_len;
    size_t footer_left = left - TZIF_HEADER_LEN - (size_t)v2_len;
    if (footer_left < 2 || footer[0] != '\n')
        return NULL;                    /* no footer: the last type holds forever */
    const char *nl = memchr(footer + 1, '\n', footer_left - 1);
    if (nl == NULL)
        return "the footer is not terminated";
    size_t rule_len = (size_t)(nl - footer - 1);
    if (rule_len == 0)
        return NULL;
    if (!tz_rule_parse(footer + 1, rule_len, &tz->rule))
        return "the footer is not a valid TZ string";
    tz->has_rule = true;
    return NULL;
}

struct tz *tz_create_from_tzif(const char *name, const unsigned char *data, size_t len,
                               const char **why)
{
    struct tz *tz = xcalloc(1, sizeof *tz);
    tz->name = xstrdup(name ? name : "");
    *why = parse_tzif(tz, data, len);
    if (*why != NULL) {
        tz_free(tz);
        return NULL;
    }
    return tz;
}

static unsigned char *read_small_file(const char *path, size_t *len, const char **why)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *why = errno == ENOENT || errno == ENOTDIR ? "no such time zone" : "the zone file cannot be read";
        return NULL;
    }
    unsigned char *buf = NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
        (uint64_t)st.st_size > TZIF_FILE_MAX) {
        *why = "no such time zone";
        goto out_close;
    }
    buf = xmalloc((size_t)st.st_size);
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            *why = "the zone file cannot be read";
            free(buf);
            buf = NULL;
            goto out_close;
        }
        got += (size_t)r;
    }
    *len = got;
out_close:
    close(fd);
    return buf;
}

struct tz *tz_create(const char *zoneinfo_dir, const char *name, const char **why)
{
    if (!tz_name_is_valid(name)) {
        *why = "not a valid time zone name";
        return NULL;
    }
    char *path = xasprintf("%s/%s", zoneinfo_dir ? zoneinfo_dir : "/usr/share/zoneinfo", name);
    size_t len = 0;
    unsigned char *data = read_small_file(path, &len, why);
    free(path);
    if (data == NULL)
        return NULL;
    struct tz *tz = tz_create_from_tzif(name, data, len, why);
    free(data);
    return tz;
}

void tz_free(struct tz *tz)
{
    if (tz == NULL)
        return;
    free(tz->name);
    free(tz->trans_s);
    free(tz->trans_type);
    free(tz->types);
    free(tz);
}

const char *tz_name(const struct tz *tz)
{
    return tz->name;
}

struct offset {
    int32_t utoff_s;
    bool is_dst;
    const char *abbrev;         /* borrowed from the zone */
};

static struct offset offset_at(const struct tz *tz, int64_t utc_s)
{
    struct offset o;
    if (tz->has_rule && (tz->ntrans == 0 || utc_s >= tz->trans_s[tz->ntrans - 1])) {
        tz_rule_offset_at(&tz->rule, utc_s, &o.utoff_s, &o.is_dst, &o.abbrev);
        return o;
    }
    const struct tz_type *t = &tz->types[0];
    if (tz->ntrans > 0 && utc_s >= tz->trans_s[0]) {
        size_t lo = 0, hi = tz->ntrans;             /* last transition <= utc_s */
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (tz->trans_s[mid] <= utc_s)
                lo = mid;
            else
                hi = mid;
        }
        t = &tz->types[tz->trans_type[lo]];
    }
    o.utoff_s = t->utoff_s;
    o.is_dst = t->is_dst;
    o.abbrev = t->abbrev;
    return o;
}

bool tz_to_local(const struct tz *tz, int64_t utc_s, struct tz_local *out)
{
    if (utc_s < -TZ_SECONDS_LIMIT || utc_s > TZ_SECONDS_LIMIT)
        return false;
    struct offset o = offset_at(tz, utc_s);
    int64_t local_s = utc_s + o.utoff_s;
    out->wall = civil_time_from_seconds(local_s);
    out->weekday = civil_weekday_from_days(civil_floor_div(local_s, 86400));
    out->utc_offset_s = o.utoff_s;
    out->is_dst = o.is_dst;
    size_t n = strlen(o.abbrev);
    memcpy(out->abbrev, o.abbrev, n + 1);
    return true;
}

bool tz_from_local(const struct tz *tz, const struct civil_time *wall, int64_t *utc_s,
                   enum tz_wall_kind *kind)
{
    enum tz_wall_kind k = TZ_WALL_UNIQUE;
    if (!civil_date_is_valid(&wall->date) || wall->hour < 0 || wall->hour > 23 ||
        wall->minute < 0 || wall->minute > 59 || wall->second < 0 || wall->second > 59)
        return false;
    int64_t w = civil_time_to_seconds(wall);
    if (w < -TZ_SECONDS_LIMIT + 2 * 86400 || w > TZ_SECONDS_LIMIT - 2 * 86400)
        return false;
    /* The offsets a day either side bracket at most one change (no zone changes twice
     * within two days); each gives a candidate that is right if it maps back to w. */
    int32_t before = offset_at(tz, w - 86400).utoff_s;
    int32_t after = offset_at(tz, w + 86400).utoff_s;
    int64_t t_before = w - before, t_after = w - after;
    bool is_before_ok = offset_at(tz, t_before).utoff_s == before;
    bool is_after_ok = offset_at(tz, t_after).utoff_s == after;
    int64_t t = t_before;
    if (is_before_ok && is_after_ok && t_before != t_after) {
        k = TZ_WALL_OVERLAP;
        t = t_before < t_after ? t_before : t_after;
    } else if (is_before_ok) {
        t = t_before;
    } else if (is_after_ok) {
        t = t_after;
    } else {
        k = TZ_WALL_GAP;                /* read with the offset before the jump */
    }
    *utc_s = t;
    if (kind != NULL)
        *kind = k;
    return true;
}
