/* tests/unit/test_number_order.c: lib/numbers/number_order.c, the steps of a request for a
 * phone number: where a row resumes, where each outcome leads, what is recorded for the
 * owner and for operators, the backoff, and why no path orders a second number. */
#include <string.h>

#include "check.h"
#include "numbers/number_order.h"

#define REQUEST "6f1c2b7a-1c3d-4e4f-9a0b-1c2d3e4f5a6b"
#define BUSINESS "0a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9"

static struct number_order pending_in(const char *area_code)
{
    struct number_order o;
    CHECK(number_order_from_row(&o, REQUEST, BUSINESS, "pending", area_code, NULL, NULL, 0, 0));
    return o;
}

static const struct number_result ok = {.outcome = NUMBER_OK, .jitter = 0.5};

static struct number_result outcome(enum number_outcome what, const char *detail)
{
    return (struct number_result){.outcome = what, .detail = detail, .jitter = 0.5};
}

static struct number_result ok_with(const char *value)
{
    return (struct number_result){.outcome = NUMBER_OK, .value = value, .jitter = 0.5};
}

/* Runs o from SEARCH to FOLLOW: found number, chosen, counted, placed, order id kept. */
static void order_placed(struct number_order *o)
{
    struct number_result found = ok_with("+13125550101"), placed = ok_with("order-1");
    CHECK_INT_EQ(number_order_advance(o, &found), NUMBER_CHOOSE);
    CHECK_INT_EQ(number_order_advance(o, &ok), NUMBER_COUNT);
    CHECK_INT_EQ(number_order_advance(o, &ok), NUMBER_PLACE);
    CHECK_INT_EQ(number_order_advance(o, &placed), NUMBER_KEEP_ORDER);
    CHECK_INT_EQ(number_order_advance(o, &ok), NUMBER_FOLLOW);
}

static void test_a_row_resumes_at_the_step_its_status_and_facts_say(void)
{
    struct number_order o;
    CHECK(number_order_from_row(&o, REQUEST, BUSINESS, "pending", "312", NULL, NULL, 0, 0));
    CHECK_INT_EQ(o.step, NUMBER_SEARCH);
    CHECK_STR_EQ(o.area_code, "312");
    CHECK(number_order_from_row(&o, REQUEST, BUSINESS, "ordering", NULL, "+13125550101", NULL, 0, 0));
    CHECK_INT_EQ(o.step, NUMBER_COUNT);     /* chosen, maybe ordered: counted again first */
    CHECK(number_order_from_row(&o, REQUEST, BUSINESS, "ordering", NULL, "+13125550101", "order-1", 1, 2));
    CHECK_INT_EQ(o.step, NUMBER_FOLLOW);
    CHECK_INT_EQ(o.attempts, 2);
    CHECK(number_order_from_row(&o, REQUEST, BUSINESS, "active", NULL, "+13125550101", "order-1", 1, 0));
    CHECK_INT_EQ(o.step, NUMBER_END);
    CHECK(number_order_from_row(&o, REQUEST, BUSINESS, "failed", NULL, NULL, NULL, 0, 0));
    CHECK_INT_EQ(o.step, NUMBER_END);
}

static void test_a_malformed_row_is_refused(void)
{
    struct number_order o;
    CHECK(!number_order_from_row(&o, "nope", BUSINESS, "pending", NULL, NULL, NULL, 0, 0));
    CHECK(!number_order_from_row(&o, REQUEST, BUSINESS, "lost", NULL, NULL, NULL, 0, 0));
    CHECK(!number_order_from_row(&o, REQUEST, BUSINESS, "ordering", NULL, NULL, NULL, 0, 0));
    CHECK(!number_order_from_row(&o, REQUEST, BUSINESS, "ordering", NULL, "555-0101", NULL, 0, 0));
    CHECK(!number_order_from_row(&o, REQUEST, BUSINESS, "pending", "31", NULL, NULL, 0, 0));
}

