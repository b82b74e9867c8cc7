/* workers/billing_jobs.c: the billing job (billing_jobs.h). A few jobs at a time per worker,
 * each one request of well under a second: the load is nothing, what matters is that a
 * business is one customer and a booking one meter event, whatever fails.
 *
 * It runs on the worker's event loop with the clients the calls use: the http_client
 * (lib/billing/stripe_request.h), the non-blocking PostgreSQL connection and Redis. A job:
 * claim (stripe_job_claim, FOR UPDATE SKIP LOCKED, a lease of FRONTDESK_BILLING_LEASE_MS)
 * -> READ what the request needs under the job's tenant -> SEND it with the job's key ->
 * for a new customer, MAP it in fd:stripe:customers -> FINISH: the row says done, later
 * or failed. Safety rests on the rows and the key, not on this process: the lease keeps two
 * workers off one job, the request waits at most a third of the lease, every write
 * matches only the claimant's pending row, and a job retried after a crash, a timeout or
 * a lost write is the same request with the same Idempotency-Key, which Stripe answers
 * with what it did the first time. Retries live in the row (next_attempt_at), with
 * backoff and no limit, so an hour-long outage only delays. */
#include "billing_jobs.h"

#include <event2/buffer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/stripe_config.h"
#include "billing/stripe_job_body.h"
#include "billing/stripe_jobs.h"
#include "billing/stripe_request.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/xalloc.h"
#include "store/pg_conn.h"
#include "store/redis_conn.h"
#include "store/tenant_keys.h"
#include "worker.h"

#define BILLING_JOBS_MAX 4
#define REQUEST_TIMEOUT_MAX_MS 15000    /* and a third of the lease at most */
#define CLAIM_EVERY_MS 1000             /* when nothing was due */
#define CLAIM_RETRY_MS 2000             /* after a failed claim */
#define WAIT_FOR_CUSTOMER_MS 30000      /* the customer's job wakes its waiters sooner */
#define PENDING_COUNT_EVERY_MS 15000
#define PG_TIMEOUT_MS 5000
#define REDIS_TIMEOUT_MS 2000
#define ERROR_MAX 1000

enum billing_step { BILLING_READ, BILLING_SEND, BILLING_MAP, BILLING_FINISH };

enum billing_end { END_DONE, END_RETRY, END_WAITING, END_FAILED, END_LOST, END_DROPPED,
                   END_COUNT };

struct billing_job {
    struct billing_jobs *owner;
    struct stripe_job job;
    char claimant[192];                 /* "<worker id>/<claim uuid>" */
    enum billing_step step;
    struct stripe_job_context ctx;
    struct stripe_job_outcome outcome;  /* what FINISH writes */
    enum billing_end end;               /* what the outcome counts as */
    char result_id[STRIPE_ID_MAX];
    char error[ERROR_MAX];
    struct billing_job *prev, *next;
};

struct billing_jobs {
    struct worker *w;                   /* borrowed */
    struct http_client *http;           /* borrowed */
    const struct stripe_config *cfg;    /* the worker's, borrowed */
    struct billing_nightly *nightly;    /* owned */
    struct billing_job *jobs;           /* owned, a list */
    int njobs;
    bool is_claiming, is_counting, is_stopping;
    char pending_claimant[192];
    long long next_claim_ms, next_count_ms;
    long long pending;                  /* every tenant's pending jobs, -1 until counted */
    unsigned long long claimed, sent[STRIPE_JOB_CREDIT + 1], ended[END_COUNT];
};

static void job_run(struct billing_job *j);

static double random_unit(void)
{
    return (double)random() / ((double)RAND_MAX + 1.0);
}

static void log_job(const struct billing_job *j, enum log_level level, const char *msg,
                    const char *request_id)
{
    struct log_line l;
    if (!log_begin(&l, level, msg))
        return;
    log_str(&l, "job_id", j->job.id);
    log_str(&l, "business_id", j->job.business_id);
    log_str(&l, "kind", stripe_job_kind_name(j->job.kind));
    log_str(&l, "idempotency_key", j->job.idempotency_key);
    log_int(&l, "attempts", j->job.attempts);
    log_str(&l, "result_id", j->result_id[0] != '\0' ? j->result_id : NULL);
    log_str(&l, "error", j->error[0] != '\0' ? j->error : NULL);
    log_str(&l, "stripe_request_id", request_id != NULL && request_id[0] ? request_id : NULL);
    log_end(&l);
}

static void job_free(struct billing_job *j)
{
    struct billing_jobs *b = j->owner;
    if (j->prev != NULL)
        j->prev->next = j->next;
    else
        b->jobs = j->next;
    if (j->next != NULL)
        j->next->prev = j->prev;
    b->njobs--;
    free(j);
}

