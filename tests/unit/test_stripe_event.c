/* Unit tests for lib/billing/stripe_event.c and billing_state.c: what each of Stripe's
 * events implies for the business (docs/billing.md, "Inbound"), and when a business
 * takes bookings (docs/billing.md, "States"). The events are shaped as Stripe sends
 * them at API version 2026-07-29.dahlia (tests/schemas/stripe/). */
#include <stdio.h>
#include <string.h>

#include "billing/billing_state.h"
#include "billing/stripe_event.h"
#include "check.h"

#define DAY_MS BILLING_DAY_MS

/* An event of type with data.object obj (JSON text), id evt_1, created 1772000000. */
static enum app_err read_event(const char *type, const char *obj, struct stripe_event_facts *f,
                               const char **why)
{
    char json[4096];
    snprintf(json, sizeof json,
             "{\"id\":\"evt_1\",\"object\":\"event\",\"api_version\":\"2026-07-29.dahlia\","
             "\"created\":1772000000,\"type\":\"%s\",\"data\":{\"object\":%s},\"livemode\":false}",
             type, obj);
    return stripe_event_read(json, strlen(json), f, why);
}

static const char *subscription(const char *status)
{
    static char obj[1024];
    snprintf(obj, sizeof obj,
             "{\"id\":\"sub_A1\",\"object\":\"subscription\",\"customer\":\"cus_C1\",\"status\":\"%s\","
             "\"items\":{\"object\":\"list\",\"data\":[{\"id\":\"si_1\",\"current_period_start\":1772000000,"
             "\"current_period_end\":1774592000,\"price\":{\"id\":\"price_m\"}}]}}",
             status);
    return obj;
}

