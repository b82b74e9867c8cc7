/* lib/billing/billing_state.h: a business's billing state (businesses.billing_state,
 * docs/billing.md "States") and what it lets the receptionist do. The state is moved by
 * Stripe's events (schema/0010_billing.sql); whether new bookings are taken also depends
 * on how long a past_due business has been past due, so it is decided here, from the
 * state, when it began and the time now, in one place for the worker and its tests. */
#ifndef FD_BILLING_STATE_H
#define FD_BILLING_STATE_H
#include <stdbool.h>

enum billing_state {
    BILLING_NONE,           /* signed up, no subscription yet: everything */
    BILLING_ACTIVE,
    BILLING_PAST_DUE,       /* a payment failed: everything for the grace days */
    BILLING_UNPAID,
    BILLING_CANCELED,
};

#define BILLING_DAY_MS 86400000LL

/* The column's text of s ("none", "active", "past_due", "unpaid", "canceled"); static. */
const char *billing_state_name(enum billing_state s);
/* The state named text (the column's values); false, *out untouched, for anything else. */
bool billing_state_parse(const char *text, enum billing_state *out);

/* When a past_due business stops taking bookings: past_due_since_ms plus grace_days. */
long long billing_grace_end_ms(long long past_due_since_ms, int grace_days);

/* Whether the receptionist takes new bookings for a business in state s at now_ms:
 * not when unpaid or canceled, nor when past_due since past_due_since_ms (0: unknown,
 * read as now, so an unknown start never ends the grace) for more than grace_days. */
bool billing_state_takes_bookings(enum billing_state s, long long past_due_since_ms,
                                  long long now_ms, int grace_days);

#endif
