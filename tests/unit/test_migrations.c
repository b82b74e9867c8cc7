/* Unit tests for lib/store/migrations.c: naming migration files and choosing which to apply. */
#include "check.h"
#include "store/migrations.h"

static const struct migration three[] = {
    {"0001_v1.sql", "", 0},
    {"0002_calls.sql", "", 0},
    {"0003_sms_messages.sql", "", 0},
};

static void test_file_name_gives_version_and_name(void)
{
    int v = 0;
    char name[MIGRATION_NAME_MAX + 1];
    CHECK(migration_parse_file("0001_v1.sql", &v, name));
    CHECK_INT_EQ(v, 1);
    CHECK_STR_EQ(name, "v1");
    CHECK(migration_parse_file("0042_call_logs_2.sql", &v, name));
    CHECK_INT_EQ(v, 42);
    CHECK_STR_EQ(name, "call_logs_2");
}

static void test_malformed_file_names_are_refused(void)
{
    int v;
    char name[MIGRATION_NAME_MAX + 1];
    const char *bad[] = {"0000_zero.sql", "001_short.sql", "0001-dash.sql", "0001_.sql",
                         "0001_Upper.sql", "0001_v1.txt", "abcd_v1.sql", "0001_v1.sql.bak",
                         "0001_has space.sql", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(!migration_parse_file(bad[i], &v, name));
}

static void test_versions_must_strictly_increase(void)
{
    char why[256] = "";
    CHECK(migrations_check(three, 3, why, sizeof why) == APP_OK);
    const struct migration dup[] = {{"0001_a.sql", "", 0}, {"0001_b.sql", "", 0}};
    CHECK(migrations_check(dup, 2, why, sizeof why) == APP_EINVAL);
    CHECK(strstr(why, "0001_b.sql") != NULL);
    const struct migration backwards[] = {{"0002_a.sql", "", 0}, {"0001_b.sql", "", 0}};
    CHECK(migrations_check(backwards, 2, why, sizeof why) == APP_EINVAL);
}

static void test_fresh_database_gets_every_migration_in_order(void)
{
    size_t pending[3], n = 99;
    char why[256] = "";
    CHECK(migrations_plan(three, 3, NULL, 0, pending, &n, why, sizeof why) == APP_OK);
    CHECK_INT_EQ(n, 3);
    CHECK_INT_EQ(pending[0], 0);
    CHECK_INT_EQ(pending[1], 1);
    CHECK_INT_EQ(pending[2], 2);
}

static void test_up_to_date_database_gets_nothing(void)
{
    const int applied[] = {3, 1, 2};
    size_t pending[3], n = 99;
    char why[256] = "";
    CHECK(migrations_plan(three, 3, applied, 3, pending, &n, why, sizeof why) == APP_OK);
    CHECK_INT_EQ(n, 0);
}

static void test_only_newer_migrations_are_pending(void)
{
    const int applied[] = {1};
    size_t pending[3], n = 99;
    char why[256] = "";
    CHECK(migrations_plan(three, 3, applied, 1, pending, &n, why, sizeof why) == APP_OK);
    CHECK_INT_EQ(n, 2);
    CHECK_INT_EQ(pending[0], 1);
    CHECK_INT_EQ(pending[1], 2);
}

static void test_database_ahead_of_binary_is_refused(void)
{
    const int applied[] = {1, 2, 3, 4};
    size_t pending[3], n;
    char why[256] = "";
    CHECK(migrations_plan(three, 3, applied, 4, pending, &n, why, sizeof why) == APP_EINVAL);
    CHECK(strstr(why, "0004") != NULL);
}

static void test_gap_below_applied_version_is_refused(void)
{
    const int applied[] = {1, 3};
    size_t pending[3], n;
    char why[256] = "";
    CHECK(migrations_plan(three, 3, applied, 2, pending, &n, why, sizeof why) == APP_EINVAL);
    CHECK(strstr(why, "0002_calls.sql") != NULL);
}

int main(void)
{
    RUN(test_file_name_gives_version_and_name);
    RUN(test_malformed_file_names_are_refused);
    RUN(test_versions_must_strictly_increase);
    RUN(test_fresh_database_gets_every_migration_in_order);
    RUN(test_up_to_date_database_gets_nothing);
    RUN(test_only_newer_migrations_are_pending);
    RUN(test_database_ahead_of_binary_is_refused);
    RUN(test_gap_below_applied_version_is_refused);
    return check_summary();
}
