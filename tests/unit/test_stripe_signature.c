/* Unit tests for lib/billing/stripe_signature.c. The vectors were computed with another
 * HMAC-SHA256 implementation (Python's hmac module) over "<t>.<body>" as Stripe signs:
 *   hmac.new(secret, b"1700000000." + body, hashlib.sha256).hexdigest() */
#include <stdlib.h>

#include "check.h"
#include "billing/stripe_signature.h"

static const char *const secret = "whsec_test_5WbX5kEWLlfzsGNjH64I8lOOqUB6e8FH";
static const char *const old_secret = "whsec_old_secret_rolled_0123456789abcdef";
static const char *const body =
    "{\"id\":\"evt_1NqXy2LkdIwHu7ix\",\"object\":\"event\",\"type\":\"invoice.paid\","
    "\"created\":1700000000,\"data\":{\"object\":{\"id\":\"in_1\",\"object\":\"invoice\","
    "\"customer\":\"cus_Q1\"}}}";
#define SIG "d171e1ac4349f9ffd70463fe665be2d41641a438c112811c88fb0a22c66844b1"
#define OLD_SIG "bba1403cffec3ddc5927065e5bb4da64c4235fc38a42a22b8f1ce6400adfbe2e"
#define EMPTY_BODY_SIG "838c4f0ad7f60dd732c023dbfbae3024c4ff60ab454003f71f995e42bbfb65c4"
#define T 1700000000

static enum app_err verify_at(const char *header, const char *b, time_t now, const char **why)
{
    *why = NULL;
    return stripe_signature_verify(header, b, strlen(b), secret, now, STRIPE_SIGNATURE_TOLERANCE_S,
                                   why);
}

static void test_vectors_from_another_implementation_verify(void)
{
    const char *why = NULL;
    CHECK(verify_at("t=1700000000,v1=" SIG, body, T, &why) == APP_OK);
    CHECK(why == NULL);
    CHECK(verify_at("t=1700000000,v1=" EMPTY_BODY_SIG, "", T, &why) == APP_OK);
    CHECK(stripe_signature_verify("t=1700000000,v1=" OLD_SIG, body, strlen(body), old_secret, T,
                                  300, &why) == APP_OK);
}

static void test_other_schemes_and_blanks_around_items_are_ignored(void)
{
    const char *why = NULL;
    CHECK(verify_at("t=1700000000,v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39,v1=" SIG,
                    body, T, &why) == APP_OK);
    CHECK(verify_at("t=1700000000, v1=" SIG " ,", body, T, &why) == APP_OK);
    CHECK(verify_at("v1=" SIG ",t=1700000000,junk", body, T, &why) == APP_OK);
}

static void test_a_missing_header_is_refused(void)
{
    const char *why = NULL;
    CHECK(stripe_signature_verify(NULL, body, strlen(body), secret, T, 300, &why) == APP_EAUTH);
    CHECK_STR_EQ(why, "Stripe-Signature header is missing");
}

static void test_a_header_without_t_is_refused(void)
{
    const char *why = NULL;
    CHECK(verify_at("v1=" SIG, body, T, &why) == APP_EAUTH);
    CHECK_STR_EQ(why, "Stripe-Signature has no t= timestamp");
    CHECK(verify_at("", body, T, &why) == APP_EAUTH);
    CHECK_STR_EQ(why, "Stripe-Signature has no t= timestamp");
    CHECK(verify_at("T=1700000000,v1=" SIG, body, T, &why) == APP_EAUTH);
    CHECK_STR_EQ(why, "Stripe-Signature has no t= timestamp");
}

static void test_a_t_that_is_not_unix_seconds_is_refused(void)
{
    static const char *const bad[] = {
        "t=17e8,v1=" SIG, "t=,v1=" SIG, "t=-1700000000,v1=" SIG, "t=+1700000000,v1=" SIG,
        "t=01700000000,v1=" SIG, "t=1700000000.5,v1=" SIG, "t=9999999999999999999,v1=" SIG,
        "t=1700000000 1,v1=" SIG};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *why = NULL;
        CHECK(verify_at(bad[i], body, T, &why) == APP_EAUTH);
        CHECK_STR_EQ(why, "Stripe-Signature t= is not Unix seconds");
    }
}

