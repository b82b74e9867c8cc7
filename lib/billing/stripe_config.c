/* lib/billing/stripe_config.c: see stripe_config.h. */
#include "billing/stripe_config.h"

#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/secrets.h"

/* Printable ASCII without spaces: what Stripe's keys, ids and event names are made of. */
static bool copy_token(const char *text, char *out, size_t out_len)
{
    size_t len = strlen(text);
    if (len >= out_len)
        return false;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)text[i] <= ' ' || (unsigned char)text[i] >= 0x7F)
            return false;
    memcpy(out, text, len + 1);
    return true;
}

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* An http(s) address with a host, its trailing '/' dropped (paths are appended to it). */
static bool copy_url(const char *text, char *out, size_t out_len)
{
    size_t scheme = has_prefix(text, "https://") ? 8 : has_prefix(text, "http://") ? 7 : 0;
    if (scheme == 0 || !copy_token(text, out, out_len))
        return false;
    size_t len = strlen(out);
    while (len > scheme && out[len - 1] == '/')
        out[--len] = '\0';
    return len > scheme;
}

enum app_err stripe_config_load(struct stripe_config *out, char *why, size_t why_len)
{
    memset(out, 0, sizeof *out);
    char shown[128];
    const char *v = config_env_or("FRONTDESK_STRIPE_API_URL", STRIPE_DEFAULT_API_URL);
    if (!copy_url(v, out->api_url, sizeof out->api_url)) {
        secrets_describe_value("FRONTDESK_STRIPE_API_URL", v, shown, sizeof shown);
        return config_refuse(why, why_len, "FRONTDESK_STRIPE_API_URL: expected an http:// or https:// "
                      "address (e.g. https://api.stripe.com), got %s", shown);
    }
    v = config_env_or("FRONTDESK_STRIPE_SECRET_KEY", "");
    if (!copy_token(v, out->secret_key, sizeof out->secret_key) ||
        (v[0] && !has_prefix(v, "sk_") && !has_prefix(v, "rk_")))
        return config_refuse(why, why_len, "FRONTDESK_STRIPE_SECRET_KEY: expected a Stripe secret key "
                      "(sk_... or rk_..., at most %d characters, no spaces)", STRIPE_KEY_MAX - 1);
    v = config_env_or("FRONTDESK_STRIPE_WEBHOOK_SECRET", "");
    if (!copy_token(v, out->webhook_secret, sizeof out->webhook_secret))
        return config_refuse(why, why_len, "FRONTDESK_STRIPE_WEBHOOK_SECRET: expected the endpoint's "
                      "signing secret (whsec_..., at most %d characters, no spaces)",
                      STRIPE_KEY_MAX - 1);
    v = config_env_or("FRONTDESK_STRIPE_PRICE_MONTHLY", "");
    if (!copy_token(v, out->price_monthly, sizeof out->price_monthly))
        return config_refuse(why, why_len, "FRONTDESK_STRIPE_PRICE_MONTHLY: expected a price id "
                      "(price_...), got '%.60s'", v);
    v = config_env_or("FRONTDESK_STRIPE_PRICE_BOOKING", "");
    if (!copy_token(v, out->price_booking, sizeof out->price_booking))
        return config_refuse(why, why_len, "FRONTDESK_STRIPE_PRICE_BOOKING: expected a price id "
                      "(price_...), got '%.60s'", v);
    v = config_env_or("FRONTDESK_STRIPE_METER_EVENT", "ai_booking");
    if (!v[0] || !copy_token(v, out->meter_event, sizeof out->meter_event))
        return config_refuse(why, why_len, "FRONTDESK_STRIPE_METER_EVENT: expected the meter's event "
                      "name (1 to 100 characters, no spaces), got '%.60s'", v);
    v = config_env_or("FRONTDESK_BILLING_GRACE_DAYS", "7");
    if (!config_parse_int(v, 0, 90, &out->grace_days))
        return config_refuse(why, why_len, "FRONTDESK_BILLING_GRACE_DAYS: expected whole days from 0 "
                      "to 90, got '%.20s'", v);
    secrets_register(out->secret_key);
    secrets_register(out->webhook_secret);
    return APP_OK;
}
