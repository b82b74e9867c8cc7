/* lib/billing/stripe_event.c: see stripe_event.h. One pass over the parsed event: the
 * envelope, then what its type reads of data.object. */
#include "billing/stripe_event.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether text is prefix followed by 1 to 250 characters of [A-Za-z0-9] (and '_' when
 * has_underscore): the shapes schema/0010_billing.sql checks. */
static bool is_stripe_id(const char *text, const char *prefix, bool has_underscore)
{
    size_t p = strlen(prefix), n = strlen(text);
    if (n <= p || n - p > 250 || strncmp(text, prefix, p) != 0)
        return false;
    for (size_t i = p; i < n; i++) {
        char ch = text[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                  (has_underscore && ch == '_');
        if (!ok)
            return false;
    }
    return true;
}

/* A reference Stripe sends either as an id or, expanded, as the object with its id. */
static const char *ref_id(const json_t *v)
{
    if (json_is_object(v))
        v = json_object_get(v, "id");
    return json_string_value(v);
}

bool stripe_subscription_status_state(const char *status, enum billing_state *out)
{
    static const struct {
        const char *status;
        enum billing_state state;
    } map[] = {
        {"active", BILLING_ACTIVE},  {"trialing", BILLING_ACTIVE}, {"past_due", BILLING_PAST_DUE},
        {"unpaid", BILLING_UNPAID},  {"canceled", BILLING_CANCELED},
        {"incomplete_expired", BILLING_CANCELED},
    };
    for (size_t i = 0; status != NULL && i < sizeof map / sizeof map[0]; i++) {
        if (strcmp(status, map[i].status) == 0) {
            *out = map[i].state;
            return true;
        }
    }
    return false;
}

static bool type_is(const struct stripe_event_facts *f, const char *type)
{
    return strcmp(f->type, type) == 0;
}

static void set_state(struct stripe_event_facts *f, enum billing_state s)
{
    f->has_state = true;
    f->state = s;
}

/* The subscription's current period: the first item that carries both ends. */
static void read_period(struct stripe_event_facts *f, const json_t *sub)
{
    const json_t *items = json_object_get(json_object_get(sub, "items"), "data");
    size_t i;
    const json_t *item;
    json_array_foreach(items, i, item) {
        const json_t *start = json_object_get(item, "current_period_start");
        const json_t *end = json_object_get(item, "current_period_end");
        if (json_is_integer(start) && json_is_integer(end) && json_integer_value(start) > 0 &&
            json_integer_value(end) >= json_integer_value(start)) {
            f->period_start_s = json_integer_value(start);
            f->period_end_s = json_integer_value(end);
            return;
        }
    }
}

/* What the type reads of the object: the state, and the ids it names (unchecked). */
static void read_object(struct stripe_event_facts *f, const json_t *obj, const char **customer,
                        const char **subscription)
{
    *customer = ref_id(json_object_get(obj, "customer"));
    *subscription = NULL;
    if (strncmp(f->type, "customer.subscription.", 22) == 0) {
        enum billing_state s;
        if (stripe_subscription_status_state(json_string_value(json_object_get(obj, "status")), &s))
            set_state(f, s);
        *subscription = json_string_value(json_object_get(obj, "id"));
        read_period(f, obj);
    } else if (type_is(f, "checkout.session.completed")) {
        *subscription = ref_id(json_object_get(obj, "subscription"));
    } else if (strncmp(f->type, "invoice.", 8) == 0) {
        *subscription = ref_id(json_object_get(
            json_object_get(json_object_get(obj, "parent"), "subscription_details"), "subscription"));
        if (type_is(f, "invoice.paid"))
            set_state(f, BILLING_ACTIVE);
        else if (type_is(f, "invoice.payment_failed") || type_is(f, "invoice.payment_action_required"))
            set_state(f, BILLING_PAST_DUE);
    } else if (strncmp(f->type, "customer.", 9) == 0) {
        *customer = json_string_value(json_object_get(obj, "id"));   /* the object is the customer */
        if (type_is(f, "customer.deleted"))
            set_state(f, BILLING_CANCELED);
    }
}

static enum app_err read_envelope(struct stripe_event_facts *f, const json_t *root, const char **why)
{
    const char *id = json_string_value(json_object_get(root, "id"));
    const char *type = json_string_value(json_object_get(root, "type"));
    const json_t *created = json_object_get(root, "created");
    if (id == NULL || !is_stripe_id(id, "evt_", true)) {
        *why = "event has no evt_ id";
        return APP_EINVAL;
    }
    if (type == NULL || type[0] == '\0' || strlen(type) >= sizeof f->type) {
        *why = "event has no type";
        return APP_EINVAL;
    }
    if (!json_is_integer(created) || json_integer_value(created) <= 0) {
        *why = "event has no created time";
        return APP_EINVAL;
    }
    snprintf(f->id, sizeof f->id, "%s", id);
    snprintf(f->type, sizeof f->type, "%s", type);
    f->created_s = json_integer_value(created);
    return APP_OK;
}

enum app_err stripe_event_read(const char *json, size_t len, struct stripe_event_facts *out,
                               const char **why)
{
    memset(out, 0, sizeof *out);
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);   /* new reference */
    enum app_err err = APP_EINVAL;
    if (!json_is_object(root)) {
        *why = "event is not a JSON object";
        goto out_decref;
    }
    if (read_envelope(out, root, why) != APP_OK)
        goto out_decref;
    const json_t *obj = json_object_get(json_object_get(root, "data"), "object");   /* borrowed */
    if (!json_is_object(obj)) {
        *why = "event has no data.object";
        goto out_decref;
    }
    const char *customer, *subscription;
    read_object(out, obj, &customer, &subscription);
    if (customer != NULL && !is_stripe_id(customer, "cus_", false)) {
        *why = "event names a customer that is not a Stripe customer id";
        goto out_decref;
    }
    if (subscription != NULL && !is_stripe_id(subscription, "sub_", false)) {
        *why = "event names a subscription that is not a Stripe subscription id";
        goto out_decref;
    }
    snprintf(out->customer_id, sizeof out->customer_id, "%s", customer ? customer : "");
    snprintf(out->subscription_id, sizeof out->subscription_id, "%s", subscription ? subscription : "");
    out->object_json = json_dumps(obj, JSON_COMPACT);
    if (out->object_json == NULL)
        abort();                        /* out of memory, as xalloc does */
    err = APP_OK;
out_decref:
    json_decref(root);
    return err;
}

void stripe_event_facts_cleanup(struct stripe_event_facts *f)
{
    free(f->object_json);
    f->object_json = NULL;
}