static void test_two_timestamps_are_refused(void)
{
    const char *why = NULL;
    CHECK(verify_at("t=1700000000,t=1700000000,v1=" SIG, body, T, &why) == APP_EAUTH);
    CHECK_STR_EQ(why, "Stripe-Signature has more than one t= timestamp");
}

static void test_a_header_without_v1_is_refused(void)
{
    const char *why = NULL;
    CHECK(verify_at("t=1700000000", body, T, &why) == APP_EAUTH);
    CHECK_STR_EQ(why, "Stripe-Signature has no v1= signature");
    CHECK(verify_at("t=1700000000,v0=" SIG ",v2=" SIG, body, T, &why) == APP_EAUTH);
    CHECK_STR_EQ(why, "Stripe-Signature has no v1= signature");
}

static void test_the_wrong_secret_fails(void)
{
    const char *why = NULL;
    CHECK(stripe_signature_verify("t=1700000000,v1=" SIG, body, strlen(body), old_secret, T, 300,
                                  &why) == APP_EAUTH);
    CHECK_STR_EQ(why, "no v1 signature matches the body");
    /* the secret is its ASCII text, prefix and all: not the base64 after whsec_ */
    CHECK(stripe_signature_verify("t=1700000000,v1=" SIG, body, strlen(body),
                                  secret + strlen("whsec_"), T, 300, &why) == APP_EAUTH);
}

static void test_a_tampered_body_or_timestamp_fails(void)
{
    const char *why = NULL;
    char *copy = strdup(body);
    for (size_t i = 0; i < strlen(copy); i += 7) {
        copy[i] ^= 0x01;
        CHECK(verify_at("t=1700000000,v1=" SIG, copy, T, &why) == APP_EAUTH);
        CHECK_STR_EQ(why, "no v1 signature matches the body");
        copy[i] ^= 0x01;
    }
    free(copy);
    CHECK(stripe_signature_verify("t=1700000000,v1=" SIG, body, strlen(body) - 1, secret, T, 300,
                                  &why) == APP_EAUTH);
    CHECK(verify_at("t=1700000001,v1=" SIG, body, T, &why) == APP_EAUTH);
    CHECK_STR_EQ(why, "no v1 signature matches the body");
}

static void test_a_changed_or_malformed_signature_fails(void)
{
    const char *why = NULL;
    char header[128] = "t=1700000000,v1=" SIG;
    size_t last = strlen(header) - 1;
    header[last] = header[last] == '0' ? '1' : '0';
    CHECK(verify_at(header, body, T, &why) == APP_EAUTH);
    CHECK_STR_EQ(why, "no v1 signature matches the body");
    CHECK(verify_at("t=1700000000,v1=" SIG "00", body, T, &why) == APP_EAUTH);
    CHECK(verify_at("t=1700000000,v1=d171e1ac", body, T, &why) == APP_EAUTH);
    CHECK(verify_at("t=1700000000,v1=", body, T, &why) == APP_EAUTH);
    CHECK(verify_at("t=1700000000,v1=zz71e1ac4349f9ffd70463fe665be2d41641a438c112811c88fb0a22c66844b1",
                    body, T, &why) == APP_EAUTH);
    CHECK_STR_EQ(why, "no v1 signature matches the body");
}

