/* lib/billing/stripe_jobs.c: see stripe_jobs.h. One statement per step; an end that touches
 * more than the job (the business's customer id, the usage event's reported_at, the jobs
 * that waited for the customer) does it in the same statement, through data-modifying
 * CTEs that only act when the job's own update matched. */
#include "billing/stripe_jobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "store/pg_conn.h"

static const char claim_sql[] =
    "SELECT id, business_id, kind, coalesce(booking_id::text, ''), idempotency_key, attempts "
    "FROM stripe_job_claim($1, $2::integer)";

/* The owner's email: the first owner user still there (sign-up makes one; a business
 * made by frontdesk-ctl may have none yet). */
static const char context_sql[] =
    "SELECT b.name, coalesce(b.stripe_customer_id, ''), "
    "coalesce((SELECT u.email FROM users u WHERE u.business_id = b.id AND u.role = 'owner' "
    "AND u.deleted_at IS NULL ORDER BY u.created_at, u.id LIMIT 1), ''), "
    "(SELECT extract(epoch FROM e.occurred_at)::bigint FROM usage_events e "
    "WHERE e.business_id = b.id AND e.booking_id = $2::uuid), "
    "extract(epoch FROM now())::bigint "
    "FROM businesses b WHERE b.id = $1::uuid";

/* Jobs that waited for the business's customer are due again as soon as it exists. */
static const char done_sql[] =
    "WITH j AS (UPDATE stripe_jobs SET status = 'done', result_id = $3, last_error = NULL, "
    "attempts = attempts + $4::integer, claimed_by = NULL, lease_until = NULL, done_at = now(), "
    "updated_at = now() WHERE id = $1::uuid AND claimed_by = $2 AND status = 'pending' "
    "RETURNING id, business_id, kind, booking_id), "
    "customer AS (UPDATE businesses b SET stripe_customer_id = coalesce(b.stripe_customer_id, $3) "
    "FROM j WHERE j.kind = 'customer' AND b.id = j.business_id RETURNING b.id), "
    "woken AS (UPDATE stripe_jobs s SET next_attempt_at = now(), updated_at = now() FROM j "
    "WHERE j.kind = 'customer' AND s.business_id = j.business_id AND s.kind <> 'customer' "
    "AND s.status = 'pending' AND s.next_attempt_at > now() RETURNING s.id), "
    "reported AS (UPDATE usage_events e SET reported_at = now() FROM j "
    "WHERE j.kind = 'meter' AND e.business_id = j.business_id AND e.booking_id = j.booking_id "
    "AND e.reported_at IS NULL RETURNING e.id) "
    "SELECT id FROM j";

/* A job that only waited for its business's customer (no request: attempts + 0) is due
 * at once when the customer appeared while it was in hand: done_sql wakes only the
 * waiters nobody holds, so a worker that claims a booking's meter job beside its
 * business's customer job would otherwise wait out the whole delay. */
static const char later_sql[] =
    "UPDATE stripe_jobs SET attempts = attempts + $3::integer, "
    "next_attempt_at = now() + CASE WHEN $3::integer = 0 AND kind <> 'customer' AND EXISTS "
    "(SELECT 1 FROM businesses b WHERE b.id = stripe_jobs.business_id "
    "AND b.stripe_customer_id IS NOT NULL) THEN interval '0' "
    "ELSE $4::bigint * interval '1 millisecond' END, "
    "last_error = NULLIF(left($5, 1000), ''), claimed_by = NULL, lease_until = NULL, "
    "updated_at = now() WHERE id = $1::uuid AND claimed_by = $2 AND status = 'pending' "
    "RETURNING id";

static const char failed_sql[] =
    "UPDATE stripe_jobs SET status = 'failed', attempts = attempts + 1, "
    "last_error = left($3, 1000), claimed_by = NULL, lease_until = NULL, updated_at = now() "
    "WHERE id = $1::uuid AND claimed_by = $2 AND status = 'pending' RETURNING id";

