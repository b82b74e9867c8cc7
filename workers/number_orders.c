/* workers/number_orders.c: the provisioning job (number_orders.h). A handful of requests at
 * a time per worker, each a few seconds of work spread over minutes: the load is nothing,
 * what matters is that a request is fulfilled once, whatever fails.
 *
 * It runs on the worker's event loop with the clients the calls use: the asynchronous
 * Telnyx client (lib/telnyx/telnyx_client.h, over lib/http/http_retry.c), the worker's
 * non-blocking PostgreSQL connection (lib/store/pg_conn.h) and its Redis connection. That
 * fits: each step is one request whose answer comes back as a callback, and the steps
 * are a state machine already (lib/numbers/number_order.h), so no thread, lock or
 * blocking client is needed and a slow Telnyx or database never holds up a call (the
 * PostgreSQL connection is shared with the configuration loads and the outbox, a few
 * short statements each).
 *
 * A job: claim (number_request_claim, FOR UPDATE SKIP LOCKED, a lease of
 * FRONTDESK_NUMBER_LEASE_MS) -> the steps, each recorded before the next goes out ->
 * END. Safety rests on the rows, not on this process: the lease keeps two workers off one
 * request, every write but the order id's is guarded by the claim, and the order count
 * is recorded before an order is sent (number_order.h says why that orders one number at
 * most). An order waits for an answer at most half the lease, and the write before it
 * renews the lease, so no other worker can take the request over while it is out. */
#include "number_orders.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/metrics.h"
#include "core/xalloc.h"
#include "numbers/number_order.h"
#include "numbers/number_requests.h"
#include "store/redis_conn.h"
#include "store/tenant_keys.h"
#include "telnyx/telnyx_client.h"
#include "telnyx/telnyx_numbers.h"
#include "worker.h"

#define NUMBER_JOBS_MAX 4
#define CLAIM_EVERY_MS 1000         /* when nothing was due */
#define CLAIM_RETRY_MS 2000         /* after a failed claim */
#define PG_TIMEOUT_MS 5000
#define REDIS_TIMEOUT_MS 2000
#define SEARCH_LIMIT 10
#define DETAIL_MAX 600

struct number_job {
    struct number_orders *owner;
    struct number_order o;
    char claimant[192];             /* "<worker id>/<claim uuid>" */
    struct event *timer;            /* a step that waits (delay_ms) */
    struct number_job *prev, *next;
};

struct number_orders {
    struct worker *w;                   /* borrowed */
    struct number_job *jobs;            /* owned, a list */
    int njobs;
    bool is_claiming;
    bool is_stopping;
    char pending_claimant[192];         /* the claim in flight's */
    long long next_claim_ms;
    unsigned long long claimed, orders_sent, ended[NUMBER_ENDED_LOST + 1];
};

static void job_run(struct number_job *j);

static double random_unit(void)
{
    return (double)random() / ((double)RAND_MAX + 1.0);
}

/* ---- logs ---- */

/* One line about the job: its request, where it is, and why it fails or waits. */
static void log_job(const struct number_job *j, enum log_level level, const char *msg)
{
    const struct number_order *o = &j->o;
    struct log_line l;
    if (!log_begin(&l, level, msg))
        return;
    log_str(&l, "request_id", o->request_id);
    log_str(&l, "business_id", o->business_id);
    log_str(&l, "step", number_step_name(o->step));
    log_str(&l, "number", o->phone_number[0] != '\0' ? o->phone_number : NULL);
    log_str(&l, "order_id", o->order_id[0] != '\0' ? o->order_id : NULL);
    log_str(&l, "reason", o->step == NUMBER_FAIL ? o->failure_reason : NULL);
    log_str(&l, "error", o->last_error[0] != '\0' ? o->last_error : NULL);
    log_end(&l);
}

