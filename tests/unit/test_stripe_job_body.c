/* Unit tests for lib/billing/stripe_job_body.c: each job kind's request, a meter event's
 * time within what Stripe accepts, and the jobs that must wait for their customer. */
#include <stdlib.h>
#include <string.h>

#include "billing/stripe_config.h"
#include "billing/stripe_job_body.h"
#include "check.h"

#define BUSINESS "0b8e3c1e-6f0e-4d1a-9a53-5b1f0e8a2c11"
#define BOOKING "5b0c6f5e-2b1c-4a59-9f0e-0c1f6d1f2a3b"
#define NOW 1780000000LL

static struct stripe_config config(void)
{
    struct stripe_config c = {.api_url = "http://127.0.0.1:1", .secret_key = "sk_test_x",
                              .meter_event = "ai_booking", .grace_days = 7};
    return c;
}

static struct stripe_job job_of(enum stripe_job_kind kind)
{
    struct stripe_job j = {.id = "9d1c1e4e-0000-4000-8000-000000000001", .business_id = BUSINESS,
                           .kind = kind};
    if (kind != STRIPE_JOB_CUSTOMER)
        strcpy(j.booking_id, BOOKING);
    return j;
}

static struct stripe_job_context context(const char *customer)
{
    struct stripe_job_context c = {.has_business = true, .business_name = "Smith & Sons",
                                   .has_usage = true, .occurred_at_s = NOW - 60, .now_s = NOW};
    strcpy(c.customer_id, customer);
    return c;
}

static void test_a_customer_carries_name_owner_email_and_business(void)
{
    struct stripe_config cfg = config();
    struct stripe_job j = job_of(STRIPE_JOB_CUSTOMER);
    struct stripe_job_context ctx = context("");
    strcpy(ctx.owner_email, "owner@smith.test");
    const char *path = NULL, *why = NULL;
    bool is_waiting = true;
    char *body = stripe_job_body(&j, &ctx, &cfg, &path, &is_waiting, &why);
    CHECK_STR_EQ(path, "/v1/customers");
    CHECK(!is_waiting);
    CHECK_STR_EQ(body, "name=Smith%20%26%20Sons&email=owner%40smith.test"
                       "&metadata%5Bbusiness_id%5D=" BUSINESS);
    free(body);
    ctx.owner_email[0] = '\0';          /* no owner yet: no email at all */
    body = stripe_job_body(&j, &ctx, &cfg, &path, &is_waiting, &why);
    CHECK_STR_EQ(body, "name=Smith%20%26%20Sons&metadata%5Bbusiness_id%5D=" BUSINESS);
    free(body);
}

static void test_a_meter_event_names_the_customer_the_booking_and_its_time(void)
{
    struct stripe_config cfg = config();
    struct stripe_job j = job_of(STRIPE_JOB_METER);
    struct stripe_job_context ctx = context("cus_A1");
    const char *path = NULL, *why = NULL;
    bool is_waiting = true;
    char *body = stripe_job_body(&j, &ctx, &cfg, &path, &is_waiting, &why);
    CHECK_STR_EQ(path, "/v1/billing/meter_events");
    CHECK_STR_EQ(body, "event_name=ai_booking&payload%5Bstripe_customer_id%5D=cus_A1"
                       "&payload%5Bvalue%5D=1&identifier=" BOOKING "&timestamp=1779999940");
    free(body);
}

static void test_a_credit_gives_back_one_booking(void)
{
    struct stripe_config cfg = config();
    struct stripe_job j = job_of(STRIPE_JOB_CREDIT);
    struct stripe_job_context ctx = context("cus_A1");
    const char *path = NULL, *why = NULL;
    bool is_waiting = true;
    char *body = stripe_job_body(&j, &ctx, &cfg, &path, &is_waiting, &why);
    CHECK_STR_EQ(path, "/v1/invoiceitems");
    CHECK(strstr(body, "customer=cus_A1&amount=-5000&currency=usd&description=") == body);
    CHECK(strstr(body, "&metadata%5Bbooking_id%5D=" BOOKING "&metadata%5Bbusiness_id%5D="
                       BUSINESS) != NULL);
    free(body);
}

static void test_meters_and_credits_wait_for_their_customer(void)
{
    struct stripe_config cfg = config();
    struct stripe_job_context ctx = context("");
    for (int k = STRIPE_JOB_METER; k <= STRIPE_JOB_CREDIT; k++) {
        struct stripe_job j = job_of((enum stripe_job_kind)k);
        const char *path = NULL, *why = NULL;
        bool is_waiting = false;
        CHECK(stripe_job_body(&j, &ctx, &cfg, &path, &is_waiting, &why) == NULL);
        CHECK(is_waiting);
        CHECK_STR_EQ(why, "waiting for the business's Stripe customer");
    }
}

static void test_a_meter_without_its_usage_event_or_business_fails(void)
{
    struct stripe_config cfg = config();
    struct stripe_job j = job_of(STRIPE_JOB_METER);
    struct stripe_job_context ctx = context("cus_A1");
    ctx.has_usage = false;
    const char *path = NULL, *why = NULL;
    bool is_waiting = true;
    CHECK(stripe_job_body(&j, &ctx, &cfg, &path, &is_waiting, &why) == NULL);
    CHECK(!is_waiting);
    CHECK_STR_EQ(why, "the booking has no usage event");
    ctx.has_business = false;
    CHECK(stripe_job_body(&j, &ctx, &cfg, &path, &is_waiting, &why) == NULL);
    CHECK_STR_EQ(why, "the business no longer exists");
}

static void test_a_meter_time_is_kept_within_what_stripe_accepts(void)
{
    CHECK(stripe_meter_timestamp(NOW - 3600, NOW) == NOW - 3600);
    CHECK(stripe_meter_timestamp(NOW + 299, NOW) == NOW + 299);
    CHECK(stripe_meter_timestamp(NOW + 301, NOW) == NOW);
    long long oldest = NOW - 35LL * 24 * 3600 + 3600;
    CHECK(stripe_meter_timestamp(oldest, NOW) == oldest);
    CHECK(stripe_meter_timestamp(NOW - 40LL * 24 * 3600, NOW) == oldest);
}

int main(void)
{
    RUN(test_a_customer_carries_name_owner_email_and_business);
    RUN(test_a_meter_event_names_the_customer_the_booking_and_its_time);
    RUN(test_a_credit_gives_back_one_booking);
    RUN(test_meters_and_credits_wait_for_their_customer);
    RUN(test_a_meter_without_its_usage_event_or_business_fails);
    RUN(test_a_meter_time_is_kept_within_what_stripe_accepts);
    return check_summary();
}
