/* lib/billing/stripe_job_body.h: the request a Stripe job sends (docs/billing.md,
 * "Outbound"), built from the job and what was read for it. Pure, unit-tested; every
 * field is one the OpenAPI extract in tests/schemas/stripe/ allows for that path.
 *
 *   customer  POST /v1/customers              name, email (when the business has an
 *                                             owner), metadata[business_id]
 *   meter     POST /v1/billing/meter_events   event_name, payload[stripe_customer_id],
 *                                             payload[value]=1, identifier=<booking>,
 *                                             timestamp (stripe_meter_timestamp)
 *   credit    POST /v1/invoiceitems           customer, amount=-5000, currency=usd,
 *                                             description, metadata[booking_id],
 *                                             metadata[business_id] */
#ifndef FD_STRIPE_JOB_BODY_H
#define FD_STRIPE_JOB_BODY_H
#include "billing/stripe_jobs.h"

struct stripe_config;

#define STRIPE_METER_MAX_AGE_S (35LL * 24 * 3600)   /* Stripe refuses older timestamps */
#define STRIPE_METER_MAX_AHEAD_S 300                /* and those further ahead */
#define STRIPE_METER_AGE_MARGIN_S 3600              /* our clock and Stripe's may differ */
#define STRIPE_CREDIT_CENTS 5000                    /* one booking's price, given back */

/* The meter event's timestamp for a booking made at occurred_s when the database's clock
 * says now_s: occurred_s itself when Stripe accepts it; a booking older than 35 days
 * (billing was off, or Stripe unreachable, that long) is billed at the oldest instant
 * Stripe takes, an hour inside the limit, and one from the future at now_s. Either way
 * the booking is billed exactly once (its identifier), in the period the time falls in. */
long long stripe_meter_timestamp(long long occurred_s, long long now_s);

/* What to send for job: *path (static) and the body (owned: free). NULL with *why
 * (static) when it cannot be sent as it stands: no business, no usage event, or a meter
 * or credit whose business has no customer yet (*is_waiting set: it should wait rather
 * than fail). */
char *stripe_job_body(const struct stripe_job *job, const struct stripe_job_context *ctx,
                      const struct stripe_config *cfg, const char **path, bool *is_waiting,
                      const char **why);

#endif
