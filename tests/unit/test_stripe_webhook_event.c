/* Unit tests for lib/billing/stripe_webhook_event.c: what the api reads of a signed Stripe
 * event, and what it refuses. */
#include "check.h"
#include "billing/stripe_webhook_event.h"

#define BID "0b7e4c8a-6f0e-4a55-9d6b-2f1f6f9c1e11"
#define OTHER "7d1c2b3a-0000-4000-8000-00000000abcd"

static enum app_err parse(const char *json, struct stripe_webhook_event *ev, const char **why)
{
    return stripe_webhook_event_parse(json, strlen(json), ev, why);
}

static void test_an_invoice_event_names_its_customer_and_stream_fields(void)
{
    struct stripe_webhook_event ev;
    const char *why = NULL;
    CHECK(parse("{\"id\":\"evt_1NqX\",\"object\":\"event\",\"type\":\"invoice.paid\",\"created\":1700000000,"
                "\"data\":{\"object\":{\"id\":\"in_1\",\"object\":\"invoice\",\"customer\":\"cus_Q1\"}}}",
                &ev, &why) == APP_OK);
    CHECK(why == NULL);
    CHECK_STR_EQ(ev.id, "evt_1NqX");
    CHECK_STR_EQ(ev.eid, "stripe:evt_1NqX");
    CHECK_STR_EQ(ev.type, "invoice.paid");
    CHECK_STR_EQ(ev.stream_type, "stripe.invoice.paid");
    CHECK_INT_EQ(ev.created, 1700000000);
    CHECK_STR_EQ(ev.at, "2023-11-14T22:13:20Z");
    CHECK_STR_EQ(ev.customer, "cus_Q1");
    CHECK_STR_EQ(ev.business_id, "");
    CHECK(ev.business_source == STRIPE_BUSINESS_NONE);
}

static void test_metadata_comes_before_client_reference_and_is_made_canonical(void)
{
    struct stripe_webhook_event ev;
    const char *why = NULL;
    CHECK(parse("{\"id\":\"evt_2\",\"type\":\"checkout.session.completed\",\"created\":1,\"data\":{\"object\":"
                "{\"object\":\"checkout.session\",\"client_reference_id\":\"" OTHER "\",\"customer\":\"cus_A\","
                "\"metadata\":{\"business_id\":\"0B7E4C8A-6F0E-4A55-9D6B-2F1F6F9C1E11\"}}}}",
                &ev, &why) == APP_OK);
    CHECK_STR_EQ(ev.business_id, BID);
    CHECK(ev.business_source == STRIPE_BUSINESS_METADATA);
    CHECK_STR_EQ(ev.customer, "cus_A");
}

static void test_a_malformed_metadata_id_falls_to_the_client_reference(void)
{
    struct stripe_webhook_event ev;
    const char *why = NULL;
    CHECK(parse("{\"id\":\"evt_3\",\"type\":\"checkout.session.completed\",\"created\":1,\"data\":{\"object\":"
                "{\"client_reference_id\":\"" BID "\",\"metadata\":{\"business_id\":\"biz-42\"}}}}",
                &ev, &why) == APP_OK);
    CHECK_STR_EQ(ev.business_id, BID);
    CHECK(ev.business_source == STRIPE_BUSINESS_CLIENT_REFERENCE);
    CHECK(parse("{\"id\":\"evt_3\",\"type\":\"x\",\"created\":1,\"data\":{\"object\":"
                "{\"client_reference_id\":12,\"metadata\":{\"business_id\":\"" BID "x\"}}}}",
                &ev, &why) == APP_OK);
    CHECK_STR_EQ(ev.business_id, "");
    CHECK(ev.business_source == STRIPE_BUSINESS_NONE);
}

static void test_a_customer_object_is_its_own_customer(void)
{
    struct stripe_webhook_event ev;
    const char *why = NULL;
    CHECK(parse("{\"id\":\"evt_4\",\"type\":\"customer.deleted\",\"created\":1,\"data\":{\"object\":"
                "{\"id\":\"cus_Zz9\",\"object\":\"customer\",\"deleted\":true}}}", &ev, &why) == APP_OK);
    CHECK_STR_EQ(ev.customer, "cus_Zz9");
    CHECK(parse("{\"id\":\"evt_5\",\"type\":\"invoice.paid\",\"created\":1,\"data\":{\"object\":"
                "{\"id\":\"in_9\",\"object\":\"invoice\",\"customer\":{\"id\":\"cus_Exp\"}}}}", &ev, &why) == APP_OK);
    CHECK_STR_EQ(ev.customer, "cus_Exp");
    /* an invoice's own id is never taken for a customer, nor a customer id of another form */
    CHECK(parse("{\"id\":\"evt_6\",\"type\":\"invoice.paid\",\"created\":1,\"data\":{\"object\":"
                "{\"id\":\"cus_fake\",\"object\":\"invoice\",\"customer\":\"cus_a b\"}}}", &ev, &why) == APP_OK);
    CHECK_STR_EQ(ev.customer, "");
}

