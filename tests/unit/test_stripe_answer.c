/* Unit tests for lib/billing/stripe_answer.c: each of Stripe's answers leads its job to
 * the verdict STRIPE.md §1 prescribes, and retries wait longer each time, up to a cap. */
#include <string.h>

#include "billing/stripe_answer.h"
#include "check.h"

static enum stripe_verdict verdict_of(long status, const char *should_retry, const char *body)
{
    struct stripe_response r = {.status = status, .should_retry = should_retry, .body = body,
                             .body_len = body != NULL ? strlen(body) : 0};
    struct stripe_answer a;
    stripe_answer_classify(&r, &a);
    return a.verdict;
}

static void test_a_created_customer_is_done_with_its_id(void)
{
    const char body[] = "{\"id\": \"cus_NffrFeUfNV2Hib\", \"object\": \"customer\"}";
    struct stripe_response r = {.status = 200, .body = body, .body_len = strlen(body)};
    struct stripe_answer a;
    stripe_answer_classify(&r, &a);
    CHECK(a.verdict == STRIPE_DONE);
    CHECK_STR_EQ(a.object_id, "cus_NffrFeUfNV2Hib");
    CHECK_STR_EQ(a.message, "");
}

static void test_a_meter_event_is_done_with_its_identifier(void)
{
    const char body[] = "{\"object\": \"billing.meter_event\", \"event_name\": \"ai_booking\", "
                        "\"identifier\": \"5b0c6f5e-2b1c-4a59-9f0e-0c1f6d1f2a3b\"}";
    struct stripe_response r = {.status = 200, .body = body, .body_len = strlen(body)};
    struct stripe_answer a;
    stripe_answer_classify(&r, &a);
    CHECK(a.verdict == STRIPE_DONE);
    CHECK_STR_EQ(a.object_id, "5b0c6f5e-2b1c-4a59-9f0e-0c1f6d1f2a3b");
}

static void test_no_answer_and_transient_statuses_retry_with_the_same_key(void)
{
    struct stripe_response r = {.status = 0, .transport_error = "Timeout was reached"};
    struct stripe_answer a;
    stripe_answer_classify(&r, &a);
    CHECK(a.verdict == STRIPE_RETRY);
    CHECK_STR_EQ(a.message, "Timeout was reached");
    const long transient[] = {409, 429, 502, 503, 504};
    for (size_t i = 0; i < sizeof transient / sizeof transient[0]; i++)
        CHECK(verdict_of(transient[i], NULL, "{}") == STRIPE_RETRY);
}

static void test_a_500_is_indeterminate_even_when_stripe_says_retry(void)
{
    CHECK(verdict_of(500, NULL, "{\"error\": {\"type\": \"api_error\"}}") == STRIPE_INDETERMINATE);
    CHECK(verdict_of(500, "true", NULL) == STRIPE_INDETERMINATE);
}

static void test_a_bad_request_fails_with_stripes_message(void)
{
    const char body[] = "{\"error\": {\"type\": \"invalid_request_error\", \"code\": "
                        "\"resource_missing\", \"message\": \"No such customer: 'cus_x'\", "
                        "\"param\": \"payload[stripe_customer_id]\"}}";
    struct stripe_response r = {.status = 400, .body = body, .body_len = strlen(body)};
    struct stripe_answer a;
    stripe_answer_classify(&r, &a);
    CHECK(a.verdict == STRIPE_FAILED);
    CHECK_STR_EQ(a.error_type, "invalid_request_error");
    CHECK_STR_EQ(a.error_code, "resource_missing");
    CHECK_STR_EQ(a.message, "No such customer: 'cus_x'");
    CHECK_STR_EQ(a.object_id, "");
    char line[600];
    stripe_answer_describe(&a, line, sizeof line);
    CHECK_STR_EQ(line, "HTTP 400 invalid_request_error resource_missing: No such customer: 'cus_x'");
    const long refused[] = {400, 401, 402, 403, 404, 424};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        CHECK(verdict_of(refused[i], NULL, body) == STRIPE_FAILED);
}

