/* lib/store/outbox_drain_internal.h: what the two halves of the outbox drain share:
 * outbox_drain.c runs each tenant's pass (XLEN, XRANGE, XDEL, retries, the public API)
 * and outbox_drain_write.c writes a batch to PostgreSQL and counts what it refused. Not
 * for use outside them. */
#ifndef FD_OUTBOX_DRAIN_INTERNAL_H
#define FD_OUTBOX_DRAIN_INTERNAL_H
#include <stdbool.h>

#include <hiredis/hiredis.h>

#include "store/outbox_drain.h"
#include "store/outbox_record.h"
#include "store/tenant_keys.h"

struct event;

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

/* The step in flight of a tenant's chain: begun before each asynchronous call, ended in
 * its callback, which gets NULL (and returns) when the drain is gone meanwhile. */
struct drain_op *drain_op_begin(struct drain_tenant *t);
struct drain_tenant *drain_op_end(struct drain_op *op);
const char *drain_reply_error(const redisReply *reply);

/* The pass's end: failed (retried with backoff) or done. */
void drain_pass_failed(struct drain_tenant *t, const char *what, const char *why);
void drain_pass_done(struct drain_tenant *t);

/* The chain's steps (outbox_drain.c): the next batch read, what COMMIT made durable
 * deleted from the stream, the batch freed. */
void drain_read_batch(struct drain_tenant *t);
void drain_delete_committed(struct drain_tenant *t);
void drain_free_batch(struct drain_tenant *t);
/* An entry left in the stream (logged once), or marked refused with why and sqlstate. */
void drain_leave_entry(struct drain_tenant *t, const char *id, const char *why);
void drain_refuse_entry(struct batch_entry *e, const char *why, const char *sqlstate,
                        bool is_undecodable);

/* outbox_drain_write.c: the batch's transaction (entry by entry once PostgreSQL refused
 * one), and after the batch the refusals counted, then the next batch or the pass's end. */
void drain_write_batch(struct drain_tenant *t);
void drain_batch_done(struct drain_tenant *t);
/* Entry by entry: the next valid entry's transaction, or the batch done. */
void drain_next_one(struct drain_tenant *t);

#endif