static void test_a_timestamp_outside_the_tolerance_fails_either_side(void)
{
    const char *why = NULL;
    CHECK(verify_at("t=1700000000,v1=" SIG, body, T + 300, &why) == APP_OK);
    CHECK(verify_at("t=1700000000,v1=" SIG, body, T - 300, &why) == APP_OK);
    CHECK(verify_at("t=1700000000,v1=" SIG, body, T + 301, &why) == APP_EAUTH);
    CHECK_STR_EQ(why, "Stripe-Signature t= is outside the tolerance");
    CHECK(verify_at("t=1700000000,v1=" SIG, body, T - 301, &why) == APP_EAUTH);
    CHECK_STR_EQ(why, "Stripe-Signature t= is outside the tolerance");
    CHECK(verify_at("t=1700000000,v1=" SIG, body, 0, &why) == APP_EAUTH);
    CHECK(stripe_signature_verify("t=1700000000,v1=" SIG, body, strlen(body), secret, T + 1000,
                                  1000, &why) == APP_OK);
}

static void test_a_rolled_secret_accepts_either_v1(void)
{
    const char *why = NULL;
    CHECK(verify_at("t=1700000000,v1=" OLD_SIG ",v1=" SIG, body, T, &why) == APP_OK);
    CHECK(verify_at("t=1700000000,v1=" SIG ",v1=" OLD_SIG, body, T, &why) == APP_OK);
    CHECK(stripe_signature_verify("t=1700000000,v1=" SIG ",v1=" OLD_SIG, body, strlen(body),
                                  old_secret, T, 300, &why) == APP_OK);
    CHECK(verify_at("t=1700000000,v1=" OLD_SIG ",v1=" OLD_SIG, body, T, &why) == APP_EAUTH);
}

static void test_a_huge_header_is_refused_before_any_work(void)
{
    const char *why = NULL;
    size_t n = STRIPE_SIGNATURE_HEADER_MAX + 100;
    char *huge = malloc(n + 1);
    size_t at = (size_t)snprintf(huge, n + 1, "t=1700000000,v1=%s", SIG);
    while (at + 68 <= n)
        at += (size_t)snprintf(huge + at, n + 1 - at, ",v1=%s", OLD_SIG);
    memset(huge + at, ' ', n - at);
    huge[n] = '\0';
    CHECK(verify_at(huge, body, T, &why) == APP_EAUTH);
    CHECK_STR_EQ(why, "Stripe-Signature header is too long");
    /* right at the limit it is read, and the first v1 still counts */
    huge[STRIPE_SIGNATURE_HEADER_MAX] = '\0';
    CHECK(verify_at(huge, body, T, &why) == APP_OK);
    free(huge);
}

static void test_many_wrong_v1_before_the_good_one_are_all_tried(void)
{
    const char *why = NULL;
    char header[2048];
    size_t at = (size_t)snprintf(header, sizeof header, "t=1700000000");
    for (int i = 0; i < 15; i++)
        at += (size_t)snprintf(header + at, sizeof header - at, ",v1=%s", OLD_SIG);
    snprintf(header + at, sizeof header - at, ",v1=%s", SIG);
    CHECK(verify_at(header, body, T, &why) == APP_OK);
}

static void test_no_secret_refuses_everything(void)
{
    const char *why = NULL;
    CHECK(stripe_signature_verify("t=1700000000,v1=" SIG, body, strlen(body), "", T, 300, &why) ==
          APP_EAUTH);
    CHECK_STR_EQ(why, "no webhook signing secret is configured");
}

int main(void)
{
    RUN(test_vectors_from_another_implementation_verify);
    RUN(test_other_schemes_and_blanks_around_items_are_ignored);
    RUN(test_a_missing_header_is_refused);
    RUN(test_a_header_without_t_is_refused);
    RUN(test_a_t_that_is_not_unix_seconds_is_refused);
    RUN(test_two_timestamps_are_refused);
    RUN(test_a_header_without_v1_is_refused);
    RUN(test_the_wrong_secret_fails);
    RUN(test_a_tampered_body_or_timestamp_fails);
    RUN(test_a_changed_or_malformed_signature_fails);
    RUN(test_a_timestamp_outside_the_tolerance_fails_either_side);
    RUN(test_a_rolled_secret_accepts_either_v1);
    RUN(test_a_huge_header_is_refused_before_any_work);
    RUN(test_many_wrong_v1_before_the_good_one_are_all_tried);
    RUN(test_no_secret_refuses_everything);
    return check_summary();
}
