/* workers/billing_jobs.h: the worker's billing job. With FRONTDESK_STRIPE_SECRET_KEY set,
 * every worker claims due stripe_jobs rows (a customer for each new business, a meter event
 * for each booking, a credit for a booking the business cancelled within 24 hours) and
 * sends each to Stripe with its deterministic Idempotency-Key (lib/billing/); once a day
 * one worker also reconciles every business's bookings with what was reported
 * (billing_nightly.c). Any number of workers run it side by side; billing_jobs.c says why
 * that is safe. */
#ifndef FD_BILLING_JOBS_H
#define FD_BILLING_JOBS_H

struct billing_jobs;
struct evbuffer;
struct http_client;
struct worker;

/* NULL when billing is off (w->stripe, loaded at start, has no secret key). Borrows w
 * and http, whose Redis, PostgreSQL and HTTP clients must outlive every job in flight:
 * free this after them. */
struct billing_jobs *billing_jobs_create(struct worker *w, struct http_client *http);
/* Frees what is left. Call after the HTTP client, Redis and PostgreSQL connections are
 * freed: their callbacks end the jobs in flight first. NULL is fine. */
void billing_jobs_free(struct billing_jobs *b);

/* Claims due jobs while fewer than BILLING_JOBS_MAX are in hand, and starts the nightly
 * reconciliation when it is due. NULL is fine. */
void billing_jobs_tick(struct billing_jobs *b, long long now_ms);
/* The worker is stopping: no more claims or requests (a job not yet sent is left to its
 * lease, then to another worker). NULL is fine. */
void billing_jobs_stop(struct billing_jobs *b);

/* Prometheus lines: frontdesk_stripe_jobs_claimed_total,
 * frontdesk_stripe_requests_sent_total{kind}, frontdesk_stripe_jobs_ended_total{end},
 * frontdesk_stripe_jobs_in_hand, frontdesk_stripe_jobs_pending (every tenant's, as last
 * counted) and frontdesk_billing_reconcile_differences_total. NULL is fine (nothing). */
void billing_jobs_write_metrics(const struct billing_jobs *b, struct evbuffer *out);

/* billing_nightly.c: once per UTC day per deployment (a Redis SET NX key per date), the
 * reconciliation with repair, its differences logged and counted. */
struct billing_nightly;
struct billing_nightly *billing_nightly_create(struct worker *w);
void billing_nightly_free(struct billing_nightly *n);
void billing_nightly_tick(struct billing_nightly *n, long long now_ms);
unsigned long long billing_nightly_differences(const struct billing_nightly *n);

#endif