static void test_the_happy_path_goes_search_to_activate_and_ends_active(void)
{
    struct number_order o = pending_in("312");
    order_placed(&o);
    CHECK_STR_EQ(o.phone_number, "+13125550101");
    CHECK_STR_EQ(o.order_id, "order-1");
    CHECK_INT_EQ(o.order_attempts, 1);
    CHECK_INT_EQ(number_order_advance(&o, &ok), NUMBER_STORE);
    CHECK_INT_EQ(number_order_advance(&o, &ok), NUMBER_ROUTE);
    CHECK_INT_EQ(number_order_advance(&o, &ok), NUMBER_ACTIVATE);
    CHECK_INT_EQ(number_order_advance(&o, &ok), NUMBER_END);
    CHECK_INT_EQ(o.end, NUMBER_ENDED_ACTIVE);
}

static void test_no_number_in_the_area_code_fails_with_a_reason_naming_it(void)
{
    struct number_order o = pending_in("907");
    struct number_result none = outcome(NUMBER_NONE_FOUND, NULL);
    CHECK_INT_EQ(number_order_advance(&o, &none), NUMBER_FAIL);
    CHECK(strstr(o.failure_reason, "area code 907") != NULL);
    CHECK(strstr(o.failure_reason, "nearby area code") != NULL);
    CHECK_INT_EQ(number_order_advance(&o, &ok), NUMBER_END);
    CHECK_INT_EQ(o.end, NUMBER_ENDED_FAILED);
    struct number_order any = pending_in(NULL);
    CHECK_INT_EQ(number_order_advance(&any, &none), NUMBER_FAIL);
    CHECK(strstr(any.failure_reason, "area code") == NULL);
}

static void test_an_outage_waits_with_growing_backoff_and_says_why_to_operators(void)
{
    struct number_order o = pending_in("312");
    struct number_result down = outcome(NUMBER_UNAVAILABLE, "HTTP 503 10007 Unexpected error");
    CHECK_INT_EQ(number_order_advance(&o, &down), NUMBER_WAIT);
    CHECK_INT_EQ(o.attempts, 1);
    CHECK_INT_EQ(o.wait_ms, 1000);                  /* jitter 0.5: the middle */
    CHECK(strstr(o.last_error, "search") != NULL && strstr(o.last_error, "10007") != NULL);
    CHECK_INT_EQ(number_order_advance(&o, &ok), NUMBER_END);
    CHECK_INT_EQ(o.end, NUMBER_ENDED_LATER);
    struct number_order again = pending_in("312");
    again.attempts = 3;
    CHECK_INT_EQ(number_order_advance(&again, &down), NUMBER_WAIT);
    CHECK_INT_EQ(again.wait_ms, 8000);
}

static void test_the_backoff_doubles_to_five_minutes_within_its_jitter(void)
{
    CHECK_INT_EQ(number_retry_delay_ms(1, 0.0), 500);
    CHECK_INT_EQ(number_retry_delay_ms(1, 0.999), 1499);
    CHECK_INT_EQ(number_retry_delay_ms(2, 0.5), 2000);
    CHECK_INT_EQ(number_retry_delay_ms(30, 0.5), NUMBER_RETRY_MAX_MS);
    CHECK_INT_EQ(number_retry_delay_ms(1000, 0.5), NUMBER_RETRY_MAX_MS);
    CHECK_INT_EQ(number_retry_delay_ms(1, 7.0), 1000);     /* out of range: the middle */
}

static void test_a_pending_order_is_polled_again_without_an_error(void)
{
    struct number_order o = pending_in("312");
    order_placed(&o);
    struct number_result pending = outcome(NUMBER_PENDING, NULL);
    CHECK_INT_EQ(number_order_advance(&o, &pending), NUMBER_WAIT);
    CHECK_INT_EQ(o.attempts, 1);
    CHECK_STR_EQ(o.last_error, "");
    CHECK(o.wait_ms > 0);
}

static void test_an_order_telnyx_failed_fails_the_request_naming_the_number(void)
{
    struct number_order o = pending_in("312");
    order_placed(&o);
    struct number_result failed = outcome(NUMBER_ORDER_FAILED, "order order-1: failure");
    CHECK_INT_EQ(number_order_advance(&o, &failed), NUMBER_FAIL);
    CHECK(strstr(o.failure_reason, "+13125550101") != NULL);
    CHECK_STR_EQ(o.last_error, "order order-1: failure");
}

