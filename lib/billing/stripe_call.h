/* lib/billing/stripe_call.h: one POST to Stripe's API as a blocking libcurl request, for
 * work that may wait on a thread of its own (frontdesk-web's Stripe threads open the
 * Checkout and billing-portal sessions an owner asks for; a few a day per business).
 * Every request carries the Bearer key, Stripe-Version and the caller's Idempotency-Key;
 * an attempt is bounded by STRIPE_CALL_CONNECT_MS and STRIPE_CALL_TOTAL_MS, and an
 * answer Stripe says may be retried (none, 409, 429, 5xx) is asked once more with the
 * same key, so Stripe does the work at most once. Never call it on an event loop. */
#ifndef FD_STRIPE_CALL_H
#define FD_STRIPE_CALL_H
#include <stdbool.h>

#include <jansson.h>

#include "billing/stripe_config.h"

/* Both attempts and the pause fit in frontdesk-web's SIGTERM drain (9 s), which lets a
 * call in flight finish; Stripe opens a session well within a second. */
#define STRIPE_CALL_CONNECT_MS 2000
#define STRIPE_CALL_TOTAL_MS 4000
#define STRIPE_CALL_RETRY_PAUSE_MS 500
#define STRIPE_CALL_ANSWER_MAX (256 * 1024)     /* bytes of an answer we keep reading */

struct stripe_reply {
    int status;                 /* Stripe's HTTP status; 0: no answer (transport, timeout) */
    json_t *body;               /* the answer's JSON object (owned); NULL if none or not JSON */
    int attempts;               /* 1, or 2 after a retry */
    char request_id[128];       /* Stripe's Request-Id header, for the log; "" when none */
    char transport_error[256];  /* libcurl's reason when status is 0 */
};

/* Sends POST cfg->api_url + path with the form body (application/x-www-form-urlencoded,
 * as lib/billing/stripe_form.h builds it) and idempotency_key, and fills *out (always;
 * release it with stripe_reply_cleanup). Blocks up to about twice STRIPE_CALL_TOTAL_MS. */
void stripe_call_post(const struct stripe_config *cfg, const char *path, const char *form,
                      const char *idempotency_key, struct stripe_reply *out);

/* Whether an answer may be asked again with the same key (STRIPE.md §1): no answer,
 * 409, 429 or 5xx, unless Stripe-Should-Retry says "false"; any answer when it says
 * "true". should_retry_header: the header's value, NULL when absent. */
bool stripe_call_is_retryable(int status, const char *should_retry_header);

/* True for a 2xx answer whose body is a JSON object. */
bool stripe_reply_is_ok(const struct stripe_reply *r);
/* Stripe's error.message (borrowed from r), or NULL. For logs: never sent to a client. */
const char *stripe_reply_error_message(const struct stripe_reply *r);
/* A string field of the answer's object (borrowed from r), or NULL. */
const char *stripe_reply_string(const struct stripe_reply *r, const char *field);
void stripe_reply_cleanup(struct stripe_reply *r);

#endif
