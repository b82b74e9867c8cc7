/* Unit tests for lib/store/outbox_refusal.c: which PostgreSQL errors refuse an outbox entry
 * (it may end in the dead outbox) and which only say PostgreSQL is unavailable or slow (it
 * is retried, never moved). */
#include "check.h"
#include "store/outbox_refusal.h"

static void test_data_constraint_and_schema_errors_refuse_the_entry(void)
{
    const char *refusals[] = {"22P02", "22001", "23505", "23514", "23503", "23502", "42P01",
                              "42703", "42501"};
    for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++)
        CHECK(outbox_refusal_is_data_error(refusals[i]));
}

static void test_unavailable_or_slow_postgres_never_refuses_the_entry(void)
{
    const char *transient[] = {"55P03", "57014", "57P01", "57P03", "40001", "40P01", "08006",
                               "08001", "53300", "XX000", "", "23", "2350"};
    for (size_t i = 0; i < sizeof transient / sizeof transient[0]; i++)
        CHECK(!outbox_refusal_is_data_error(transient[i]));
    CHECK(!outbox_refusal_is_data_error(NULL));
}

int main(void)
{
    RUN(test_data_constraint_and_schema_errors_refuse_the_entry);
    RUN(test_unavailable_or_slow_postgres_never_refuses_the_entry);
    return check_summary();
}