static void test_an_order_refused_outright_forgets_the_number_to_search_again(void)
{
    struct number_order o = pending_in("312");
    struct number_result found = ok_with("+13125550101");
    number_order_advance(&o, &found);
    number_order_advance(&o, &ok);
    number_order_advance(&o, &ok);                  /* counted: one order */
    struct number_result refused = outcome(NUMBER_REFUSED, "HTTP 422 number not available");
    CHECK_INT_EQ(number_order_advance(&o, &refused), NUMBER_FORGET);
    CHECK(o.wait_ms > 0);
    CHECK(strstr(o.last_error, "not available") != NULL);
    CHECK_INT_EQ(number_order_advance(&o, &ok), NUMBER_END);
    CHECK_INT_EQ(o.end, NUMBER_ENDED_LATER);
}

static void test_a_lost_order_answer_orders_the_same_number_again_never_another(void)
{
    /* The first order went out and its answer was lost: the request waits, resumes at
     * COUNT with the same number, and orders that number again. */
    struct number_order o = pending_in("312");
    struct number_result found = ok_with("+13125550101");
    number_order_advance(&o, &found);
    number_order_advance(&o, &ok);
    number_order_advance(&o, &ok);
    struct number_result timeout = outcome(NUMBER_UNAVAILABLE, "timeout");
    CHECK_INT_EQ(number_order_advance(&o, &timeout), NUMBER_WAIT);
    struct number_order resumed;
    CHECK(number_order_from_row(&resumed, REQUEST, BUSINESS, "ordering", "312", o.phone_number,
                                NULL, o.order_attempts, o.attempts));
    CHECK_INT_EQ(resumed.step, NUMBER_COUNT);
    CHECK_INT_EQ(number_order_advance(&resumed, &ok), NUMBER_PLACE);
    CHECK_INT_EQ(resumed.order_attempts, 2);
    CHECK_STR_EQ(resumed.phone_number, "+13125550101");
    /* Telnyx refuses the second order: the first may have bought it. No new search. */
    struct number_result refused = outcome(NUMBER_REFUSED, "HTTP 422 10007 number not available");
    CHECK_INT_EQ(number_order_advance(&resumed, &refused), NUMBER_FAIL);
    CHECK(strstr(resumed.failure_reason, "could not be confirmed") != NULL);
    CHECK(strstr(resumed.last_error, "frontdesk-request-" REQUEST) != NULL);
    CHECK(strstr(resumed.last_error, "numbers add") != NULL);
}

static void test_an_order_id_that_cannot_be_recorded_is_tried_again_within_the_claim(void)
{
    struct number_order o = pending_in("312");
    struct number_result found = ok_with("+13125550101"), placed = ok_with("order-1");
    number_order_advance(&o, &found);
    number_order_advance(&o, &ok);
    number_order_advance(&o, &ok);
    number_order_advance(&o, &placed);
    struct number_result down = outcome(NUMBER_UNAVAILABLE, "PostgreSQL is not connected");
    long long delays[NUMBER_KEEP_TRIES];
    for (int i = 0; i + 1 < NUMBER_KEEP_TRIES; i++) {
        CHECK_INT_EQ(number_order_advance(&o, &down), NUMBER_KEEP_ORDER);
        delays[i] = o.delay_ms;
    }
    CHECK_INT_EQ(delays[0], 250);
    CHECK(delays[1] > delays[0]);
    CHECK_INT_EQ(number_order_advance(&o, &down), NUMBER_WAIT);
    CHECK_INT_EQ(o.delay_ms, 0);
}

static void test_a_claim_that_lost_its_row_stops_at_once(void)
{
    struct number_order o = pending_in("312");
    struct number_result found = ok_with("+13125550101");
    number_order_advance(&o, &found);
    struct number_result lost = outcome(NUMBER_LOST, NULL);
    CHECK_INT_EQ(number_order_advance(&o, &lost), NUMBER_END);
    CHECK_INT_EQ(o.end, NUMBER_ENDED_LOST);
}

static void test_a_number_another_business_has_fails_the_request(void)
{
    struct number_order o = pending_in("312");
    order_placed(&o);
    number_order_advance(&o, &ok);                  /* FOLLOW: success */
    struct number_result taken = outcome(NUMBER_TAKEN, NULL);
    CHECK_INT_EQ(number_order_advance(&o, &taken), NUMBER_FAIL);
    CHECK(strstr(o.failure_reason, "another business") != NULL);
}