static void test_what_is_not_a_stripe_event_is_refused_with_a_reason(void)
{
    static const struct { const char *json, *why; } bad[] = {
        {"nope", "body is not a JSON object"},
        {"[1]", "body is not a JSON object"},
        {"", "body is not a JSON object"},
        {"{\"id\":\"evt_1\",\"id\":\"evt_2\",\"type\":\"a\",\"created\":1,\"data\":{\"object\":{}}}",
         "body is not a JSON object"},
        {"{\"type\":\"a\",\"created\":1,\"data\":{\"object\":{}}}", "id is not a Stripe event id (evt_...)"},
        {"{\"id\":\"in_1\",\"type\":\"a\",\"created\":1,\"data\":{\"object\":{}}}", "id is not a Stripe event id (evt_...)"},
        {"{\"id\":\"evt_\",\"type\":\"a\",\"created\":1,\"data\":{\"object\":{}}}", "id is not a Stripe event id (evt_...)"},
        {"{\"id\":\"evt_1:x\",\"type\":\"a\",\"created\":1,\"data\":{\"object\":{}}}", "id is not a Stripe event id (evt_...)"},
        {"{\"id\":\"evt_1\",\"created\":1,\"data\":{\"object\":{}}}", "type is missing or not a string"},
        {"{\"id\":\"evt_1\",\"type\":\"\",\"created\":1,\"data\":{\"object\":{}}}", "type is empty or too long"},
        {"{\"id\":\"evt_1\",\"type\":\"Invoice Paid\",\"created\":1,\"data\":{\"object\":{}}}",
         "type has characters other than [a-z0-9._]"},
        {"{\"id\":\"evt_1\",\"type\":\"a\",\"created\":\"1\",\"data\":{\"object\":{}}}", "created is missing or not Unix seconds"},
        {"{\"id\":\"evt_1\",\"type\":\"a\",\"created\":-5,\"data\":{\"object\":{}}}", "created is missing or not Unix seconds"},
        {"{\"id\":\"evt_1\",\"type\":\"a\",\"created\":1}", "data.object is missing or not an object"},
        {"{\"id\":\"evt_1\",\"type\":\"a\",\"created\":1,\"data\":{\"object\":[]}}", "data.object is missing or not an object"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct stripe_webhook_event ev;
        const char *why = NULL;
        CHECK(parse(bad[i].json, &ev, &why) == APP_EINVAL);
        CHECK_STR_EQ(why, bad[i].why);
    }
}

static void test_a_type_at_the_limit_fits_and_one_over_is_refused(void)
{
    char json[512], type[STRIPE_EVENT_TYPE_MAX + 2];
    memset(type, 'a', sizeof type - 1);
    type[sizeof type - 1] = '\0';
    struct stripe_webhook_event ev;
    const char *why = NULL;
    snprintf(json, sizeof json, "{\"id\":\"evt_1\",\"type\":\"%s\",\"created\":1,\"data\":{\"object\":{}}}", type);
    CHECK(parse(json, &ev, &why) == APP_EINVAL);
    type[STRIPE_EVENT_TYPE_MAX] = '\0';
    snprintf(json, sizeof json, "{\"id\":\"evt_1\",\"type\":\"%s\",\"created\":1,\"data\":{\"object\":{}}}", type);
    CHECK(parse(json, &ev, &why) == APP_OK);
    CHECK(strlen(ev.stream_type) == strlen("stripe.") + STRIPE_EVENT_TYPE_MAX);
}

int main(void)
{
    RUN(test_an_invoice_event_names_its_customer_and_stream_fields);
    RUN(test_metadata_comes_before_client_reference_and_is_made_canonical);
    RUN(test_a_malformed_metadata_id_falls_to_the_client_reference);
    RUN(test_a_customer_object_is_its_own_customer);
    RUN(test_what_is_not_a_stripe_event_is_refused_with_a_reason);
    RUN(test_a_type_at_the_limit_fits_and_one_over_is_refused);
    return check_summary();
}
