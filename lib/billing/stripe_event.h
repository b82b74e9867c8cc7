/* lib/billing/stripe_event.h: what one of Stripe's webhook events says of the business
 * it was routed to (docs/billing.md, "Inbound"): the billing state it implies, the
 * customer and subscription it names and the subscription's current period. The worker
 * records these in a stripe_events row, whose trigger moves the business
 * (schema/0010_billing.sql); nothing here decides which event wins.
 *
 *   checkout.session.completed                  binds customer and subscription
 *   customer.subscription.created|updated|deleted  state from `status`: active and
 *       trialing -> active, past_due -> past_due, unpaid -> unpaid, canceled and
 *       incomplete_expired -> canceled (incomplete, paused: none); the period from
 *       items.data[].current_period_start/_end (they live on the items in this version)
 *   invoice.paid                                 active
 *   invoice.payment_failed, invoice.payment_action_required   past_due
 *   customer.deleted                             canceled
 *   any other type                               recorded, no state
 *
 * The body comes from Stripe through a checked signature, but is still outside input:
 * every field is checked against the shape schema/0010_billing.sql stores. */
#ifndef FD_STRIPE_EVENT_H
#define FD_STRIPE_EVENT_H
#include <stdbool.h>
#include <stddef.h>

#include "billing/billing_state.h"
#include "core/err.h"

#define STRIPE_ID_MAX 256           /* evt_, cus_, sub_: a prefix and up to 250 characters */
#define STRIPE_TYPE_MAX 101

struct stripe_event_facts {
    char id[STRIPE_ID_MAX];         /* evt_... */
    char type[STRIPE_TYPE_MAX];     /* "invoice.paid", without our "stripe." prefix */
    long long created_s;            /* Stripe's `created`, Unix seconds */
    bool has_state;                 /* the event implies a billing state ... */
    enum billing_state state;       /* ... this one */
    char customer_id[STRIPE_ID_MAX];        /* cus_..., "" when it names none */
    char subscription_id[STRIPE_ID_MAX];    /* sub_..., "" when it names none */
    long long period_start_s, period_end_s; /* the subscription's period, 0 when none */
    char *object_json;              /* owned: data.object as compact JSON */
};

/* Reads the event's raw JSON (len bytes). On APP_OK out is filled (release it with
 * stripe_event_facts_cleanup); on APP_EINVAL *why (static) says what was wrong: not
 * JSON, no evt_ id, no type, no positive `created`, no data.object, or an id of a
 * customer or subscription that is not one. */
enum app_err stripe_event_read(const char *json, size_t len, struct stripe_event_facts *out,
                               const char **why);
void stripe_event_facts_cleanup(struct stripe_event_facts *f);

/* The state a subscription's `status` implies; false for one that implies none. */
bool stripe_subscription_status_state(const char *status, enum billing_state *out);

#endif