static void test_routing_or_activating_failures_wait_and_resume_from_follow(void)
{
    struct number_order o = pending_in("312");
    order_placed(&o);
    number_order_advance(&o, &ok);
    number_order_advance(&o, &ok);                  /* STORE -> ROUTE */
    struct number_result down = outcome(NUMBER_UNAVAILABLE, "Redis is down");
    CHECK_INT_EQ(number_order_advance(&o, &down), NUMBER_WAIT);
    CHECK(strstr(o.last_error, "routing") != NULL);
    struct number_order resumed;
    CHECK(number_order_from_row(&resumed, REQUEST, BUSINESS, "ordering", NULL, o.phone_number,
                                o.order_id, o.order_attempts, o.attempts));
    CHECK_INT_EQ(resumed.step, NUMBER_FOLLOW);
}

static void test_a_failed_record_of_a_failure_leaves_the_request_for_later(void)
{
    struct number_order o = pending_in("907");
    struct number_result none = outcome(NUMBER_NONE_FOUND, NULL);
    number_order_advance(&o, &none);
    struct number_result down = outcome(NUMBER_UNAVAILABLE, "PostgreSQL is not connected");
    CHECK_INT_EQ(number_order_advance(&o, &down), NUMBER_END);
    CHECK_INT_EQ(o.end, NUMBER_ENDED_LATER);
}

static void test_texts_are_cut_at_a_character_boundary(void)
{
    char detail[NUMBER_ERROR_MAX + 200];
    memset(detail, 'a', sizeof detail);
    /* "é" (2 bytes) placed so that the cut would fall inside it */
    size_t at = NUMBER_ERROR_MAX - strlen("search: ") - 1;
    detail[at] = '\xc3';
    detail[at + 1] = '\xa9';
    detail[sizeof detail - 1] = '\0';
    struct number_order o = pending_in("312");
    struct number_result down = outcome(NUMBER_UNAVAILABLE, detail);
    number_order_advance(&o, &down);
    size_t len = strlen(o.last_error);
    CHECK(len <= NUMBER_ERROR_MAX);
    CHECK((unsigned char)o.last_error[len - 1] < 0x80);
    struct number_order cut = pending_in("312");
    struct number_result half = outcome(NUMBER_UNAVAILABLE, "down \xe2\x82");   /* "€" cut short */
    number_order_advance(&cut, &half);
    CHECK_STR_EQ(cut.last_error, "search: down ");
}

static void test_the_pick_and_the_reference(void)
{
    CHECK_INT_EQ(number_order_pick(5, 0.0), 0);
    CHECK_INT_EQ(number_order_pick(5, 0.999), 4);
    CHECK_INT_EQ(number_order_pick(1, 0.7), 0);
    CHECK_INT_EQ(number_order_pick(0, 0.7), 0);
    struct number_order o = pending_in(NULL);
    char ref[NUMBER_REFERENCE_MAX];
    number_order_reference(&o, ref);
    CHECK_STR_EQ(ref, "frontdesk-request-" REQUEST);
    CHECK_STR_EQ(number_step_name(NUMBER_KEEP_ORDER), "keep_order");
}

int main(void)
{
    RUN(test_a_row_resumes_at_the_step_its_status_and_facts_say);
    RUN(test_a_malformed_row_is_refused);
    RUN(test_the_happy_path_goes_search_to_activate_and_ends_active);
    RUN(test_no_number_in_the_area_code_fails_with_a_reason_naming_it);
    RUN(test_an_outage_waits_with_growing_backoff_and_says_why_to_operators);
    RUN(test_the_backoff_doubles_to_five_minutes_within_its_jitter);
    RUN(test_a_pending_order_is_polled_again_without_an_error);
    RUN(test_an_order_telnyx_failed_fails_the_request_naming_the_number);
    RUN(test_an_order_refused_outright_forgets_the_number_to_search_again);
    RUN(test_a_lost_order_answer_orders_the_same_number_again_never_another);
    RUN(test_an_order_id_that_cannot_be_recorded_is_tried_again_within_the_claim);
    RUN(test_a_claim_that_lost_its_row_stops_at_once);
    RUN(test_a_number_another_business_has_fails_the_request);
    RUN(test_routing_or_activating_failures_wait_and_resume_from_follow);
    RUN(test_a_failed_record_of_a_failure_leaves_the_request_for_later);
    RUN(test_texts_are_cut_at_a_character_boundary);
    RUN(test_the_pick_and_the_reference);
    return check_summary();
}