static void claim_next(struct billing_jobs *b);

/* A slot is free again: the next due job is claimed now rather than at the next tick, so a
 * backlog drains at the pace of Stripe's answers, not of the tick (one claim per 100 ms
 * capped a worker at 10 jobs a second). */
static void job_end(struct billing_job *j, enum billing_end end)
{
    struct billing_jobs *b = j->owner;
    b->ended[end]++;
    job_free(j);
    claim_next(b);
}

/* Ends the claim: FINISH writes the outcome to the row; counted is what the metrics call
 * it once the write matched. */
static void job_finish_with(struct billing_job *j, enum stripe_job_end end, enum billing_end counted,
                            long long delay_ms, bool is_attempt)
{
    j->outcome = (struct stripe_job_outcome){
        .end = end, .result_id = j->result_id, .last_error = j->error, .delay_ms = delay_ms,
        .is_attempt = is_attempt,
    };
    j->end = counted;
    j->step = BILLING_FINISH;
    job_run(j);
}

/* ---- Stripe's answer ---- */

static void on_answered(const struct stripe_result *r, void *arg)
{
    struct billing_job *j = arg;
    const struct stripe_answer *a = r->a;
    if (r->is_shut_down) {                  /* the worker is exiting: the lease frees it */
        job_end(j, END_DROPPED);
        return;
    }
    stripe_answer_describe(a, j->error, sizeof j->error);
    long long delay = stripe_retry_delay_ms(j->job.attempts + 1, random_unit());
    if (j->job.kind == STRIPE_JOB_METER && stripe_answer_is_known_identifier(a)) {
        j->error[0] = '\0';
        snprintf(j->result_id, sizeof j->result_id, "%s", j->job.booking_id);
        log_job(j, LOG_WARN, "Stripe already had this booking's meter event: done",
                r->request_id);
        job_finish_with(j, STRIPE_JOB_END_DONE, END_DONE, 0, true);
        return;
    }
    switch (a->verdict) {
    case STRIPE_DONE:
        j->error[0] = '\0';
        snprintf(j->result_id, sizeof j->result_id, "%s",
                 a->object_id[0] != '\0' ? a->object_id : j->job.booking_id);
        if (j->job.kind == STRIPE_JOB_CUSTOMER && strncmp(j->result_id, "cus_", 4) != 0) {
            snprintf(j->error, sizeof j->error, "Stripe created a customer without a cus_ id");
            log_job(j, LOG_ERROR, "Stripe answer does not read", r->request_id);
            job_finish_with(j, STRIPE_JOB_END_LATER, END_RETRY, delay, true);
            return;
        }
        log_job(j, LOG_INFO, "Stripe job done", r->request_id);
        if (j->job.kind == STRIPE_JOB_CUSTOMER) {
            j->step = BILLING_MAP;
            job_run(j);
        } else {
            job_finish_with(j, STRIPE_JOB_END_DONE, END_DONE, 0, true);
        }
        return;
    case STRIPE_RETRY:
        log_job(j, LOG_WARN, "Stripe job retries later", r->request_id);
        job_finish_with(j, STRIPE_JOB_END_LATER, END_RETRY, delay, true);
        return;
    case STRIPE_INDETERMINATE:
        /* Stripe replays this answer for the key, so resending it is safe; only the
         * reconciliation (or an event naming the customer) can tell what happened. */
        snprintf(j->error + strlen(j->error), sizeof j->error - strlen(j->error),
                 " (outcome unknown: retried with the same key)");
        log_job(j, LOG_WARN, "Stripe job outcome unknown", r->request_id);
        job_finish_with(j, STRIPE_JOB_END_LATER, END_RETRY, delay, true);
        return;
    case STRIPE_FAILED:
        log_job(j, LOG_ERROR, "Stripe refused a job: fix the cause, then frontdesk-ctl billing "
                "retry", r->request_id);
        job_finish_with(j, STRIPE_JOB_END_FAILED, END_FAILED, 0, true);
        return;
    }
}

/* ---- PostgreSQL and Redis ---- */

static void on_context(const struct stripe_job_context *ctx, enum app_err err, const char *why,
                       void *arg)
{
    struct billing_job *j = arg;
    if (ctx == NULL) {
        snprintf(j->error, sizeof j->error, "%s", why);
        log_job(j, LOG_WARN, "Stripe job could not be read; its lease lets it go", NULL);
        job_end(j, END_DROPPED);
        return;
    }
    (void)err;
    j->ctx = *ctx;
    j->step = BILLING_SEND;
    job_run(j);
}

