/* lib/store/outbox_drain.c: see outbox_drain.h. Workload: a worker owns hundreds of tenants;
 * each finished call adds three to a few dozen records to its tenant's outbox, so a
 * pass is usually one short batch, and after a PostgreSQL outage a tenant may hold
 * thousands of entries, drained 200 to a transaction.
 *
 * Each tenant runs one chain of asynchronous steps (XLEN → XRANGE → transaction →
 * XDEL → XRANGE ...), so it has at most one call in flight, held through a small heap
 * `struct drain_op`: the callbacks of redis_conn and pg_conn always run, even after
 * the drain is freed, and find op->tenant NULL then. */
#include "store/outbox_drain_internal.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <hiredis/hiredis.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/metrics.h"
#include "store/outbox_record.h"
#include "store/outbox_refusal.h"
#include "store/pg_conn.h"
#include "store/redis_conn.h"
#include "store/tenant_keys.h"
#include "core/xalloc.h"

static void start_pass(struct drain_tenant *t);

/* ---- tenants ---- */

static unsigned bucket_of(const char *business_id)
{
    unsigned h = 2166136261u;       /* FNV-1a */
    for (const char *p = business_id; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return h % BUCKETS;
}

static struct drain_tenant *tenant_find(const struct outbox_drain *d, const char *business_id)
{
    for (struct drain_tenant *t = d->buckets[bucket_of(business_id)]; t; t = t->next)
        if (strcmp(t->business_id, business_id) == 0)
            return t;
    return NULL;
}

static void on_retry(evutil_socket_t fd, short what, void *arg);

static struct drain_tenant *tenant_get(struct outbox_drain *d, const char *business_id)
{
    struct drain_tenant *t = tenant_find(d, business_id);
    if (t != NULL)
        return t;
    t = xcalloc(1, sizeof *t);
    t->d = d;
    snprintf(t->business_id, sizeof t->business_id, "%s", business_id);
    tenant_key(t->key, business_id, d->shards, "outbox");
    t->backoff_ms = BACKOFF_MIN_MS;
    t->retry_timer = evtimer_new(d->base, on_retry, t);
    unsigned b = bucket_of(business_id);
    t->next = d->buckets[b];
    d->buckets[b] = t;
    return t;
}

void drain_free_batch(struct drain_tenant *t)
{
    for (int i = 0; i < t->nentries; i++) {
        outbox_values_cleanup(&t->entries[i].v);
        free(t->entries[i].why);
    }
    free(t->entries);
    t->entries = NULL;
    t->nentries = 0;
    t->is_one_by_one = false;
}

static void tenant_free(struct drain_tenant *t)
{
    if (t->op != NULL)
        t->op->tenant = NULL;
    drain_free_batch(t);
    event_free(t->retry_timer);
    free(t);
}

/* Forgets a settled tenant with nothing left behind: a worker meets many tenants over
 * its life and keeps state only for those with work. */
static void tenant_forget(struct drain_tenant *t)
{
    struct drain_tenant **pp = &t->d->buckets[bucket_of(t->business_id)];
    while (*pp != t)
        pp = &(*pp)->next;
    *pp = t->next;
    tenant_free(t);
}

/* ---- pass outcome ---- */

void drain_pass_failed(struct drain_tenant *t, const char *what, const char *why)
{
    struct log_line l;
    t->d->failures++;
    drain_free_batch(t);
    t->is_running = false;
    t->is_rerun_wanted = false;     /* the retry makes a whole pass anyway */
    t->has_failed = true;
    if (log_begin(&l, LOG_WARN, "outbox drain failed; will retry")) {
        log_str(&l, "business_id", t->business_id);
        log_str(&l, "step", what);
        log_str(&l, "error", why);
        log_int(&l, "retry_ms", t->backoff_ms);
        log_end(&l);
    }
    struct timeval tv = {t->backoff_ms / 1000, (t->backoff_ms % 1000) * 1000};
    evtimer_add(t->retry_timer, &tv);
    t->backoff_ms = t->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : t->backoff_ms * 2;
}

void drain_pass_done(struct drain_tenant *t)
{
    t->is_running = false;
    t->has_failed = false;
    t->backoff_ms = BACKOFF_MIN_MS;
    if (t->is_rerun_wanted) {
        t->is_rerun_wanted = false;
        start_pass(t);
    } else if (!t->has_left_entries) {
        tenant_forget(t);
    }
}

static void on_retry(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    start_pass(arg);
}

/* ---- asynchronous calls, each through a drain_op ---- */

struct drain_op *drain_op_begin(struct drain_tenant *t)
{
    struct drain_op *op = xmalloc(sizeof *op);
    op->tenant = t;
    t->op = op;
    return op;
}

/* The tenant an answer belongs to, or NULL when the drain is gone; frees op. */
struct drain_tenant *drain_op_end(struct drain_op *op)
{
    struct drain_tenant *t = op->tenant;
    free(op);
    if (t != NULL)
        t->op = NULL;
    return t;
}

/* redis_conn may answer before returning: nothing may touch t after this call. */
static void redis_call(struct drain_tenant *t, redis_reply_fn cb, int argc, const char **argv,
                       const size_t *lens)
{
    redis_conn_command(t->d->redis, REDIS_TIMEOUT_MS, cb, drain_op_begin(t), argc, argv, lens);
}

const char *drain_reply_error(const redisReply *reply)
{
    return reply != NULL && reply->type == REDIS_REPLY_ERROR ? reply->str : "timeout or no connection";
}

/* ---- the chain ---- */

static void on_xlen(const redisReply *reply, enum app_err err, void *arg)
{
    struct drain_tenant *t = drain_op_end(arg);
    if (t == NULL)
        return;
    if (err == APP_OK && reply->type == REDIS_REPLY_INTEGER)
        t->outbox_len = reply->integer;
    drain_read_batch(t);      /* XRANGE tells whether Redis is really there */
}

static void start_pass(struct drain_tenant *t)
{
    t->is_running = true;
    t->has_left_entries = false;
    snprintf(t->cursor, sizeof t->cursor, "-");
    const char *argv[] = {"XLEN", t->key};
    size_t lens[] = {4, strlen(t->key)};
    redis_call(t, on_xlen, 2, argv, lens);
}

/* Compares stream ids "ms-seq" numerically. */
static int stream_id_cmp(const char *a, const char *b)
{
    unsigned long long am = 0, as = 0, bm = 0, bs = 0;
    sscanf(a, "%llu-%llu", &am, &as);
    sscanf(b, "%llu-%llu", &bm, &bs);
    if (am != bm)
        return am < bm ? -1 : 1;
    return as < bs ? -1 : as > bs;
}

/* Logs a refused entry the first time a pass meets it; it stays in the stream until it
 * has been refused OUTBOX_MAX_REFUSALS times. */
void drain_leave_entry(struct drain_tenant *t, const char *id, const char *why)
{
    t->has_left_entries = true;
    if (t->logged_upto[0] != '\0' && stream_id_cmp(id, t->logged_upto) <= 0)
        return;
    snprintf(t->logged_upto, sizeof t->logged_upto, "%s", id);
    t->d->records_invalid++;
    struct log_line l;
    if (log_begin(&l, LOG_WARN, "outbox entry refused; left in the outbox for now")) {
        log_str(&l, "business_id", t->business_id);
        log_str(&l, "entry", id);
        log_str(&l, "error", why);
        log_end(&l);
    }
}

/* Marks entry e refused, its refusal to be counted before the drain goes on. */
void drain_refuse_entry(struct batch_entry *e, const char *why, const char *sqlstate,
                        bool is_undecodable)
{
    e->is_valid = false;
    e->is_refused = true;
    e->is_undecodable = is_undecodable;
    free(e->why);
    e->why = xstrdup(why);
    snprintf(e->sqlstate, sizeof e->sqlstate, "%s", sqlstate ? sqlstate : "");
}

static const redisReply *field_of(const redisReply *fields, const char *name)
{
    for (size_t i = 0; i + 1 < fields->elements; i += 2) {
        const redisReply *k = fields->element[i];
        if (k->type == REDIS_REPLY_STRING && k->len == strlen(name) &&
            memcmp(k->str, name, k->len) == 0 && fields->element[i + 1]->type == REDIS_REPLY_STRING)
            return fields->element[i + 1];
    }
    return NULL;
}

static void decode_entry(struct drain_tenant *t, const redisReply *e, struct batch_entry *out)
{
    char why[256] = "entry is not [id, fields]";
    if (e->type != REDIS_REPLY_ARRAY || e->elements != 2 || e->element[0]->type != REDIS_REPLY_STRING ||
        e->element[0]->len >= STREAM_ID_MAX) {
        drain_leave_entry(t, "?", why);
        return;
    }
    snprintf(out->id, sizeof out->id, "%s", e->element[0]->str);
    const redisReply *fields = e->element[1];
    const redisReply *table = NULL, *key = NULL, *row = NULL;
    if (fields->type == REDIS_REPLY_ARRAY) {
        table = field_of(fields, "table");
        key = field_of(fields, "key");
        row = field_of(fields, "row");
    }
    if (table == NULL || key == NULL || row == NULL)
        snprintf(why, sizeof why, "entry lacks a table, key or row field");
    else if (outbox_values_decode(&out->v, table->str, table->len, key->str, key->len,
                                  row->str, row->len, why, sizeof why) == APP_OK)
        out->is_valid = true;
    if (!out->is_valid)
        drain_refuse_entry(out, why, "", true);
}

static void on_range(const redisReply *reply, enum app_err err, void *arg)
{
    struct drain_tenant *t = drain_op_end(arg);
    if (t == NULL)
        return;
    if (err != APP_OK || reply->type != REDIS_REPLY_ARRAY) {
        drain_pass_failed(t, "XRANGE", drain_reply_error(reply));
        return;
    }
    t->nentries = (int)reply->elements;
    t->entries = xcalloc(reply->elements + 1, sizeof *t->entries);
    for (size_t i = 0; i < reply->elements; i++)
        decode_entry(t, reply->element[i], &t->entries[i]);
    if (t->nentries > 0)
        snprintf(t->cursor, sizeof t->cursor, "(%s", t->entries[t->nentries - 1].id);
    drain_write_batch(t);
}

void drain_read_batch(struct drain_tenant *t)
{
    char count[16];
    snprintf(count, sizeof count, "%d", OUTBOX_DRAIN_BATCH);
    const char *argv[] = {"XRANGE", t->key, t->cursor, "+", "COUNT", count};
    size_t lens[] = {6, strlen(t->key), strlen(t->cursor), 1, 5, strlen(count)};
    redis_call(t, on_range, 6, argv, lens);
}

/* ---- XDEL, only of what COMMIT made durable ---- */

static void on_deleted(const redisReply *reply, enum app_err err, void *arg)
{
    struct drain_tenant *t = drain_op_end(arg);
    if (t == NULL)
        return;
    if (err != APP_OK) {
        /* The rows are committed; the next pass meets them again and DO NOTHING. */
        drain_pass_failed(t, "XDEL", drain_reply_error(reply));
        return;
    }
    drain_delete_committed(t);
}

void drain_delete_committed(struct drain_tenant *t)
{
    const char *argv[2 + XDEL_CHUNK];
    size_t lens[2 + XDEL_CHUNK];
    int argc = 2;
    argv[0] = "XDEL";
    lens[0] = 4;
    argv[1] = t->key;
    lens[1] = strlen(t->key);
    for (int i = 0; i < t->nentries && argc < 2 + XDEL_CHUNK; i++) {
        struct batch_entry *e = &t->entries[i];
        if (!e->is_committed)
            continue;
        e->is_committed = false;
        e->is_valid = false;        /* done with: neither written nor deleted again */
        argv[argc] = e->id;
        lens[argc++] = strlen(e->id);
    }
    if (argc > 2) {
        redis_call(t, on_deleted, argc, argv, lens);
        return;
    }
    if (t->is_one_by_one)
        drain_next_one(t);
    else
        drain_batch_done(t);
}

/* ---- public ---- */

struct outbox_drain *outbox_drain_create(struct event_base *base, struct redis_conn *redis,
                                         struct pg_conn *pg, unsigned shards)
{
    struct outbox_drain *d = xcalloc(1, sizeof *d);
    d->base = base;
    d->redis = redis;
    d->pg = pg;
    d->shards = shards;
    return d;
}

void outbox_drain_free(struct outbox_drain *d)
{
    if (d == NULL)
        return;
    for (size_t b = 0; b < BUCKETS; b++)
        while (d->buckets[b] != NULL) {
            struct drain_tenant *t = d->buckets[b];
            d->buckets[b] = t->next;
            tenant_free(t);
        }
    free(d);
}

long long outbox_drain_length(const struct outbox_drain *d, const char *business_id)
{
    const struct drain_tenant *t = tenant_find(d, business_id);
    return t != NULL ? t->outbox_len : 0;
}

void outbox_drain_longest(const struct outbox_drain *d, long long high_water, long long *longest,
                          unsigned *over)
{
    *longest = 0;
    *over = 0;
    for (size_t b = 0; b < BUCKETS; b++)
        for (const struct drain_tenant *t = d->buckets[b]; t; t = t->next) {
            if (t->outbox_len > *longest)
                *longest = t->outbox_len;
            *over += t->outbox_len >= high_water;
        }
}

void outbox_drain_tenant(struct outbox_drain *d, const char *business_id)
{
    char id[FD_UUID_LEN + 1];
    if (business_id == NULL || !uuid_canonical(business_id, strlen(business_id), id)) {
        log_msg(LOG_ERROR, "outbox drain asked for a business id that is not a UUID",
                "business_id", business_id);
        return;
    }
    struct drain_tenant *t = tenant_get(d, id);
    if (t->is_running)
        t->is_rerun_wanted = true;
    else if (!t->has_failed)       /* a failed tenant waits out its backoff */
        start_pass(t);
}

bool outbox_drain_is_settled(const struct outbox_drain *d, const char *business_id)
{
    char id[FD_UUID_LEN + 1];
    if (business_id == NULL || !uuid_canonical(business_id, strlen(business_id), id))
        return true;
    const struct drain_tenant *t = tenant_find(d, id);
    return t == NULL || (!t->is_running && !t->has_failed && !t->is_rerun_wanted);
}

void outbox_drain_write_metrics(const struct outbox_drain *d, struct evbuffer *out)
{
    long long length = 0, waiting = 0;
    for (size_t b = 0; b < BUCKETS; b++)
        for (const struct drain_tenant *t = d->buckets[b]; t; t = t->next) {
            length += t->outbox_len;
            waiting += t->has_failed;
        }
    metrics_write_counter(out, "frontdesk_outbox_records_written_total",
                          "Outbox records committed to PostgreSQL (re-drained duplicates included).",
                          d->records_written);
    metrics_write_counter(out, "frontdesk_outbox_batches_total",
                          "Outbox transactions committed.", d->batches);
    metrics_write_counter(out, "frontdesk_outbox_drain_failures_total",
                          "Outbox drain passes that failed and were retried.", d->failures);
    metrics_write_counter(out, "frontdesk_outbox_records_invalid_total",
                          "Outbox records refused by the database and left in place to retry "
                          "(each counted once per drain).", d->records_invalid);
    metrics_write_counter(out, "frontdesk_outbox_records_dead_total",
                          "Outbox records moved to the dead outbox (refused too often, or "
                          "outside the whitelist).", d->records_dead);
    metrics_write_gauge(out, "frontdesk_outbox_length",
                        "Outbox entries at the start of the last pass, summed over tenants with work.",
                        length);
    metrics_write_gauge(out, "frontdesk_outbox_tenants_retrying",
                        "Tenants whose last drain failed, waiting to retry.", waiting);
}
