/* lib/owner/billing_query.h: what the owner API shows of the business's billing
 * (GET /api/v1/billing, docs/billing.md "Owner API") and what its checkout and portal
 * routes need to know first. Every query runs in the caller's transaction under the
 * business's RLS scope (app.business_id), so it can only ever read that business. */
#ifndef FD_BILLING_QUERY_H
#define FD_BILLING_QUERY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "core/err.h"

/* The plan as the owner is told it. Stripe's two prices (FRONTDESK_STRIPE_PRICE_MONTHLY
 * and _BOOKING) are what is charged; these figures must match them. */
#define BILLING_MONTHLY_CENTS 20000
#define BILLING_PER_BOOKING_CENTS 5000
#define BILLING_CURRENCY "usd"

#define BILLING_STRIPE_ID_MAX 256

struct billing_view_params {
    int64_t now_ms;             /* the business clock: which calendar month is current */
    int grace_days;             /* FRONTDESK_BILLING_GRACE_DAYS */
    bool is_billing_on;         /* a Stripe key is configured */
};

/* The billing document of GET /api/v1/billing for the transaction's business: on
 * APP_OK *out is a new object; APP_ENOTFOUND when no business is in scope. */
enum app_err billing_view_json(PGconn *conn, const struct billing_view_params *p, json_t **out,
                               char *why, size_t why_len);

/* The sentence the owner sees for a state ("past_due", "unpaid", "canceled"; else
 * NULL), in out. grace_ends_on: the last day of the grace as the owner reads it
 * ("December 13, 2026"); is_grace_over: past_due past that day. */
const char *billing_banner(const char *state, bool is_grace_over, const char *grace_ends_on,
                           char *out, size_t out_len);

/* The business's Stripe side, as checkout and the portal need it. */
struct billing_account {
    char customer_id[BILLING_STRIPE_ID_MAX];    /* "" until the worker made the customer */
    char state[16];                             /* none, active, past_due, unpaid, canceled */
    bool has_subscription;                      /* a subscription id is recorded */
};

/* Reads the transaction's business; APP_ENOTFOUND when none is in scope. */
enum app_err billing_account_get(PGconn *conn, struct billing_account *out, char *why,
                                 size_t why_len);

/* True for the states of a business paying a subscription (active, past_due, unpaid). */
bool billing_state_is_subscribed(const char *state);
/* True when the business has a subscription a new Checkout would double: a subscribed
 * state, or a subscription bound while the state is still none. */
bool billing_account_has_live_subscription(const struct billing_account *a);

#endif
