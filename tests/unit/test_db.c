/* Unit tests for the pure parts of lib/store/db.c: passwords never reach a message. */
#include "check.h"
#include "store/db.h"
#include "store/db_scope.h"

static void test_uri_password_is_redacted(void)
{
    char out[256];
    db_url_redact("postgresql://app:s3cret@db.internal:5432/frontdesk?sslmode=require",
                  out, sizeof out);
    CHECK_STR_EQ(out, "postgresql://app:***@db.internal:5432/frontdesk?sslmode=require");
}

static void test_uri_without_password_is_unchanged(void)
{
    char out[256];
    db_url_redact("postgresql://postgres@127.0.0.1:5432/frontdesk", out, sizeof out);
    CHECK_STR_EQ(out, "postgresql://postgres@127.0.0.1:5432/frontdesk");
    db_url_redact("postgres:///frontdesk", out, sizeof out);
    CHECK_STR_EQ(out, "postgres:///frontdesk");
}

static void test_password_with_at_sign_is_redacted_whole(void)
{
    char out[256];
    db_url_redact("postgresql://u:p@ss@h/db", out, sizeof out);
    CHECK_STR_EQ(out, "postgresql://u:***@h/db");
}

static void test_keyword_form_password_is_redacted(void)
{
    char out[256];
    db_url_redact("host=h password=s3cret dbname=d", out, sizeof out);
    CHECK_STR_EQ(out, "host=h password=*** dbname=d");
    db_url_redact("host=h password = 'a b\\'c' user=u", out, sizeof out);
    CHECK(strstr(out, "a b") == NULL);
    CHECK(strstr(out, "user=u") != NULL);
}

static void test_connect_failure_does_not_print_password(void)
{
    char why[512] = "";
    /* Port 1 refuses at once; the URL's bad percent-escape makes libpq quote it. */
    PGconn *c = db_connect("postgresql://u:topsecret@127.0.0.1:1/db?connect_timeout=2",
                           why, sizeof why);
    CHECK(c == NULL);
    CHECK(why[0] != '\0');
    CHECK(strstr(why, "topsecret") == NULL);
    c = db_connect("postgresql://u:top%zzsecret@127.0.0.1:1/db", why, sizeof why);
    CHECK(c == NULL);
    CHECK(strstr(why, "secret") == NULL);
}

static void test_limit_texts_are_both_timeouts_in_ms(void)
{
    struct db_limits limits = {10000, 2000};
    struct db_limit_texts t;
    db_limit_texts(&limits, &t);
    CHECK_STR_EQ(t.statement_ms, "10000");
    CHECK_STR_EQ(t.lock_ms, "2000");
    db_limit_texts(NULL, &t);                   /* none: PostgreSQL's 0, no limit */
    CHECK_STR_EQ(t.statement_ms, "0");
    CHECK_STR_EQ(t.lock_ms, "0");
}

int main(void)
{
    RUN(test_uri_password_is_redacted);
    RUN(test_uri_without_password_is_unchanged);
    RUN(test_password_with_at_sign_is_redacted_whole);
    RUN(test_keyword_form_password_is_redacted);
    RUN(test_connect_failure_does_not_print_password);
    RUN(test_limit_texts_are_both_timeouts_in_ms);
    return check_summary();
}
