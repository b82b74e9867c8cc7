/* lib/store/outbox_drain_write.c: a batch of the outbox drain written to PostgreSQL in one
 * transaction of the tenant (one INSERT per table); when PostgreSQL refuses the data, the
 * batch again one entry per transaction, to find the refused ones and write the others;
 * then each refusal counted in Redis (lib/store/outbox_refusal.h), which moves an entry
 * refused too often to the dead outbox. See outbox_drain.c for the pass around it. */
#include <event2/buffer.h>
#include <stdlib.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "store/outbox_drain_internal.h"
#include "store/outbox_insert.h"
#include "store/outbox_refusal.h"
#include "store/pg_conn.h"

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
    struct drain_tenant *t = drain_op_end(arg);
    if (t == NULL)
        return;
    const struct batch_entry *e = &t->entries[t->refusing_index];
    long long refusals = 0;
    char dead_id[STREAM_ID_MAX];
    if (err != APP_OK || !outbox_refusal_read(reply, &refusals, dead_id, sizeof dead_id)) {
        drain_pass_failed(t, "counting a refusal", drain_reply_error(reply));
        return;
    }
    if (dead_id[0] != '\0')
        entry_moved(t, e, refusals, dead_id);
    else if (refusals > 0)          /* 0: gone from the outbox meanwhile */
        drain_leave_entry(t, e->id, e->why);
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
                             REDIS_TIMEOUT_MS, on_refusal_counted, drain_op_begin(t));
        return true;
    }
    return false;
}

/* After the batch's last transaction and XDEL: the next batch, or the end of the pass. */
void drain_batch_done(struct drain_tenant *t)
{
    if (count_refusal(t, drain_batch_done))
        return;
    bool was_full = t->nentries == OUTBOX_DRAIN_BATCH;
    drain_free_batch(t);
    if (was_full)
        drain_read_batch(t);
    else
        drain_pass_done(t);
}

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

void drain_next_one(struct drain_tenant *t)
{
    while (++t->one_index < t->nentries && !t->entries[t->one_index].is_valid)
        ;
    if (t->one_index < t->nentries)
        drain_write_batch(t);
    else
        drain_batch_done(t);
}

static void on_written(PGresult *res, enum app_err err, const char *why, void *arg)
{
    struct drain_tenant *t = drain_op_end(arg);
    if (t == NULL)
        return;
    if (err == APP_OK) {
        t->d->batches++;
        for (int i = 0; i < t->nentries; i++)
            if (is_in_txn(t, i)) {
                t->entries[i].is_committed = true;
                t->d->records_written++;
            }
        drain_delete_committed(t);
    } else if (is_data_error(res) && !t->is_one_by_one && rows_in_txn(t) > 1) {
        t->is_one_by_one = true;    /* find the refused rows; write the others */
        t->one_index = -1;
        drain_next_one(t);
    } else if (is_data_error(res)) {
        int i = t->is_one_by_one ? t->one_index : 0;
        while (!t->is_one_by_one && !is_in_txn(t, i))
            i++;
        drain_refuse_entry(&t->entries[i], why, sqlstate_of(res), false);
        if (t->is_one_by_one)
            drain_next_one(t);
        else
            drain_batch_done(t);
    } else {
        drain_pass_failed(t, "PostgreSQL", why);
    }
}

void drain_write_batch(struct drain_tenant *t)
{
    if (count_refusal(t, drain_write_batch))
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
        drain_batch_done(t);
        return;
    }
    pg_conn_transaction(t->d->pg, t->business_id, stmts, n, PG_TIMEOUT_MS, on_written, drain_op_begin(t));
    for (int i = 0; i < n; i++) {   /* pg_conn copied them */
        evbuffer_free(sql[i]);
        free(params[i]);
    }
}
