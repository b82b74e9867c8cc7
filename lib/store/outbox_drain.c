/* lib/store/outbox_drain.c: see outbox_drain.h. Workload: a worker owns hundreds of tenants;
 * each finished call adds three to a few dozen records to its tenant's outbox, so a
 * pass is usually one short batch, and after a PostgreSQL outage a tenant may hold
 * thousands of entries, drained 200 to a transaction.
 *
 * Each tenant runs one chain of asynchronous steps (XLEN → XRANGE → transaction →
 * XDEL → XRANGE ...), so it has at most one call in flight, held through a small heap
 * `struct drain_op`: the callbacks of redis_conn and pg_conn always run, even after
 * the drain is freed, and find op->tenant NULL then. */
#include "store/outbox_drain.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <hiredis/hiredis.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/metrics.h"
#include "store/outbox_insert.h"
#include "store/outbox_record.h"
#include "store/outbox_refusal.h"
#include "store/pg_conn.h"
#include "store/redis_conn.h"
#include "store/tenant_keys.h"
#include "core/xalloc.h"

#define REDIS_TIMEOUT_MS 2000
/* Longer than the session's statement_timeout (FRONTDESK_PG_STATEMENT_TIMEOUT_MS, 10 s):
 * a slow statement is cancelled by the server and fails its tenant's pass alone, before
 * this deadline would drop the connection and every tenant's job on it. */
#define PG_TIMEOUT_MS 15000
#define BACKOFF_MIN_MS 200
#define BACKOFF_MAX_MS 5000
#define XDEL_CHUNK 60               /* ids per XDEL: redis_conn takes 64 arguments */
#define BUCKETS 256
#define STREAM_ID_MAX 48

struct batch_entry {
    char id[STREAM_ID_MAX];
    struct outbox_values v;
    bool is_valid;                  /* decoded: to be written */
    bool is_committed;              /* in PostgreSQL: to be deleted */
    bool is_refused;                /* its refusal is still to be counted */
    bool is_undecodable;            /* refused by the whitelist: moved at once */
    char *why;                      /* owned: why it was refused, or NULL */
    char sqlstate[6];               /* of PostgreSQL's refusal; "" for the whitelist */
};

struct drain_tenant {
    struct outbox_drain *d;
    struct drain_tenant *next;      /* bucket chain */
    char business_id[FD_UUID_LEN + 1];
    char key[FD_KEY_MAX];
    bool is_running;                /* a pass is under way */
    bool is_rerun_wanted;
    bool has_failed;                /* the last pass failed; retry_timer is pending */
    int backoff_ms;
    struct event *retry_timer;
    struct drain_op *op;            /* the call in flight, or NULL */
    char cursor[STREAM_ID_MAX + 1]; /* XRANGE start: "-" or "(<last id read>" */
    char logged_upto[STREAM_ID_MAX];/* highest id of a refused entry already logged */
    long long outbox_len;
    struct batch_entry *entries;    /* owned; the current batch */
    int nentries;
    bool is_one_by_one;             /* the batch is retried one entry per transaction */
    int one_index;                  /* that entry */
    bool has_left_entries;          /* this pass left refused entries in the stream */
    int refusing_index;             /* the entry whose refusal is being counted */
    void (*after_refusals)(struct drain_tenant *t);    /* the step that waits for it */
};

struct drain_op {
    struct drain_tenant *tenant;    /* NULL once the drain is gone */
};

struct outbox_drain {
    struct event_base *base;
    struct redis_conn *redis;
    struct pg_conn *pg;
    unsigned shards;
    struct drain_tenant *buckets[BUCKETS];
    unsigned long long records_written, batches, failures, records_invalid, records_dead;
};

static void start_pass(struct drain_tenant *t);
static void read_batch(struct drain_tenant *t);
static void write_batch(struct drain_tenant *t);
static void delete_committed(struct drain_tenant *t);

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

static void free_batch(struct drain_tenant *t)
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
    free_batch(t);
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

static void pass_failed(struct drain_tenant *t, const char *what, const char *why)
{
    struct log_line l;
    t->d->failures++;
    free_batch(t);
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

static void pass_done(struct drain_tenant *t)
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

static struct drain_op *op_begin(struct drain_tenant *t)
{
    struct drain_op *op = xmalloc(sizeof *op);
    op->tenant = t;
    t->op = op;
    return op;
}

/* The tenant an answer belongs to, or NULL when the drain is gone; frees op. */
static struct drain_tenant *op_end(struct drain_op *op)
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
    redis_conn_command(t->d->redis, REDIS_TIMEOUT_MS, cb, op_begin(t), argc, argv, lens);
}

