/* lib/billing/billing_state.c: see billing_state.h. */
#include "billing/billing_state.h"

#include <string.h>

static const char *const names[] = {
    [BILLING_NONE] = "none", [BILLING_ACTIVE] = "active", [BILLING_PAST_DUE] = "past_due",
    [BILLING_UNPAID] = "unpaid", [BILLING_CANCELED] = "canceled",
};

const char *billing_state_name(enum billing_state s)
{
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "none";
}

bool billing_state_parse(const char *text, enum billing_state *out)
{
    for (unsigned i = 0; text != NULL && i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(text, names[i]) == 0) {
            *out = (enum billing_state)i;
            return true;
        }
    }
    return false;
}

long long billing_grace_end_ms(long long past_due_since_ms, int grace_days)
{
    return past_due_since_ms + (long long)grace_days * BILLING_DAY_MS;
}

bool billing_state_takes_bookings(enum billing_state s, long long past_due_since_ms,
                                  long long now_ms, int grace_days)
{
    switch (s) {
    case BILLING_NONE:
    case BILLING_ACTIVE:
        return true;
    case BILLING_PAST_DUE:
        return past_due_since_ms <= 0 || now_ms < billing_grace_end_ms(past_due_since_ms, grace_days);
    case BILLING_UNPAID:
    case BILLING_CANCELED:
        return false;
    }
    return false;
}
