/* Unit tests for lib/calendar/civil_date.c, lib/calendar/tz_rule.c, lib/calendar/tz.c and lib/calendar/tz_cache.c: known
 * facts about real zones, the footer rule past 2037, gaps and overlaps, and a few
 * hundred random instants compared with glibc's localtime_r (TZ is set in this test
 * process only; the library never touches it). */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "calendar/civil_date.h"
#include "calendar/tz.h"
#include "calendar/tz_cache.h"
#include "calendar/tz_rule.h"

static struct tz_cache *cache;

static const struct tz *zone(const char *name)
{
    const char *why = NULL;
    const struct tz *tz = tz_cache_get(cache, name, &why);
    if (tz == NULL)
        fprintf(stderr, "  cannot load %s: %s\n", name, why);
    return tz;
}

static int64_t utc(int y, int mo, int d, int h, int mi)
{
    struct civil_time t = {{y, mo, d}, h, mi, 0};
    return civil_time_to_seconds(&t);
}

static struct civil_time wall(int y, int mo, int d, int h, int mi)
{
    return (struct civil_time){{y, mo, d}, h, mi, 0};
}

static void test_civil_dates_round_trip_and_know_weekdays(void)
{
    struct civil_date d = {2026, 3, 2};
    int64_t days = civil_days_from_date(&d);
    CHECK_INT_EQ(civil_weekday_from_days(days), 1);             /* a Monday */
    struct civil_date back = civil_date_from_days(days);
    CHECK(civil_date_compare(&d, &back) == 0);
    struct civil_date leap = {2028, 2, 28};
    struct civil_date next = civil_date_add_days(&leap, 1);
    CHECK_INT_EQ(next.month, 2);
    CHECK_INT_EQ(next.day, 29);
    struct civil_date epoch = {1970, 1, 1};
    CHECK_INT_EQ(civil_days_from_date(&epoch), 0);
    struct civil_date before = {1969, 12, 31};
    CHECK_INT_EQ(civil_days_from_date(&before), -1);
    CHECK(!civil_date_is_valid(&(struct civil_date){2027, 2, 29}));
    CHECK(civil_date_is_valid(&(struct civil_date){2000, 2, 29}));
    CHECK(!civil_date_is_valid(&(struct civil_date){1900, 2, 29}));
    for (int64_t n = -800000; n < 800000; n += 997) {
        struct civil_date x = civil_date_from_days(n);
        CHECK_INT_EQ(civil_days_from_date(&x), n);
    }
}