static const char *reply_error(const redisReply *reply)
{
    return reply != NULL && reply->type == REDIS_REPLY_ERROR ? reply->str : "timeout or no connection";
}

/* ---- the chain ---- */

static void on_xlen(const redisReply *reply, enum app_err err, void *arg)
{
    struct drain_tenant *t = op_end(arg);
    if (t == NULL)
        return;
    if (err == APP_OK && reply->type == REDIS_REPLY_INTEGER)
        t->outbox_len = reply->integer;
    read_batch(t);      /* XRANGE tells whether Redis is really there */
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
static void leave_entry(struct drain_tenant *t, const char *id, const char *why)
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
static void refuse_entry(struct batch_entry *e, const char *why, const char *sqlstate,
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
        leave_entry(t, "?", why);
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
        refuse_entry(out, why, "", true);
}

static void on_range(const redisReply *reply, enum app_err err, void *arg)
{
    struct drain_tenant *t = op_end(arg);
    if (t == NULL)
        return;
    if (err != APP_OK || reply->type != REDIS_REPLY_ARRAY) {
        pass_failed(t, "XRANGE", reply_error(reply));
        return;
    }
    t->nentries = (int)reply->elements;
    t->entries = xcalloc(reply->elements + 1, sizeof *t->entries);
    for (size_t i = 0; i < reply->elements; i++)
        decode_entry(t, reply->element[i], &t->entries[i]);
    if (t->nentries > 0)
        snprintf(t->cursor, sizeof t->cursor, "(%s", t->entries[t->nentries - 1].id);
    write_batch(t);
}

static void read_batch(struct drain_tenant *t)
{
    char count[16];
    snprintf(count, sizeof count, "%d", OUTBOX_DRAIN_BATCH);
    const char *argv[] = {"XRANGE", t->key, t->cursor, "+", "COUNT", count};
    size_t lens[] = {6, strlen(t->key), strlen(t->cursor), 1, 5, strlen(count)};
    redis_call(t, on_range, 6, argv, lens);
}

/* ---- refusals, counted in Redis before the drain goes on ---- */

static void entry_moved(struct drain_tenant *t, const struct batch_entry *e, long long refusals,
                        const char *dead_id)
{
    t->d->records_dead++;
    struct log_line l;
    if (log_begin(&l, LOG_ERROR, "outbox entry refused; moved to the dead outbox")) {
        log_str(&l, "business_id", t->business_id);
        log_str(&l, "entry", e->id);
        log_str(&l, "dead_id", dead_id);
        log_int(&l, "refusals", refusals);
        log_str(&l, "sqlstate", e->sqlstate);
        log_str(&l, "error", e->why);
        log_end(&l);
    }
}

static void on_refusal_counted(const redisReply *reply, enum app_err err, void *arg)
{
    struct drain_tenant *t = op_end(arg);
    if (t == NULL)
        return;
    const struct batch_entry *e = &t->entries[t->refusing_index];
    long long refusals = 0;
    char dead_id[STREAM_ID_MAX];
    if (err != APP_OK || !outbox_refusal_read(reply, &refusals, dead_id, sizeof dead_id)) {
        pass_failed(t, "counting a refusal", reply_error(reply));
        return;
    }
    if (dead_id[0] != '\0')
        entry_moved(t, e, refusals, dead_id);
    else if (refusals > 0)          /* 0: gone from the outbox meanwhile */
        leave_entry(t, e->id, e->why);
    t->after_refusals(t);
}

/* Counts the first refusal of the batch not yet counted, then runs then; false when
 * there is none. Nothing may touch t after it returned true. */
static bool count_refusal(struct drain_tenant *t, void (*then)(struct drain_tenant *t))
{
    for (int i = 0; i < t->nentries; i++) {
        struct batch_entry *e = &t->entries[i];
        if (!e->is_refused)
            continue;
        e->is_refused = false;
        t->refusing_index = i;
        t->after_refusals = then;
        outbox_refusal_count(t->d->redis, t->d->shards, t->business_id, e->id, e->why,
                             e->sqlstate, e->is_undecodable ? 1 : OUTBOX_MAX_REFUSALS,
                             REDIS_TIMEOUT_MS, on_refusal_counted, op_begin(t));
        return true;
    }
    return false;
}

/* After the batch's last transaction and XDEL: the next batch, or the end of the pass. */
static void batch_done(struct drain_tenant *t)
{
    if (count_refusal(t, batch_done))
        return;
    bool was_full = t->nentries == OUTBOX_DRAIN_BATCH;
    free_batch(t);
    if (was_full)
        read_batch(t);
    else
        pass_done(t);
}

/* ---- SQL ---- */

/* Whether entry i takes part in the transaction being built or reported. */
static bool is_in_txn(const struct drain_tenant *t, int i)
{
    return t->entries[i].is_valid && !t->entries[i].is_committed &&
           (!t->is_one_by_one || i == t->one_index);
}

/* One INSERT for every entry of table in the transaction; false when there is none.
 * *params_out (owned by the caller) points into the entries. */
static bool build_insert(struct drain_tenant *t, const struct outbox_table *table,
                         struct evbuffer *sql, const char ***params_out, int *nparams)
{
    const struct outbox_values **rows = xcalloc((size_t)t->nentries + 1, sizeof *rows);
    int nrows = 0;
    for (int i = 0; i < t->nentries; i++)
        if (is_in_txn(t, i) && t->entries[i].v.table == table)
            rows[nrows++] = &t->entries[i].v;
    if (nrows > 0)
        *params_out = outbox_insert_build(t->business_id, table, rows, nrows, sql, nparams);
    free(rows);
    return nrows > 0;
}

static const char *sqlstate_of(const PGresult *res)
{
    return res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
}

static bool is_data_error(const PGresult *res)
{
    return outbox_refusal_is_data_error(sqlstate_of(res));
}

static int rows_in_txn(const struct drain_tenant *t)
{
    int n = 0;
    for (int i = 0; i < t->nentries; i++)
        n += is_in_txn(t, i);
    return n;
}

static void next_one(struct drain_tenant *t)
{
    while (++t->one_index < t->nentries && !t->entries[t->one_index].is_valid)
        ;
    if (t->one_index < t->nentries)
        write_batch(t);
    else
        batch_done(t);
}

static void on_written(PGresult *res, enum app_err err, const char *why, void *arg)
{
    struct drain_tenant *t = op_end(arg);
    if (t == NULL)
        return;
    if (err == APP_OK) {
        t->d->batches++;
        for (int i = 0; i < t->nentries; i++)
            if (is_in_txn(t, i)) {
                t->entries[i].is_committed = true;
                t->d->records_written++;
            }
        delete_committed(t);
    } else if (is_data_error(res) && !t->is_one_by_one && rows_in_txn(t) > 1) {
        t->is_one_by_one = true;    /* find the refused rows; write the others */
        t->one_index = -1;
        next_one(t);
    } else if (is_data_error(res)) {
        int i = t->is_one_by_one ? t->one_index : 0;
        while (!t->is_one_by_one && !is_in_txn(t, i))
            i++;
        refuse_entry(&t->entries[i], why, sqlstate_of(res), false);
        if (t->is_one_by_one)
            next_one(t);
        else
            batch_done(t);
    } else {
        pass_failed(t, "PostgreSQL", why);
    }
}

static void write_batch(struct drain_tenant *t)
{
    if (count_refusal(t, write_batch))
        return;
    struct pg_stmt stmts[OUTBOX_MAX_TABLES];
    struct evbuffer *sql[OUTBOX_MAX_TABLES];
    const char **params[OUTBOX_MAX_TABLES];
    const struct outbox_table *table;
    int n = 0;
    for (size_t i = 0; n < OUTBOX_MAX_TABLES && (table = outbox_table_at(i)) != NULL; i++) {
        sql[n] = evbuffer_new();
        if (!build_insert(t, table, sql[n], &params[n], &stmts[n].nparams)) {
            evbuffer_free(sql[n]);
            continue;
        }
        stmts[n].sql = (const char *)evbuffer_pullup(sql[n], -1);
        stmts[n].params = params[n];
        n++;
    }
    if (n == 0) {
        batch_done(t);
        return;
    }
    pg_conn_transaction(t->d->pg, t->business_id, stmts, n, PG_TIMEOUT_MS, on_written, op_begin(t));
    for (int i = 0; i < n; i++) {   /* pg_conn copied them */
        evbuffer_free(sql[i]);
        free(params[i]);
    }
}

/* ---- XDEL, only of what COMMIT made durable ---- */

static void on_deleted(const redisReply *reply, enum app_err err, void *arg)
{
    struct drain_tenant *t = op_end(arg);
    if (t == NULL)
        return;
    if (err != APP_OK) {
        /* The rows are committed; the next pass meets them again and DO NOTHING. */
        pass_failed(t, "XDEL", reply_error(reply));
        return;
    }
    delete_committed(t);
}

static void delete_committed(struct drain_tenant *t)
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
        next_one(t);
    else
        batch_done(t);
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