static void on_mapped(const redisReply *reply, enum app_err err, void *arg)
{
    struct billing_job *j = arg;
    if (err != APP_OK) {
        /* Without the map Stripe's events for the customer would not route: try again;
         * the same key gives back the same customer. */
        snprintf(j->error, sizeof j->error, "customer %s not mapped in Redis: %s", j->result_id,
                 reply != NULL && reply->type == REDIS_REPLY_ERROR ? reply->str
                                                                   : "Redis did not answer");
        log_job(j, LOG_WARN, "Stripe job retries later", NULL);
        job_finish_with(j, STRIPE_JOB_END_LATER, END_RETRY,
                        stripe_retry_delay_ms(j->job.attempts + 1, random_unit()), true);
        return;
    }
    job_finish_with(j, STRIPE_JOB_END_DONE, END_DONE, 0, j->ctx.customer_id[0] == '\0');
}

static void on_finished(bool is_matched, enum app_err err, const char *why, void *arg)
{
    struct billing_job *j = arg;
    if (err != APP_OK) {
        snprintf(j->error, sizeof j->error, "%s", why);
        log_job(j, LOG_WARN, "Stripe job's end not recorded; it is sent again after its lease",
                NULL);
        job_end(j, END_LOST);
        return;
    }
    if (!is_matched) {
        log_job(j, LOG_WARN, "Stripe job no longer this worker's", NULL);
        job_end(j, END_LOST);
        return;
    }
    job_end(j, j->end);
}

/* ---- the steps ---- */

static void send_job(struct billing_job *j)
{
    struct billing_jobs *b = j->owner;
    const char *path = NULL, *why = NULL;
    bool is_waiting = false;
    if (j->job.kind == STRIPE_JOB_CUSTOMER && j->ctx.customer_id[0] != '\0') {
        /* Bound already (Checkout, a Stripe event, or an operator): nothing to create. */
        snprintf(j->result_id, sizeof j->result_id, "%s", j->ctx.customer_id);
        j->step = BILLING_MAP;
        job_run(j);
        return;
    }
    char *body = stripe_job_body(&j->job, &j->ctx, b->cfg, &path, &is_waiting, &why);
    if (body == NULL) {
        snprintf(j->error, sizeof j->error, "%s", why);
        if (is_waiting)
            job_finish_with(j, STRIPE_JOB_END_LATER, END_WAITING, WAIT_FOR_CUSTOMER_MS, false);
        else
            job_finish_with(j, STRIPE_JOB_END_FAILED, END_FAILED, 0, false);
        return;
    }
    b->sent[j->job.kind]++;
    int timeout_ms = b->w->wcfg.billing_lease_ms / 3;
    if (timeout_ms > REQUEST_TIMEOUT_MAX_MS)
        timeout_ms = REQUEST_TIMEOUT_MAX_MS;
    stripe_request_post(b->http, b->cfg, path, body, j->job.idempotency_key, timeout_ms,
                        on_answered, j);
    free(body);
}

static void map_customer(struct billing_job *j)
{
    const char *argv[] = {"HSET", FD_STRIPE_CUSTOMERS_KEY, j->result_id, j->job.business_id};
    size_t len[4];
    for (int i = 0; i < 4; i++)
        len[i] = strlen(argv[i]);
    redis_conn_command(j->owner->w->redis, REDIS_TIMEOUT_MS, on_mapped, j, 4, argv, len);
}

/* Starts the step the job is in. A stopping worker sends nothing new: its answer could
 * be cut off by the exit, and the next worker sends it as well as this one. */
static void job_run(struct billing_job *j)
{
    struct worker *w = j->owner->w;
    switch (j->step) {
    case BILLING_READ:
        stripe_jobs_load_context(w->pg, &j->job, PG_TIMEOUT_MS, on_context, j);
        return;
    case BILLING_SEND:
        if (j->owner->is_stopping)
            job_end(j, END_DROPPED);
        else
            send_job(j);
        return;
    case BILLING_MAP:
        map_customer(j);
        return;
    case BILLING_FINISH:
        stripe_jobs_finish(w->pg, &j->job, j->claimant, &j->outcome, PG_TIMEOUT_MS, on_finished, j);
        return;
    }
}

/* ---- claims and the gauge ---- */

static void on_claimed(const struct stripe_job *job, enum app_err err, const char *why, void *arg)
{
    struct billing_jobs *b = arg;
    b->is_claiming = false;
    if (job == NULL) {
        if (err != APP_OK)
            log_msg(LOG_DEBUG, "Stripe job claim failed", "error", why);
        b->next_claim_ms = worker_mono_ms() + (err != APP_OK ? CLAIM_RETRY_MS : CLAIM_EVERY_MS);
        return;
    }
    b->claimed++;
    b->next_claim_ms = 0;
    struct billing_job *j = xcalloc(1, sizeof *j);
    j->owner = b;
    j->job = *job;
    j->step = BILLING_READ;
    snprintf(j->claimant, sizeof j->claimant, "%s", b->pending_claimant);
    j->next = b->jobs;
    if (b->jobs != NULL)
        b->jobs->prev = j;
    b->jobs = j;
    b->njobs++;
    job_run(j);
    claim_next(b);                      /* more may be due: fill the free slots */
}

