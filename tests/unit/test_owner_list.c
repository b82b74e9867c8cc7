/* Unit tests of the owner API's list parameters (lib/owner/list_cursor.c,
 * lib/owner/list_params.c): a cursor reads back what it was made of and refuses any
 * edit, truncation or other scope; limits, whole numbers and date ranges are checked
 * with every problem named by its parameter. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "owner/list_cursor.h"
#include "owner/list_params.h"

#define ID "0b5e7c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b"
#define SCOPE "calls|from=2026-03-01|to=|outcome=|b=4c1e"

/* The problems reported, as "path: message" lines. */
struct problems {
    int n;
    char lines[8][160];
};

static void note(void *arg, const char *path, const char *message)
{
    struct problems *p = arg;
    if (p->n < 8)
        snprintf(p->lines[p->n++], sizeof p->lines[0], "%s: %s", path, message);
}

/* ---- cursors ---- */

static void test_a_cursor_reads_back_its_key_and_id(void)
{
    struct list_position pos = {.key = 1772550000123456LL, .id = ID}, back = {0};
    char text[LIST_CURSOR_LEN + 1];
    CHECK(list_cursor_encode(&pos, SCOPE, text));
    CHECK_INT_EQ(strlen(text), LIST_CURSOR_LEN);
    CHECK(strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
          LIST_CURSOR_LEN);
    CHECK(list_cursor_decode(text, SCOPE, &back));
    CHECK(back.key == pos.key);
    CHECK_STR_EQ(back.id, ID);
}

static void test_keys_before_1970_and_small_versions_survive(void)
{
    int64_t keys[] = {-1, 0, 3, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        struct list_position pos = {.key = keys[i], .id = ID}, back = {0};
        char text[LIST_CURSOR_LEN + 1];
        CHECK(list_cursor_encode(&pos, "versions", text));
        CHECK(list_cursor_decode(text, "versions", &back) && back.key == keys[i]);
    }
}

static void test_an_uppercase_id_reads_back_lowercase(void)
{
    struct list_position pos = {.key = 7, .id = "0B5E7C1A-2F3D-4E5F-8A9B-0C1D2E3F4A5B"}, back;
    char text[LIST_CURSOR_LEN + 1];
    CHECK(list_cursor_encode(&pos, SCOPE, text));
    CHECK(list_cursor_decode(text, SCOPE, &back));
    CHECK_STR_EQ(back.id, ID);
}

static void test_a_cursor_with_any_character_changed_is_refused(void)
{
    struct list_position pos = {.key = 1772550000123456LL, .id = ID}, back;
    char text[LIST_CURSOR_LEN + 1];
    CHECK(list_cursor_encode(&pos, SCOPE, text));
    int accepted = 0;
    for (size_t i = 0; i < LIST_CURSOR_LEN; i++) {
        char edited[LIST_CURSOR_LEN + 1];
        memcpy(edited, text, sizeof edited);
        edited[i] = edited[i] == 'A' ? 'B' : 'A';
        accepted += list_cursor_decode(edited, SCOPE, &back);
    }
    CHECK_INT_EQ(accepted, 0);
}

static void test_a_cursor_of_another_scope_short_or_long_is_refused(void)
{
    struct list_position pos = {.key = 42, .id = ID}, back;
    char text[LIST_CURSOR_LEN + 1], longer[LIST_CURSOR_LEN + 3];
    CHECK(list_cursor_encode(&pos, SCOPE, text));
    CHECK(!list_cursor_decode(text, "calls|from=2026-03-02|to=|outcome=|b=4c1e", &back));
    CHECK(!list_cursor_decode(text, "bookings", &back));
    CHECK(!list_cursor_decode(text, "", &back));
    char shorter[LIST_CURSOR_LEN];
    memcpy(shorter, text, LIST_CURSOR_LEN - 1);
    shorter[LIST_CURSOR_LEN - 1] = '\0';
    CHECK(!list_cursor_decode(shorter, SCOPE, &back));
    snprintf(longer, sizeof longer, "%sAA", text);
    CHECK(!list_cursor_decode(longer, SCOPE, &back));
    CHECK(!list_cursor_decode("", SCOPE, &back));
    CHECK(!list_cursor_decode("not a cursor at all, but just as long as one!", SCOPE, &back));
}

static void test_an_id_that_is_not_a_uuid_makes_no_cursor(void)
{
    struct list_position pos = {.key = 1, .id = "not-a-uuid"};
    char text[LIST_CURSOR_LEN + 1];
    CHECK(!list_cursor_encode(&pos, SCOPE, text));
}

/* ---- limits and numbers ---- */

static void test_limit_defaults_to_50_and_takes_1_to_200(void)
{
    struct problems p = {0};
    int limit = 0;
    CHECK(list_limit_parse(NULL, &limit, note, &p) && limit == 50);
    CHECK(list_limit_parse("1", &limit, note, &p) && limit == 1);
    CHECK(list_limit_parse("200", &limit, note, &p) && limit == 200);
    CHECK_INT_EQ(p.n, 0);
}