/* What the new step tells operators: an order out, an end, a wait with its cause. */
static void log_transition(const struct number_job *j, enum number_step from)
{
    const struct number_order *o = &j->o;
    if (from == NUMBER_KEEP_ORDER && o->step == NUMBER_WAIT)
        log_job(j, LOG_ERROR, "number order accepted by Telnyx but not recorded; if the "
                "request fails, add the number with frontdesk-ctl numbers add");
    else if (from == NUMBER_PLACE && o->step == NUMBER_FAIL)
        log_job(j, LOG_ERROR, "number order could not be confirmed; an operator must check it");
    else if (from == NUMBER_PLACE && o->step == NUMBER_KEEP_ORDER)
        log_job(j, LOG_INFO, "number ordered");
    else if (o->step == NUMBER_FAIL)
        log_job(j, LOG_WARN, "number request failed");
    else if ((o->step == NUMBER_WAIT || o->step == NUMBER_FORGET) && o->last_error[0] != '\0')
        log_job(j, LOG_WARN, "number request waits");
    else if (o->step == NUMBER_END && o->end == NUMBER_ENDED_ACTIVE)
        log_job(j, LOG_INFO, "number request active");
    else if (o->step == NUMBER_END && o->end == NUMBER_ENDED_LOST)
        log_job(j, LOG_WARN, "number request no longer this worker's");
}

/* ---- a job's life ---- */

static void job_free(struct number_job *j)
{
    struct number_orders *n = j->owner;
    if (j->prev != NULL)
        j->prev->next = j->next;
    else
        n->jobs = j->next;
    if (j->next != NULL)
        j->next->prev = j->prev;
    n->njobs--;
    if (j->timer != NULL)
        event_free(j->timer);
    free(j);
}

static void on_job_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    job_run(arg);
}

/* The only caller of number_order_advance: runs r through the step machine and starts
 * what follows. */
static void job_advance(struct number_job *j, const struct number_result *r)
{
    enum number_step from = j->o.step;
    number_order_advance(&j->o, r);
    log_transition(j, from);
    if (j->o.step == NUMBER_END) {
        j->owner->ended[j->o.end]++;
        job_free(j);
        return;
    }
    if (j->o.delay_ms > 0) {
        if (j->timer == NULL)
            j->timer = evtimer_new(j->owner->w->base, on_job_timer, j);
        struct timeval tv = {j->o.delay_ms / 1000, (j->o.delay_ms % 1000) * 1000};
        evtimer_add(j->timer, &tv);
        return;
    }
    job_run(j);
}

static void advance_with(struct number_job *j, enum number_outcome outcome, const char *value,
                         const char *detail)
{
    const struct number_result r = {.outcome = outcome, .value = value, .detail = detail,
                                    .jitter = random_unit()};
    job_advance(j, &r);
}

/* ---- Telnyx's answers ---- */

/* "HTTP 422 10015 Invalid connection_id: ..." or curl's words: for last_error. */
static void describe(const struct telnyx_result *res, char *out, size_t len)
{
    if (res->status == 0)
        snprintf(out, len, "no answer from Telnyx: %s", res->why ? res->why : "failed");
    else
        snprintf(out, len, "HTTP %ld%s%s%s%s%s%s", res->status, res->error_code ? " " : "",
                 res->error_code ? res->error_code : "", res->error_title ? " " : "",
                 res->error_title ? res->error_title : "", res->error_detail ? ": " : "",
                 res->error_detail ? res->error_detail : "");
}

/* The outcome of a request that did not succeed. */
static enum number_outcome failure_of(const struct telnyx_result *res)
{
    return res->outcome == TELNYX_REJECTED ? NUMBER_REFUSED : NUMBER_UNAVAILABLE;
}

static void on_searched(const struct telnyx_result *res, void *arg)
{
    struct number_job *j = arg;
    char detail[DETAIL_MAX], found[SEARCH_LIMIT][TELNYX_NUMBER_MAX];
    describe(res, detail, sizeof detail);
    if (res->outcome != TELNYX_OK) {
        advance_with(j, failure_of(res), NULL, detail);
        return;
    }
    int n = telnyx_numbers_read_search(res->body, res->body_len, found, SEARCH_LIMIT);
    if (n < 0)
        advance_with(j, NUMBER_UNAVAILABLE, NULL, "the search's answer does not read");
    else if (n == 0)
        advance_with(j, NUMBER_NONE_FOUND, NULL, "the search found no number with voice and sms");
    else
        advance_with(j, NUMBER_OK, found[number_order_pick(n, random_unit())], NULL);
}