static void test_a_subscription_status_gives_the_state_the_ids_and_the_period(void)
{
    static const struct {
        const char *status;
        bool has_state;
        enum billing_state state;
    } cases[] = {
        {"active", true, BILLING_ACTIVE},     {"trialing", true, BILLING_ACTIVE},
        {"past_due", true, BILLING_PAST_DUE}, {"unpaid", true, BILLING_UNPAID},
        {"canceled", true, BILLING_CANCELED}, {"incomplete_expired", true, BILLING_CANCELED},
        {"incomplete", false, BILLING_NONE},  {"paused", false, BILLING_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct stripe_event_facts f;
        const char *why = NULL;
        CHECK(read_event("customer.subscription.updated", subscription(cases[i].status), &f, &why) == APP_OK);
        CHECK(f.has_state == cases[i].has_state);
        if (cases[i].has_state)
            CHECK_STR_EQ(billing_state_name(f.state), billing_state_name(cases[i].state));
        CHECK_STR_EQ(f.id, "evt_1");
        CHECK_STR_EQ(f.type, "customer.subscription.updated");
        CHECK(f.created_s == 1772000000);
        CHECK_STR_EQ(f.customer_id, "cus_C1");
        CHECK_STR_EQ(f.subscription_id, "sub_A1");
        CHECK(f.period_start_s == 1772000000);
        CHECK(f.period_end_s == 1774592000);
        CHECK(f.object_json != NULL && strstr(f.object_json, "\"status\":\"") != NULL);
        stripe_event_facts_cleanup(&f);
    }
}

static void test_a_deleted_subscription_is_canceled(void)
{
    struct stripe_event_facts f;
    const char *why = NULL;
    CHECK(read_event("customer.subscription.deleted", subscription("canceled"), &f, &why) == APP_OK);
    CHECK(f.has_state && f.state == BILLING_CANCELED);
    stripe_event_facts_cleanup(&f);
}

static void test_invoices_say_paid_or_past_due_with_the_subscription_of_their_parent(void)
{
    static const char inv[] =
        "{\"id\":\"in_1\",\"object\":\"invoice\",\"customer\":\"cus_C1\",\"status\":\"open\","
        "\"parent\":{\"type\":\"subscription_details\",\"subscription_details\":{\"subscription\":\"sub_A1\"}},"
        "\"period_start\":1769000000,\"period_end\":1772000000}";
    static const struct {
        const char *type;
        bool has_state;
        enum billing_state state;
    } cases[] = {
        {"invoice.paid", true, BILLING_ACTIVE},
        {"invoice.payment_failed", true, BILLING_PAST_DUE},
        {"invoice.payment_action_required", true, BILLING_PAST_DUE},
        {"invoice.finalized", false, BILLING_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct stripe_event_facts f;
        const char *why = NULL;
        CHECK(read_event(cases[i].type, inv, &f, &why) == APP_OK);
        CHECK(f.has_state == cases[i].has_state);
        CHECK(f.state == cases[i].state);
        CHECK_STR_EQ(f.customer_id, "cus_C1");
        CHECK_STR_EQ(f.subscription_id, "sub_A1");
        CHECK(f.period_start_s == 0 && f.period_end_s == 0);   /* an invoice's period is the last one */
        stripe_event_facts_cleanup(&f);
    }
}

static void test_a_completed_checkout_binds_customer_and_subscription_without_a_state(void)
{
    struct stripe_event_facts f;
    const char *why = NULL;
    CHECK(read_event("checkout.session.completed",
                     "{\"id\":\"cs_test_1\",\"object\":\"checkout.session\",\"mode\":\"subscription\","
                     "\"client_reference_id\":\"4b7a0c1e-0000-4000-8000-000000000001\","
                     "\"customer\":\"cus_C9\",\"subscription\":{\"id\":\"sub_S9\",\"object\":\"subscription\"},"
                     "\"status\":\"complete\",\"payment_status\":\"paid\"}",
                     &f, &why) == APP_OK);
    CHECK(!f.has_state);
    CHECK_STR_EQ(f.customer_id, "cus_C9");
    CHECK_STR_EQ(f.subscription_id, "sub_S9");        /* expanded: its id */
    stripe_event_facts_cleanup(&f);
}

static void test_a_deleted_customer_is_canceled_and_names_itself(void)
{
    struct stripe_event_facts f;
    const char *why = NULL;
    CHECK(read_event("customer.deleted", "{\"id\":\"cus_D1\",\"object\":\"customer\",\"deleted\":true}", &f,
                     &why) == APP_OK);
    CHECK(f.has_state && f.state == BILLING_CANCELED);
    CHECK_STR_EQ(f.customer_id, "cus_D1");
    CHECK_STR_EQ(f.subscription_id, "");
    stripe_event_facts_cleanup(&f);
}

static void test_an_unknown_type_is_read_with_no_state(void)
{
    struct stripe_event_facts f;
    const char *why = NULL;
    CHECK(read_event("billing.meter.updated", "{\"id\":\"mtr_1\",\"object\":\"billing.meter\"}", &f, &why) ==
          APP_OK);
    CHECK(!f.has_state);
    CHECK_STR_EQ(f.customer_id, "");
    CHECK_STR_EQ(f.type, "billing.meter.updated");
    stripe_event_facts_cleanup(&f);
}

static void test_malformed_events_are_refused_with_a_reason(void)
{
    static const struct {
        const char *json, *why;
    } cases[] = {
        {"not json", "event is not a JSON object"},
        {"[1,2]", "event is not a JSON object"},
        {"{\"type\":\"invoice.paid\",\"created\":1,\"data\":{\"object\":{}}}", "event has no evt_ id"},
        {"{\"id\":\"evt_1; DROP\",\"type\":\"invoice.paid\",\"created\":1,\"data\":{\"object\":{}}}",
         "event has no evt_ id"},
        {"{\"id\":\"evt_1\",\"created\":1,\"data\":{\"object\":{}}}", "event has no type"},
        {"{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"created\":\"yesterday\",\"data\":{\"object\":{}}}",
         "event has no created time"},
        {"{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"created\":1}", "event has no data.object"},
        {"{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"created\":1,\"data\":{\"object\":{\"customer\":\"acct_x\"}}}",
         "event names a customer that is not a Stripe customer id"},
        {"{\"id\":\"evt_1\",\"type\":\"checkout.session.completed\",\"created\":1,"
         "\"data\":{\"object\":{\"subscription\":\"sub_'x\"}}}",
         "event names a subscription that is not a Stripe subscription id"},
        {"{\"id\":\"evt_1\",\"id\":\"evt_2\",\"type\":\"invoice.paid\",\"created\":1,\"data\":{\"object\":{}}}",
         "event is not a JSON object"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct stripe_event_facts f;
        const char *why = NULL;
        CHECK(stripe_event_read(cases[i].json, strlen(cases[i].json), &f, &why) == APP_EINVAL);
        CHECK_STR_EQ(why, cases[i].why);
        CHECK(f.object_json == NULL);
    }
}

static void test_the_state_names_are_the_columns_values(void)
{
    static const char *const names[] = {"none", "active", "past_due", "unpaid", "canceled"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        enum billing_state s = BILLING_NONE;
        CHECK(billing_state_parse(names[i], &s));
        CHECK_STR_EQ(billing_state_name(s), names[i]);
    }
    enum billing_state s = BILLING_ACTIVE;
    CHECK(!billing_state_parse("paid", &s));
    CHECK(!billing_state_parse(NULL, &s));
    CHECK(s == BILLING_ACTIVE);
}

static void test_bookings_stop_when_unpaid_canceled_or_past_due_past_the_grace(void)
{
    long long since = 1772000000000LL;
    CHECK(billing_state_takes_bookings(BILLING_NONE, 0, since, 7));
    CHECK(billing_state_takes_bookings(BILLING_ACTIVE, 0, since, 7));
    CHECK(billing_state_takes_bookings(BILLING_PAST_DUE, since, since + 6 * DAY_MS, 7));
    CHECK(billing_state_takes_bookings(BILLING_PAST_DUE, since, since + 7 * DAY_MS - 1, 7));
    CHECK(!billing_state_takes_bookings(BILLING_PAST_DUE, since, since + 7 * DAY_MS, 7));
    CHECK(!billing_state_takes_bookings(BILLING_PAST_DUE, since, since, 0));   /* no grace at all */
    CHECK(billing_state_takes_bookings(BILLING_PAST_DUE, 0, since + 100 * DAY_MS, 7));
    CHECK(!billing_state_takes_bookings(BILLING_UNPAID, since, since, 7));
    CHECK(!billing_state_takes_bookings(BILLING_CANCELED, 0, since, 7));
    CHECK(billing_grace_end_ms(since, 7) == since + 7 * DAY_MS);
}

int main(void)
{
    RUN(test_a_subscription_status_gives_the_state_the_ids_and_the_period);
    RUN(test_a_deleted_subscription_is_canceled);
    RUN(test_invoices_say_paid_or_past_due_with_the_subscription_of_their_parent);
    RUN(test_a_completed_checkout_binds_customer_and_subscription_without_a_state);
    RUN(test_a_deleted_customer_is_canceled_and_names_itself);
    RUN(test_an_unknown_type_is_read_with_no_state);
    RUN(test_malformed_events_are_refused_with_a_reason);
    RUN(test_the_state_names_are_the_columns_values);
    RUN(test_bookings_stop_when_unpaid_canceled_or_past_due_past_the_grace);
    return check_summary();
}