static void on_counted(PGresult *res, enum app_err err, const char *why, void *arg)
{
    struct billing_jobs *b = arg;
    (void)why;
    b->is_counting = false;
    if (err == APP_OK && PQntuples(res) == 1)
        b->pending = atoll(PQgetvalue(res, 0, 0));
}

void billing_jobs_tick(struct billing_jobs *b, long long now_ms)
{
    if (b == NULL || b->is_stopping)
        return;
    billing_nightly_tick(b->nightly, now_ms);
    if (!b->is_counting && now_ms >= b->next_count_ms) {
        b->is_counting = true;
        b->next_count_ms = now_ms + PENDING_COUNT_EVERY_MS;
        pg_conn_query(b->w->pg, "SELECT stripe_jobs_pending_count()", 0, NULL, PG_TIMEOUT_MS,
                      on_counted, b);
    }
    claim_next(b);
}

/* Claims one due job when a slot is free, no claim is out and none is being waited for;
 * the claim's answer claims the next. */
static void claim_next(struct billing_jobs *b)
{
    if (b->is_stopping || b->is_claiming || b->njobs >= BILLING_JOBS_MAX ||
        worker_mono_ms() < b->next_claim_ms)
        return;
    char id[FD_UUID_LEN + 1];
    uuid_generate(id);
    snprintf(b->pending_claimant, sizeof b->pending_claimant, "%s/%s", b->w->wcfg.worker_id, id);
    b->is_claiming = true;
    stripe_jobs_claim(b->w->pg, b->pending_claimant, b->w->wcfg.billing_lease_ms, PG_TIMEOUT_MS,
                      on_claimed, b);
}

/* ---- the job ---- */

struct billing_jobs *billing_jobs_create(struct worker *w, struct http_client *http)
{
    if (!stripe_billing_is_on(&w->stripe))
        return NULL;
    struct billing_jobs *b = xcalloc(1, sizeof *b);
    b->w = w;
    b->http = http;
    b->cfg = &w->stripe;
    b->pending = -1;
    b->nightly = billing_nightly_create(w);
    return b;
}

void billing_jobs_stop(struct billing_jobs *b)
{
    if (b != NULL)
        b->is_stopping = true;
}

void billing_jobs_free(struct billing_jobs *b)
{
    if (b == NULL)
        return;
    while (b->jobs != NULL)
        job_free(b->jobs);
    billing_nightly_free(b->nightly);
    free(b);
}

void billing_jobs_write_metrics(const struct billing_jobs *b, struct evbuffer *out)
{
    static const char *const ends[END_COUNT] = {"done", "retry", "waiting", "failed", "lost",
                                                "dropped"};
    if (b == NULL)
        return;
    metrics_write_counter(out, "frontdesk_stripe_jobs_claimed_total",
                          "Stripe jobs claimed by this worker.", b->claimed);
    metrics_write_header(out, "frontdesk_stripe_requests_sent_total", "counter",
                         "Requests sent to Stripe, by job kind.");
    for (int k = STRIPE_JOB_CUSTOMER; k <= STRIPE_JOB_CREDIT; k++)
        evbuffer_add_printf(out, "frontdesk_stripe_requests_sent_total{kind=\"%s\"} %llu\n",
                            stripe_job_kind_name((enum stripe_job_kind)k), b->sent[k]);
    metrics_write_header(out, "frontdesk_stripe_jobs_ended_total", "counter",
                         "Claims of Stripe jobs by how they ended.");
    for (int e = 0; e < END_COUNT; e++)
        evbuffer_add_printf(out, "frontdesk_stripe_jobs_ended_total{end=\"%s\"} %llu\n", ends[e],
                            b->ended[e]);
    metrics_write_gauge(out, "frontdesk_stripe_jobs_in_hand",
                        "Stripe jobs this worker is working on.", b->njobs);
    if (b->pending >= 0)
        metrics_write_gauge(out, "frontdesk_stripe_jobs_pending",
                            "Stripe jobs of every business waiting to be sent.", b->pending);
    metrics_write_counter(out, "frontdesk_billing_reconcile_differences_total",
                          "Differences the nightly billing reconciliation found.",
                          billing_nightly_differences(b->nightly));
}