static void on_placed(const struct telnyx_result *res, void *arg)
{
    struct number_job *j = arg;
    char detail[DETAIL_MAX];
    struct telnyx_number_order order;
    describe(res, detail, sizeof detail);
    if (res->outcome != TELNYX_OK)
        advance_with(j, failure_of(res), NULL, detail);
    else if (!telnyx_numbers_read_order(res->body, res->body_len, &order))
        advance_with(j, NUMBER_UNAVAILABLE, NULL, "the order's answer does not read");
    else
        advance_with(j, NUMBER_OK, order.id, NULL);
}

static void on_followed(const struct telnyx_result *res, void *arg)
{
    struct number_job *j = arg;
    char detail[DETAIL_MAX];
    struct telnyx_number_order order;
    describe(res, detail, sizeof detail);
    if (res->outcome != TELNYX_OK) {
        advance_with(j, failure_of(res), NULL, detail);
        return;
    }
    if (!telnyx_numbers_read_order(res->body, res->body_len, &order)) {
        advance_with(j, NUMBER_UNAVAILABLE, NULL, "the order's status does not read");
        return;
    }
    snprintf(detail, sizeof detail, "Telnyx reports number order %s as failed", order.id);
    advance_with(j, order.status == TELNYX_ORDER_SUCCESS   ? NUMBER_OK
                    : order.status == TELNYX_ORDER_PENDING ? NUMBER_PENDING
                                                           : NUMBER_ORDER_FAILED,
                 NULL, detail);
}

/* ---- Redis and PostgreSQL ---- */

/* The version's INCR is best effort: without it an api that cached a miss for the new
 * number routes it once that expires (2 s). */
static void on_version_moved(const redisReply *reply, enum app_err err, void *arg)
{
    (void)reply;
    (void)err;
    (void)arg;
}

static void on_routed(const redisReply *reply, enum app_err err, void *arg)
{
    struct number_job *j = arg;
    if (err == APP_OK) {
        /* the apis drop their number caches (api/number_watch.c) */
        const char *incr[] = {"INCR", FD_NUMBERS_VERSION_KEY};
        size_t len[] = {4, strlen(FD_NUMBERS_VERSION_KEY)};
        redis_conn_command(j->owner->w->redis, REDIS_TIMEOUT_MS, on_version_moved, NULL, 2, incr, len);
        advance_with(j, NUMBER_OK, NULL, NULL);
    } else {
        advance_with(j, NUMBER_UNAVAILABLE, NULL,
                     reply != NULL && reply->type == REDIS_REPLY_ERROR ? reply->str
                                                                       : "Redis did not answer");
    }
}

static void on_written(const struct number_result *r, void *arg)
{
    struct number_job *j = arg;
    struct number_result with_jitter = *r;
    with_jitter.jitter = random_unit();
    job_advance(j, &with_jitter);
}

/* ---- the steps ---- */

static void place_order(struct number_job *j)
{
    struct number_orders *n = j->owner;
    const struct worker_config *cfg = &n->w->wcfg;
    char reference[NUMBER_REFERENCE_MAX];
    number_order_reference(&j->o, reference);
    const struct telnyx_number_order_spec spec = {
        .phone_number = j->o.phone_number, .connection_id = cfg->telnyx_connection_id,
        .messaging_profile_id = cfg->telnyx_messaging_profile_id,
        .customer_reference = reference,
    };
    n->orders_sent++;
    telnyx_client_order_number(n->w->telnyx, &spec, cfg->number_lease_ms / 2, on_placed, j);
}

static void route_number(struct number_job *j)
{
    const char *argv[] = {"HSET", FD_NUMBERS_KEY, j->o.phone_number, j->o.business_id};
    size_t len[4];
    for (int i = 0; i < 4; i++)
        len[i] = strlen(argv[i]);
    redis_conn_command(j->owner->w->redis, REDIS_TIMEOUT_MS, on_routed, j, 4, argv, len);
}

/* Starts the step the job is in; its answer comes back through job_advance. A stopping
 * worker counts and sends no new order: its answer could be cut off by the exit, and the
 * next worker orders as well as this one. */