static void test_limit_0_500_and_words_are_refused_with_the_path_limit(void)
{
    const char *bad[] = {"0", "500", "201", "", "ten", "-5", "+5", " 5", "5 ", "1e2", "99999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct problems p = {0};
        int limit = -1;
        CHECK(!list_limit_parse(bad[i], &limit, note, &p));
        CHECK(limit == -1);
        CHECK(p.n == 1);
        CHECK_STR_EQ(p.lines[0], "limit: must be a whole number from 1 to 200");
    }
}

static void test_a_whole_number_is_named_by_its_own_path(void)
{
    struct problems p = {0};
    int score = 0;
    CHECK(list_int_parse("70", "min_score", 0, 100, &score, note, &p) && score == 70);
    CHECK(!list_int_parse("101", "min_score", 0, 100, &score, note, &p));
    CHECK(p.n == 1);
    CHECK_STR_EQ(p.lines[0], "min_score: must be a whole number from 0 to 100");
}

/* ---- date ranges ---- */

static void test_a_range_of_two_dates_counts_days_from_1970(void)
{
    struct problems p = {0};
    struct date_range r;
    struct date_range_rules rules = {.is_required = true, .max_days = 366};
    CHECK(date_range_parse("2026-03-01", "2026-03-31", &rules, &r, note, &p));
    CHECK(r.has_from && r.has_to);
    CHECK_STR_EQ(r.from, "2026-03-01");
    CHECK_INT_EQ(r.from_day, 20513);
    CHECK_INT_EQ(r.to_day - r.from_day, 30);
    CHECK_INT_EQ(p.n, 0);
}

static void test_either_end_may_be_absent_unless_required(void)
{
    struct problems p = {0};
    struct date_range r;
    struct date_range_rules open = {0}, required = {.is_required = true};
    CHECK(date_range_parse(NULL, "2026-03-31", &open, &r, note, &p) && !r.has_from && r.has_to);
    CHECK(date_range_parse(NULL, NULL, &open, &r, note, &p) && !r.has_from && !r.has_to);
    CHECK_INT_EQ(p.n, 0);
    CHECK(!date_range_parse(NULL, NULL, &required, &r, note, &p));
    CHECK(p.n == 2);
    CHECK_STR_EQ(p.lines[0], "from: is required");
    CHECK_STR_EQ(p.lines[1], "to: is required");
}

static void test_dates_that_are_not_dates_are_each_refused(void)
{
    struct problems p = {0};
    struct date_range r;
    struct date_range_rules rules = {0};
    CHECK(!date_range_parse("2026-02-30", "yesterday", &rules, &r, note, &p));
    CHECK(p.n == 2);
    CHECK(strncmp(p.lines[0], "from: must be a date \"YYYY-MM-DD\"", 33) == 0);
    CHECK(strncmp(p.lines[1], "to: must be a date", 18) == 0);
    const char *bad[] = {"2026-3-01", "2026-03-01T00:00", "1999-12-31", "2026-13-01",
                         "2025-02-29", "", "20260301"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct problems q = {0};
        CHECK(!date_range_parse(bad[i], NULL, &rules, &r, note, &q) && q.n == 1);
    }
    struct problems leap = {0};
    CHECK(date_range_parse("2028-02-29", NULL, &rules, &r, note, &leap));
}

static void test_from_after_to_is_refused_on_to(void)
{
    struct problems p = {0};
    struct date_range r;
    struct date_range_rules rules = {0};
    CHECK(!date_range_parse("2026-03-02", "2026-03-01", &rules, &r, note, &p));
    CHECK(p.n == 1);
    CHECK_STR_EQ(p.lines[0], "to: must not be before from");
    CHECK(date_range_parse("2026-03-02", "2026-03-02", &rules, &r, note, &p));
}

static void test_a_range_of_366_days_passes_and_367_is_refused(void)
{
    struct problems p = {0};
    struct date_range r;
    struct date_range_rules rules = {.is_required = true, .max_days = 366};
    CHECK(date_range_parse("2028-01-01", "2028-12-31", &rules, &r, note, &p));    /* leap: 366 */
    CHECK_INT_EQ(p.n, 0);
    CHECK(!date_range_parse("2026-01-01", "2027-01-02", &rules, &r, note, &p));   /* 367 */
    CHECK(p.n == 1 && strncmp(p.lines[0], "to: makes the range longer than 366 days", 40) == 0);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    RUN(test_a_cursor_reads_back_its_key_and_id);
    RUN(test_keys_before_1970_and_small_versions_survive);
    RUN(test_an_uppercase_id_reads_back_lowercase);
    RUN(test_a_cursor_with_any_character_changed_is_refused);
    RUN(test_a_cursor_of_another_scope_short_or_long_is_refused);
    RUN(test_an_id_that_is_not_a_uuid_makes_no_cursor);
    RUN(test_limit_defaults_to_50_and_takes_1_to_200);
    RUN(test_limit_0_500_and_words_are_refused_with_the_path_limit);
    RUN(test_a_whole_number_is_named_by_its_own_path);
    RUN(test_a_range_of_two_dates_counts_days_from_1970);
    RUN(test_either_end_may_be_absent_unless_required);
    RUN(test_dates_that_are_not_dates_are_each_refused);
    RUN(test_from_after_to_is_refused_on_to);
    RUN(test_a_range_of_366_days_passes_and_367_is_refused);
    return check_summary();
}
