/* lib/billing/stripe_jobs.h: the stripe_jobs rows (schema/0010_billing.sql) as the worker's
 * billing job claims and writes them, on its non-blocking PostgreSQL connection
 * (lib/store/pg_conn.h), like lib/numbers/number_requests.h.
 *
 * Claiming is the one read across tenants: stripe_job_claim() leases the job due first to
 * a claimant ("<worker id>/<claim uuid>", unique per claim). Everything else runs as
 * frontdesk_app in one transaction under the job's own tenant, and every write matches
 * only while the row is still pending and the claimant's, so a claim whose lease ran out
 * and was taken over changes nothing. */
#ifndef FD_STRIPE_JOBS_H
#define FD_STRIPE_JOBS_H
#include <stdbool.h>

#include "core/err.h"
#include "store/tenant_keys.h"

struct pg_conn;

enum stripe_job_kind { STRIPE_JOB_CUSTOMER, STRIPE_JOB_METER, STRIPE_JOB_CREDIT };

struct stripe_job {
    char id[FD_UUID_LEN + 1];
    char business_id[FD_UUID_LEN + 1];
    char booking_id[FD_UUID_LEN + 1];       /* "" for a customer */
    enum stripe_job_kind kind;
    char idempotency_key[256];
    int attempts;                           /* attempts made before this claim */
};

/* What a job's request is made of, read under its tenant when it runs. */
struct stripe_job_context {
    bool has_business;                      /* false: the business is gone */
    char business_name[256];
    char customer_id[256];                  /* businesses.stripe_customer_id, "" if none */
    char owner_email[320];                  /* the first owner's, "" if none */
    bool has_usage;                         /* the booking's usage_events row exists */
    long long occurred_at_s;                /* its occurred_at (epoch s) */
    long long now_s;                        /* the database's clock */
};

/* How a claim ends. */
enum stripe_job_end {
    STRIPE_JOB_END_DONE,        /* status done, result_id; a customer's id on the business,
                                   a meter's usage event reported */
    STRIPE_JOB_END_LATER,       /* still pending, next attempt after delay_ms */
    STRIPE_JOB_END_FAILED,      /* status failed: an operator must act */
};

struct stripe_job_outcome {
    enum stripe_job_end end;
    const char *result_id;      /* DONE */
    const char *last_error;     /* LATER (may be NULL: cleared) and FAILED */
    long long delay_ms;         /* LATER */
    bool is_attempt;            /* DONE and LATER: a request was sent (attempts counts it) */
};

const char *stripe_job_kind_name(enum stripe_job_kind k);

/* job is the claimed job (borrowed for the call), NULL when none is due or the claim
 * failed (err, why). */
typedef void (*stripe_job_claimed_fn)(const struct stripe_job *job, enum app_err err,
                                      const char *why, void *arg);
/* Claims the job due first for lease_ms. claimant is copied. */
void stripe_jobs_claim(struct pg_conn *pg, const char *claimant, int lease_ms, int timeout_ms,
                       stripe_job_claimed_fn cb, void *arg);

/* ctx is borrowed for the call; NULL when the read failed (err, why). */
typedef void (*stripe_job_context_fn)(const struct stripe_job_context *ctx, enum app_err err,
                                      const char *why, void *arg);
void stripe_jobs_load_context(struct pg_conn *pg, const struct stripe_job *job, int timeout_ms,
                              stripe_job_context_fn cb, void *arg);

/* is_matched: the row was still the claimant's and is now written; false when it was not
 * (or on err, with why). */
typedef void (*stripe_job_finished_fn)(bool is_matched, enum app_err err, const char *why,
                                       void *arg);
/* Writes how job's claim ended. Everything is copied. */
void stripe_jobs_finish(struct pg_conn *pg, const struct stripe_job *job, const char *claimant,
                        const struct stripe_job_outcome *o, int timeout_ms,
                        stripe_job_finished_fn cb, void *arg);

#endif
