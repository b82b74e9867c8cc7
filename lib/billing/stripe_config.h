/* lib/billing/stripe_config.h: billing's settings (docs/billing.md, "Configuration"), read
 * from the environment by every binary that talks to Stripe or hears from it. With no
 * secret key billing is off and nothing else changes; with no webhook secret the api
 * refuses Stripe's webhooks with 503. */
#ifndef FD_STRIPE_CONFIG_H
#define FD_STRIPE_CONFIG_H
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define STRIPE_API_VERSION "2026-07-29.dahlia"
#define STRIPE_DEFAULT_API_URL "https://api.stripe.com"
#define STRIPE_KEY_MAX 256

struct stripe_config {
    char api_url[512];                      /* FRONTDESK_STRIPE_API_URL, no trailing '/' */
    char secret_key[STRIPE_KEY_MAX];        /* FRONTDESK_STRIPE_SECRET_KEY; "": billing off */
    char webhook_secret[STRIPE_KEY_MAX];    /* FRONTDESK_STRIPE_WEBHOOK_SECRET; "": refused */
    char price_monthly[STRIPE_KEY_MAX];     /* FRONTDESK_STRIPE_PRICE_MONTHLY, the $200 price */
    char price_booking[STRIPE_KEY_MAX];     /* FRONTDESK_STRIPE_PRICE_BOOKING, the metered one */
    char meter_event[101];                  /* FRONTDESK_STRIPE_METER_EVENT, default ai_booking */
    int grace_days;                         /* FRONTDESK_BILLING_GRACE_DAYS, default 7, 0..90 */
};

/* Fills *out from the environment and registers the secrets (lib/core/secrets.h). On
 * APP_EINVAL why says which variable is wrong without echoing a secret. */
enum app_err stripe_config_load(struct stripe_config *out, char *why, size_t why_len);

static inline bool stripe_billing_is_on(const struct stripe_config *c)
{
    return c->secret_key[0] != '\0';
}

#endif