static void test_zone_names_are_validated(void)
{
    CHECK(tz_name_is_valid("America/New_York"));
    CHECK(tz_name_is_valid("Etc/GMT+5"));
    CHECK(tz_name_is_valid("America/Argentina/Buenos_Aires"));
    CHECK(tz_name_is_valid("UTC"));
    const char *bad[] = {"", "/etc/passwd", "../../etc/passwd", "America/../../etc",
                         "America//New_York", "America/New_York/", "./UTC", "America/.",
                         "localtime", "America/New York", "zone.tab", "Europe\\London"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(!tz_name_is_valid(bad[i]));
    CHECK(!tz_name_is_valid(NULL));
    char longname[TZ_NAME_MAX + 1];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    CHECK(!tz_name_is_valid(longname));
}

static void test_new_york_spring_forward_time_does_not_exist(void)
{
    const struct tz *ny = zone("America/New_York");
    int64_t t = 0;
    enum tz_wall_kind kind = TZ_WALL_UNIQUE;
    struct civil_time w = wall(2026, 3, 8, 2, 30);
    CHECK(tz_from_local(ny, &w, &t, &kind));
    CHECK_INT_EQ(kind, TZ_WALL_GAP);
    CHECK_INT_EQ(t, utc(2026, 3, 8, 7, 30));                     /* 03:30 EDT */
    struct tz_local l;
    CHECK(tz_to_local(ny, t, &l));
    CHECK_INT_EQ(l.wall.hour, 3);
    CHECK_INT_EQ(l.wall.minute, 30);
    CHECK_STR_EQ(l.abbrev, "EDT");
    w = wall(2026, 3, 8, 1, 59);
    CHECK(tz_from_local(ny, &w, &t, &kind));
    CHECK_INT_EQ(kind, TZ_WALL_UNIQUE);
    CHECK_INT_EQ(t, utc(2026, 3, 8, 6, 59));
}

static void test_new_york_fall_back_time_happens_twice_and_the_earlier_is_chosen(void)
{
    const struct tz *ny = zone("America/New_York");
    int64_t t = 0;
    enum tz_wall_kind kind = TZ_WALL_UNIQUE;
    struct civil_time w = wall(2026, 11, 1, 1, 30);
    CHECK(tz_from_local(ny, &w, &t, &kind));
    CHECK_INT_EQ(kind, TZ_WALL_OVERLAP);
    CHECK_INT_EQ(t, utc(2026, 11, 1, 5, 30));                    /* 01:30 EDT */
    struct tz_local first, second;
    CHECK(tz_to_local(ny, t, &first));
    CHECK(tz_to_local(ny, t + 3600, &second));
    CHECK_STR_EQ(first.abbrev, "EDT");
    CHECK_STR_EQ(second.abbrev, "EST");
    CHECK_INT_EQ(second.wall.hour, 1);
    CHECK_INT_EQ(second.wall.minute, 30);
    w = wall(2026, 11, 1, 2, 0);
    CHECK(tz_from_local(ny, &w, &t, &kind));
    CHECK_INT_EQ(kind, TZ_WALL_UNIQUE);
    CHECK_INT_EQ(t, utc(2026, 11, 1, 7, 0));
}

static void test_new_york_local_time_carries_offset_abbreviation_and_weekday(void)
{
    struct tz_local l;
    CHECK(tz_to_local(zone("America/New_York"), utc(2026, 3, 2, 14, 15), &l));
    CHECK_INT_EQ(l.wall.date.year, 2026);
    CHECK_INT_EQ(l.wall.date.day, 2);
    CHECK_INT_EQ(l.wall.hour, 9);
    CHECK_INT_EQ(l.weekday, 1);
    CHECK_INT_EQ(l.utc_offset_s, -5 * 3600);
    CHECK(!l.is_dst);
    CHECK_STR_EQ(l.abbrev, "EST");
    CHECK(tz_to_local(zone("America/New_York"), utc(2026, 7, 4, 16, 0), &l));
    CHECK_INT_EQ(l.wall.hour, 12);
    CHECK(l.is_dst);
    CHECK_STR_EQ(l.abbrev, "EDT");
}

static void test_london_switches_to_bst_on_the_last_sunday_of_march(void)
{
    const struct tz *london = zone("Europe/London");
    struct tz_local l;
    CHECK(tz_to_local(london, utc(2026, 3, 29, 0, 59), &l));
    CHECK_STR_EQ(l.abbrev, "GMT");
    CHECK_INT_EQ(l.utc_offset_s, 0);
    CHECK(tz_to_local(london, utc(2026, 3, 29, 1, 0), &l));
    CHECK_STR_EQ(l.abbrev, "BST");
    CHECK_INT_EQ(l.wall.hour, 2);
    int64_t t = 0;
    enum tz_wall_kind kind;
    struct civil_time w = wall(2026, 3, 29, 1, 15);
    CHECK(tz_from_local(london, &w, &t, &kind));
    CHECK_INT_EQ(kind, TZ_WALL_GAP);
}

static void test_sydney_has_summer_time_in_january(void)
{
    const struct tz *sydney = zone("Australia/Sydney");
    struct tz_local l;
    CHECK(tz_to_local(sydney, utc(2026, 1, 15, 0, 0), &l));
    CHECK_INT_EQ(l.utc_offset_s, 11 * 3600);
    CHECK(l.is_dst);
    CHECK_STR_EQ(l.abbrev, "AEDT");
    CHECK(tz_to_local(sydney, utc(2026, 7, 15, 0, 0), &l));
    CHECK_INT_EQ(l.utc_offset_s, 10 * 3600);
    CHECK_STR_EQ(l.abbrev, "AEST");
    int64_t t = 0;
    enum tz_wall_kind kind;
    struct civil_time w = wall(2026, 10, 4, 2, 30);             /* first Sunday of October */
    CHECK(tz_from_local(sydney, &w, &t, &kind));
    CHECK_INT_EQ(kind, TZ_WALL_GAP);
    w = wall(2026, 4, 5, 2, 30);                                /* first Sunday of April */
    CHECK(tz_from_local(sydney, &w, &t, &kind));
    CHECK_INT_EQ(kind, TZ_WALL_OVERLAP);
    CHECK_INT_EQ(t, utc(2026, 4, 4, 15, 30));                   /* 02:30 AEDT */
}

static void test_kolkata_is_five_and_a_half_hours_ahead_and_utc_is_utc(void)
{
    struct tz_local l;
    CHECK(tz_to_local(zone("Asia/Kolkata"), utc(2026, 3, 2, 20, 0), &l));
    CHECK_INT_EQ(l.utc_offset_s, 5 * 3600 + 1800);
    CHECK_INT_EQ(l.wall.date.day, 3);
    CHECK_INT_EQ(l.wall.hour, 1);
    CHECK_INT_EQ(l.wall.minute, 30);
    CHECK_STR_EQ(l.abbrev, "IST");
    CHECK(tz_to_local(zone("UTC"), utc(2026, 3, 2, 20, 0), &l));
    CHECK_INT_EQ(l.utc_offset_s, 0);
    CHECK_INT_EQ(l.wall.hour, 20);
    CHECK_STR_EQ(l.abbrev, "UTC");
}

static void test_far_future_dates_follow_the_footer_rule(void)
{
    const struct tz *ny = zone("America/New_York");
    struct tz_local l;
    CHECK(tz_to_local(ny, utc(2040, 7, 4, 16, 0), &l));
    CHECK_STR_EQ(l.abbrev, "EDT");
    CHECK(tz_to_local(ny, utc(2040, 12, 25, 17, 0), &l));
    CHECK_STR_EQ(l.abbrev, "EST");
    /* 2040: DST from Sunday March 11th to Sunday November 4th. */
    CHECK(tz_to_local(ny, utc(2040, 3, 11, 6, 59), &l));
    CHECK_STR_EQ(l.abbrev, "EST");
    CHECK(tz_to_local(ny, utc(2040, 3, 11, 7, 0), &l));
    CHECK_STR_EQ(l.abbrev, "EDT");
    CHECK_INT_EQ(l.wall.hour, 3);
    int64_t t = 0;
    enum tz_wall_kind kind;
    struct civil_time w = wall(2040, 11, 4, 1, 30);
    CHECK(tz_from_local(ny, &w, &t, &kind));
    CHECK_INT_EQ(kind, TZ_WALL_OVERLAP);
    w = wall(2040, 3, 11, 2, 30);
    CHECK(tz_from_local(ny, &w, &t, &kind));
    CHECK_INT_EQ(kind, TZ_WALL_GAP);
    CHECK(tz_to_local(zone("Australia/Sydney"), utc(2099, 1, 1, 0, 0), &l));
    CHECK_STR_EQ(l.abbrev, "AEDT");
}

static void test_tz_rules_parse_the_posix_forms(void)
{
    struct tz_rule r;
    const char *s = "EST5EDT,M3.2.0,M11.1.0";
    CHECK(tz_rule_parse(s, strlen(s), &r));
    CHECK_INT_EQ(r.std_utoff_s, -5 * 3600);
    CHECK_INT_EQ(r.dst_utoff_s, -4 * 3600);
    CHECK_INT_EQ(r.start.month, 3);
    CHECK_INT_EQ(r.end.time_s, 7200);
    s = "<+0530>-5:30";
    CHECK(tz_rule_parse(s, strlen(s), &r));
    CHECK_STR_EQ(r.std_abbrev, "+0530");
    CHECK_INT_EQ(r.std_utoff_s, 5 * 3600 + 1800);
    CHECK(!r.has_dst);
    s = "<-03>3<-02>,M3.5.0/-2,M10.5.0/-1";                    /* America/Nuuk, 2023 */
    CHECK(tz_rule_parse(s, strlen(s), &r));
    CHECK_INT_EQ(r.start.time_s, -7200);
    s = "EST5EDT,0/0,J365/25";                                   /* daylight all year */
    CHECK(tz_rule_parse(s, strlen(s), &r));
    int32_t off;
    bool is_dst;
    const char *abbrev;
    tz_rule_offset_at(&r, utc(2030, 1, 1, 12, 0), &off, &is_dst, &abbrev);
    CHECK(is_dst);
    tz_rule_offset_at(&r, utc(2030, 12, 31, 12, 0), &off, &is_dst, &abbrev);
    CHECK(is_dst);
    const char *bad[] = {"", "E5", "EST", "EST5EDT,M3.2.0", "EST5EDT,M13.2.0,M11.1.0",
                         "EST5EDT,M3.6.0,M11.1.0", "EST5EDT,M3.2.7,M11.1.0", "<EST5",
                         "EST25", "EST5EDT,J0,J365", "EST5EDT,M3.2.0/168,M11.1.0", "EST5 "};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(!tz_rule_parse(bad[i], strlen(bad[i]), &r));
}

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rng_next(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void test_random_instants_agree_with_glibc(void)
{
    const char *names[] = {"America/New_York", "America/Los_Angeles", "Europe/London",
                           "Australia/Sydney", "Asia/Kolkata", "UTC", "America/Sao_Paulo",
                           "Pacific/Auckland", "Europe/Berlin", "America/St_Johns",
                           "Asia/Tehran", "Pacific/Chatham", "Africa/Casablanca"};
    char *old_tz = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
    int compared = 0;
    for (size_t z = 0; z < sizeof names / sizeof names[0]; z++) {
        const struct tz *tz = zone(names[z]);
        if (tz == NULL)
            continue;
        setenv("TZ", names[z], 1);
        tzset();
        for (int i = 0; i < 60; i++) {
            /* 1971 to 2100: history, the table's end (2037), and the footer after it. */
            int64_t t = 31536000 + (int64_t)(rng_next() % UINT64_C(4070000000));
            time_t tt = (time_t)t;
            struct tm tm;
            struct tz_local l;
            CHECK(localtime_r(&tt, &tm) != NULL);
            CHECK(tz_to_local(tz, t, &l));
            bool is_same = l.wall.date.year == tm.tm_year + 1900 &&
                           l.wall.date.month == tm.tm_mon + 1 && l.wall.date.day == tm.tm_mday &&
                           l.wall.hour == tm.tm_hour && l.wall.minute == tm.tm_min &&
                           l.wall.second == tm.tm_sec && l.weekday == tm.tm_wday &&
                           l.utc_offset_s == tm.tm_gmtoff && l.is_dst == (tm.tm_isdst > 0) &&
                           strcmp(l.abbrev, tm.tm_zone) == 0;
            if (!is_same)
                fprintf(stderr, "  %s at %lld: ours %+d %s, glibc %+ld %s\n", names[z],
                        (long long)t, (int)l.utc_offset_s, l.abbrev, tm.tm_gmtoff, tm.tm_zone);
            CHECK(is_same);
            int64_t back = 0;
            enum tz_wall_kind kind;
            CHECK(tz_from_local(tz, &l.wall, &back, &kind));
            CHECK(back == t || (kind == TZ_WALL_OVERLAP && back < t));
            compared++;
        }
    }
    if (old_tz != NULL)
        setenv("TZ", old_tz, 1);
    else
        unsetenv("TZ");
    tzset();
    free(old_tz);
    CHECK(compared >= 600);
}

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    unsigned char *buf = malloc(1 << 20);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

static void test_broken_tzif_data_is_refused_with_a_reason(void)
{
    size_t len = 0;
    unsigned char *data = read_file("/usr/share/zoneinfo/America/New_York", &len);
    CHECK(data != NULL);
    if (data == NULL)
        return;
    const char *why = NULL;
    struct tz *tz = tz_create_from_tzif("x", data, len, &why);
    CHECK(tz != NULL);
    tz_free(tz);
    for (size_t cut = 0; cut < 44 + 200; cut += 7) {
        why = NULL;
        CHECK(tz_create_from_tzif("x", data, cut, &why) == NULL);
        CHECK(why != NULL);
    }
    unsigned char junk[64] = "TZif2";
    CHECK(tz_create_from_tzif("x", junk, sizeof junk, &why) == NULL);
    CHECK(tz_create_from_tzif("x", (const unsigned char *)"hello", 5, &why) == NULL);
    CHECK_STR_EQ(why, "not a TZif file");
    /* The same file read as version 1: 32-bit data only, no footer. */
    data[4] = '\0';
    tz = tz_create_from_tzif("v1", data, len, &why);
    CHECK(tz != NULL);
    struct tz_local l;
    if (tz != NULL) {
        CHECK(tz_to_local(tz, utc(2026, 7, 4, 16, 0), &l));
        CHECK_STR_EQ(l.abbrev, "EDT");
    }
    tz_free(tz);
    free(data);
}

static void test_cache_loads_once_and_remembers_failures(void)
{
    const char *why = NULL;
    const struct tz *a = tz_cache_get(cache, "Europe/Paris", &why);
    const struct tz *b = tz_cache_get(cache, "Europe/Paris", &why);
    CHECK(a != NULL && a == b);
    CHECK_STR_EQ(tz_name(a), "Europe/Paris");
    CHECK(tz_cache_get(cache, "Mars/Olympus_Mons", &why) == NULL);
    CHECK_STR_EQ(why, "no such time zone");
    why = NULL;
    CHECK(tz_cache_get(cache, "Mars/Olympus_Mons", &why) == NULL);
    CHECK_STR_EQ(why, "no such time zone");
    CHECK(tz_cache_get(cache, "../etc/passwd", &why) == NULL);
    CHECK_STR_EQ(why, "not a valid time zone name");
    CHECK(tz_cache_get(cache, "right/UTC", &why) == NULL);
    CHECK_STR_EQ(why, "zones with leap seconds are not supported");
    CHECK(tz_cache_get(cache, "zone1970.tab", &why) == NULL);
    CHECK(tz_cache_get(cache, "leapseconds", &why) == NULL);
    CHECK_STR_EQ(why, "not a TZif file");
    CHECK(tz_cache_get(cache, "America", &why) == NULL);
}

static void test_cache_grows_past_its_first_table(void)
{
    struct tz_cache *c = tz_cache_create(NULL);
    const char *names[] = {"America/Chicago", "America/Denver", "America/Phoenix",
                           "America/Anchorage", "Pacific/Honolulu", "Europe/Madrid",
                           "Europe/Rome", "Asia/Tokyo", "Asia/Shanghai", "Asia/Dubai"};
    const struct tz *first[10];
    const char *why;
    char missing[32];
    for (int i = 0; i < 100; i++) {                  /* failures fill the table too */
        snprintf(missing, sizeof missing, "Nowhere/Zone_%d", i);
        CHECK(tz_cache_get(c, missing, &why) == NULL);
    }
    for (size_t i = 0; i < 10; i++)
        first[i] = tz_cache_get(c, names[i], &why);
    for (size_t i = 0; i < 10; i++)
        CHECK(first[i] != NULL && tz_cache_get(c, names[i], &why) == first[i]);
    tz_cache_free(c);
    tz_cache_free(NULL);
    tz_free(NULL);
}

static void test_out_of_range_values_are_refused(void)
{
    const struct tz *ny = zone("America/New_York");
    struct tz_local l;
    int64_t t;
    CHECK(!tz_to_local(ny, INT64_MAX, &l));
    CHECK(!tz_to_local(ny, INT64_MIN, &l));
    struct civil_time w = wall(2026, 2, 29, 12, 0);
    CHECK(!tz_from_local(ny, &w, &t, NULL));
    w = wall(2026, 2, 1, 24, 0);
    CHECK(!tz_from_local(ny, &w, &t, NULL));
    w = wall(CIVIL_YEAR_MAX, 1, 1, 0, 0);
    CHECK(!tz_from_local(ny, &w, &t, NULL));
    CHECK(tz_to_local(ny, TZ_SECONDS_LIMIT, &l));
    CHECK_INT_EQ(l.wall.date.year, 9999);
}

int main(void)
{
    cache = tz_cache_create(NULL);
    RUN(test_civil_dates_round_trip_and_know_weekdays);
    RUN(test_zone_names_are_validated);
    RUN(test_new_york_spring_forward_time_does_not_exist);
    RUN(test_new_york_fall_back_time_happens_twice_and_the_earlier_is_chosen);
    RUN(test_new_york_local_time_carries_offset_abbreviation_and_weekday);
    RUN(test_london_switches_to_bst_on_the_last_sunday_of_march);
    RUN(test_sydney_has_summer_time_in_january);
    RUN(test_kolkata_is_five_and_a_half_hours_ahead_and_utc_is_utc);
    RUN(test_far_future_dates_follow_the_footer_rule);
    RUN(test_tz_rules_parse_the_posix_forms);
    RUN(test_random_instants_agree_with_glibc);
    RUN(test_broken_tzif_data_is_refused_with_a_reason);
    RUN(test_cache_loads_once_and_remembers_failures);
    RUN(test_cache_grows_past_its_first_table);
    RUN(test_out_of_range_values_are_refused);
    tz_cache_free(cache);
    return check_summary();
}