const char *stripe_job_kind_name(enum stripe_job_kind k)
{
    static const char *const names[] = {"customer", "meter", "credit"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "unknown";
}

static bool kind_from_name(const char *name, enum stripe_job_kind *out)
{
    for (int k = STRIPE_JOB_CUSTOMER; k <= STRIPE_JOB_CREDIT; k++)
        if (strcmp(name, stripe_job_kind_name((enum stripe_job_kind)k)) == 0) {
            *out = (enum stripe_job_kind)k;
            return true;
        }
    return false;
}

static bool copy_field(char *out, size_t out_len, const PGresult *res, int col)
{
    const char *v = PQgetvalue(res, 0, col);
    if (strlen(v) >= out_len)
        return false;
    memcpy(out, v, strlen(v) + 1);
    return true;
}

/* ---- claiming ---- */

struct claim {
    stripe_job_claimed_fn cb;
    void *arg;
};

static bool job_from_row(const PGresult *res, struct stripe_job *j)
{
    memset(j, 0, sizeof *j);
    return PQnfields(res) == 6 && copy_field(j->id, sizeof j->id, res, 0) &&
           copy_field(j->business_id, sizeof j->business_id, res, 1) &&
           kind_from_name(PQgetvalue(res, 0, 2), &j->kind) &&
           copy_field(j->booking_id, sizeof j->booking_id, res, 3) &&
           copy_field(j->idempotency_key, sizeof j->idempotency_key, res, 4) &&
           (j->attempts = atoi(PQgetvalue(res, 0, 5))) >= 0 &&
           (j->kind == STRIPE_JOB_CUSTOMER || j->booking_id[0] != '\0');
}

static void on_claimed(PGresult *res, enum app_err err, const char *why, void *arg)
{
    struct claim *c = arg;
    struct stripe_job j;
    if (err != APP_OK || PQntuples(res) != 1)
        c->cb(NULL, err, why, c->arg);
    else if (!job_from_row(res, &j))
        c->cb(NULL, APP_EINTERNAL, "a claimed Stripe job does not read", c->arg);
    else
        c->cb(&j, APP_OK, "", c->arg);
    free(c);
}

void stripe_jobs_claim(struct pg_conn *pg, const char *claimant, int lease_ms, int timeout_ms,
                       stripe_job_claimed_fn cb, void *arg)
{
    struct claim *c = xcalloc(1, sizeof *c);
    c->cb = cb;
    c->arg = arg;
    char lease[24];
    snprintf(lease, sizeof lease, "%d", lease_ms);
    const char *params[] = {claimant, lease};
    pg_conn_query(pg, claim_sql, 2, params, timeout_ms, on_claimed, c);
}

/* ---- the context ---- */

struct context_read {
    stripe_job_context_fn cb;
    void *arg;
};

static void on_context(PGresult *res, enum app_err err, const char *why, void *arg)
{
    struct context_read *r = arg;
    struct stripe_job_context ctx = {0};
    if (err != APP_OK) {
        r->cb(NULL, err, why, r->arg);
    } else if (PQntuples(res) == 0) {
        r->cb(&ctx, APP_OK, "", r->arg);        /* has_business false */
    } else {
        ctx.has_business = true;
        copy_field(ctx.business_name, sizeof ctx.business_name, res, 0);
        copy_field(ctx.customer_id, sizeof ctx.customer_id, res, 1);
        if (!copy_field(ctx.owner_email, sizeof ctx.owner_email, res, 2))
            ctx.owner_email[0] = '\0';
        ctx.has_usage = !PQgetisnull(res, 0, 3);
        ctx.occurred_at_s = ctx.has_usage ? atoll(PQgetvalue(res, 0, 3)) : 0;
        ctx.now_s = atoll(PQgetvalue(res, 0, 4));
        r->cb(&ctx, APP_OK, "", r->arg);
    }
    free(r);
}

void stripe_jobs_load_context(struct pg_conn *pg, const struct stripe_job *job, int timeout_ms,
                              stripe_job_context_fn cb, void *arg)
{
    struct context_read *r = xcalloc(1, sizeof *r);
    r->cb = cb;
    r->arg = arg;
    const char *params[] = {job->business_id, job->booking_id[0] ? job->booking_id : NULL};
    const struct pg_stmt stmt = {context_sql, 2, params};
    pg_conn_transaction(pg, job->business_id, &stmt, 1, timeout_ms, on_context, r);
}

/* ---- ends ---- */

struct finish {
    stripe_job_finished_fn cb;
    void *arg;
};

static void on_finished(PGresult *res, enum app_err err, const char *why, void *arg)
{
    struct finish *f = arg;
    f->cb(err == APP_OK && PQntuples(res) == 1, err, why, f->arg);
    free(f);
}

void stripe_jobs_finish(struct pg_conn *pg, const struct stripe_job *job, const char *claimant,
                        const struct stripe_job_outcome *o, int timeout_ms,
                        stripe_job_finished_fn cb, void *arg)
{
    char delay[24];
    snprintf(delay, sizeof delay, "%lld", o->delay_ms);
    const char *error = o->last_error != NULL ? o->last_error : "";
    const char *params[5] = {job->id, claimant};
    struct pg_stmt stmt = {NULL, 0, params};
    switch (o->end) {
    case STRIPE_JOB_END_DONE:
        params[2] = o->result_id;
        params[3] = o->is_attempt ? "1" : "0";
        stmt.sql = done_sql;
        stmt.nparams = 4;
        break;
    case STRIPE_JOB_END_LATER:
        params[2] = o->is_attempt ? "1" : "0";
        params[3] = delay;
        params[4] = error;
        stmt.sql = later_sql;
        stmt.nparams = 5;
        break;
    case STRIPE_JOB_END_FAILED:
        params[2] = error;
        stmt.sql = failed_sql;
        stmt.nparams = 3;
        break;
    }
    struct finish *f = xcalloc(1, sizeof *f);
    f->cb = cb;
    f->arg = arg;
    pg_conn_transaction(pg, job->business_id, &stmt, 1, timeout_ms, on_finished, f);
}