static void job_run(struct number_job *j)
{
    struct worker *w = j->owner->w;
    if (j->owner->is_stopping && (j->o.step == NUMBER_COUNT || j->o.step == NUMBER_PLACE)) {
        advance_with(j, NUMBER_UNAVAILABLE, NULL, "the worker is stopping");
        return;
    }
    switch (j->o.step) {
    case NUMBER_SEARCH: {
        const struct telnyx_number_search q = {
            .area_code = j->o.area_code[0] != '\0' ? j->o.area_code : NULL,
            .limit = SEARCH_LIMIT,
        };
        telnyx_client_search_numbers(w->telnyx, &q, on_searched, j);
        return;
    }
    case NUMBER_PLACE:
        place_order(j);
        return;
    case NUMBER_FOLLOW:
        telnyx_client_get_number_order(w->telnyx, j->o.order_id, on_followed, j);
        return;
    case NUMBER_ROUTE:
        route_number(j);
        return;
    default:
        number_requests_write(w->pg, &j->o, j->claimant, w->wcfg.number_lease_ms,
                              PG_TIMEOUT_MS, on_written, j);
        return;
    }
}

/* ---- claims ---- */

static void on_claimed(const struct number_order *o, enum app_err err, const char *why,
                       void *arg)
{
    struct number_orders *n = arg;
    n->is_claiming = false;
    if (o == NULL) {
        if (err != APP_OK)
            log_msg(LOG_DEBUG, "number request claim failed", "error", why);
        n->next_claim_ms = worker_mono_ms() + (err != APP_OK ? CLAIM_RETRY_MS : CLAIM_EVERY_MS);
        return;
    }
    n->claimed++;
    n->next_claim_ms = 0;               /* more may be due: claim again at the next tick */
    struct number_job *j = xcalloc(1, sizeof *j);
    j->owner = n;
    j->o = *o;
    snprintf(j->claimant, sizeof j->claimant, "%s", n->pending_claimant);
    j->next = n->jobs;
    if (n->jobs != NULL)
        n->jobs->prev = j;
    n->jobs = j;
    n->njobs++;
    job_run(j);
}

void number_orders_tick(struct number_orders *n, long long now_ms)
{
    if (n == NULL || n->is_stopping || n->is_claiming || n->njobs >= NUMBER_JOBS_MAX ||
        now_ms < n->next_claim_ms)
        return;
    char id[FD_UUID_LEN + 1];
    uuid_generate(id);
    snprintf(n->pending_claimant, sizeof n->pending_claimant, "%s/%s", n->w->wcfg.worker_id, id);
    n->is_claiming = true;
    number_requests_claim(n->w->pg, n->pending_claimant, n->w->wcfg.number_lease_ms,
                          PG_TIMEOUT_MS, on_claimed, n);
}

/* ---- the job ---- */

struct number_orders *number_orders_create(struct worker *w)
{
    if (w->wcfg.telnyx_connection_id[0] == '\0')
        return NULL;
    struct number_orders *n = xcalloc(1, sizeof *n);
    n->w = w;
    return n;
}

void number_orders_stop(struct number_orders *n)
{
    if (n != NULL)
        n->is_stopping = true;
}

bool number_orders_is_ordering(const struct number_orders *n)
{
    for (const struct number_job *j = n != NULL ? n->jobs : NULL; j != NULL; j = j->next)
        if (j->o.step == NUMBER_PLACE || j->o.step == NUMBER_KEEP_ORDER)
            return true;
    return false;
}

void number_orders_free(struct number_orders *n)
{
    if (n == NULL)
        return;
    while (n->jobs != NULL)
        job_free(n->jobs);
    free(n);
}

void number_orders_write_metrics(const struct number_orders *n, struct evbuffer *out)
{
    static const char *const ends[] = {"active", "failed", "later", "lost"};
    if (n == NULL)
        return;
    metrics_write_counter(out, "frontdesk_number_requests_claimed_total",
                          "Number requests claimed by this worker.", n->claimed);
    metrics_write_counter(out, "frontdesk_number_orders_sent_total",
                          "Number orders sent to Telnyx.", n->orders_sent);
    metrics_write_header(out, "frontdesk_number_requests_ended_total", "counter",
                         "Claims of number requests by how they ended.");
    for (int e = 0; e <= NUMBER_ENDED_LOST; e++)
        evbuffer_add_printf(out, "frontdesk_number_requests_ended_total{end=\"%s\"} %llu\n",
                            ends[e], n->ended[e]);
    metrics_write_header(out, "frontdesk_number_requests_in_hand", "gauge",
                         "Number requests this worker is working on.");
    evbuffer_add_printf(out, "frontdesk_number_requests_in_hand %d\n", n->njobs);
}