/* A meter event Stripe already holds is the booking reported, not a refusal to fix. */
static void test_only_an_identifier_stripe_holds_is_a_known_identifier(void)
{
    const char known[] = "{\"error\": {\"type\": \"invalid_request_error\", \"code\": "
                         "\"resource_already_exists\", \"param\": \"identifier\", \"message\": "
                         "\"An event already exists with identifier b1.\"}}";
    const char missing[] = "{\"error\": {\"type\": \"invalid_request_error\", \"code\": "
                           "\"resource_missing\", \"message\": \"No such customer\"}}";
    struct stripe_answer a;
    struct stripe_response r = {.status = 400, .body = known, .body_len = strlen(known)};
    stripe_answer_classify(&r, &a);
    CHECK(stripe_answer_is_known_identifier(&a));
    r = (struct stripe_response){.status = 400, .body = missing, .body_len = strlen(missing)};
    stripe_answer_classify(&r, &a);
    CHECK(!stripe_answer_is_known_identifier(&a));
    r = (struct stripe_response){.status = 500, .body = known, .body_len = strlen(known)};
    stripe_answer_classify(&r, &a);
    CHECK(!stripe_answer_is_known_identifier(&a));
}

static void test_stripe_should_retry_overrides_the_status(void)
{
    CHECK(verdict_of(400, "true", "{\"error\": {\"code\": \"lock_timeout\"}}") == STRIPE_RETRY);
    CHECK(verdict_of(429, "false", NULL) == STRIPE_FAILED);
    CHECK(verdict_of(503, "False", NULL) == STRIPE_FAILED);
    CHECK(verdict_of(200, "false", "{\"id\": \"ii_1\"}") == STRIPE_DONE);
    CHECK(verdict_of(400, "maybe", NULL) == STRIPE_FAILED);
}

static void test_a_body_that_is_not_json_changes_no_verdict(void)
{
    CHECK(verdict_of(200, NULL, "<html>") == STRIPE_DONE);
    CHECK(verdict_of(502, NULL, "<html>Bad gateway</html>") == STRIPE_RETRY);
    CHECK(verdict_of(400, NULL, "[1, 2]") == STRIPE_FAILED);
}

static void test_retry_delay_doubles_per_attempt_up_to_five_minutes(void)
{
    CHECK(stripe_retry_delay_ms(0, 0.0) == 1000);
    CHECK(stripe_retry_delay_ms(1, 0.0) == 1000);
    CHECK(stripe_retry_delay_ms(2, 0.0) == 2000);
    CHECK(stripe_retry_delay_ms(5, 0.0) == 16000);
    CHECK(stripe_retry_delay_ms(9, 0.0) == 256000);
    CHECK(stripe_retry_delay_ms(10, 0.0) == STRIPE_RETRY_CAP_MS);
    CHECK(stripe_retry_delay_ms(1000000, 0.0) == STRIPE_RETRY_CAP_MS);
}

static void test_retry_delay_jitters_down_by_at_most_a_quarter(void)
{
    CHECK(stripe_retry_delay_ms(3, 0.5) == 3500);
    CHECK(stripe_retry_delay_ms(3, 0.999) > 3000);
    CHECK(stripe_retry_delay_ms(30, 0.999) >= STRIPE_RETRY_CAP_MS * 3 / 4);
    CHECK(stripe_retry_delay_ms(3, 7.0) == 4000);     /* out of range: no jitter */
}

int main(void)
{
    RUN(test_a_created_customer_is_done_with_its_id);
    RUN(test_a_meter_event_is_done_with_its_identifier);
    RUN(test_no_answer_and_transient_statuses_retry_with_the_same_key);
    RUN(test_a_500_is_indeterminate_even_when_stripe_says_retry);
    RUN(test_a_bad_request_fails_with_stripes_message);
    RUN(test_stripe_should_retry_overrides_the_status);
    RUN(test_a_body_that_is_not_json_changes_no_verdict);
    RUN(test_only_an_identifier_stripe_holds_is_a_known_identifier);
    RUN(test_retry_delay_doubles_per_attempt_up_to_five_minutes);
    RUN(test_retry_delay_jitters_down_by_at_most_a_quarter);
    return check_summary();
}
