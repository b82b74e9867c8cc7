/* lib/billing/stripe_request.h: one POST to Stripe's API on the event loop's http_client,
 * answered as a stripe_answer. One attempt per call: a job that must try again is
 * rescheduled in its row (stripe_jobs.next_attempt_at), which survives a crash, rather
 * than in this process.
 *
 * Every request carries the secret key as a bearer token, Stripe-Version
 * (STRIPE_API_VERSION), a form Content-Type and the caller's Idempotency-Key. */
#ifndef FD_STRIPE_REQUEST_H
#define FD_STRIPE_REQUEST_H
#include "billing/stripe_answer.h"

struct http_client;
struct stripe_config;

/* a is borrowed for the call. request_id is Stripe's Request-Id header ("" if none), for
 * logs. is_shut_down: the http_client was freed before an answer; the job should simply
 * be dropped (its lease lets another worker take it). */
struct stripe_result {
    const struct stripe_answer *a;
    const char *request_id;
    bool is_shut_down;
};
typedef void (*stripe_done_fn)(const struct stripe_result *r, void *arg);

/* POSTs body (form-encoded, copied) to cfg->api_url + path with idempotency_key; cb runs
 * exactly once, from the loop. Borrows http and cfg for the call only (copied). */
void stripe_request_post(struct http_client *http, const struct stripe_config *cfg,
                         const char *path, const char *body, const char *idempotency_key,
                         int timeout_ms, stripe_done_fn cb, void *arg);

#endif
