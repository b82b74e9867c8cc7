/* workers/reader.c: reads owned tenants' streams. A tenant is read when the api's
 * notification (fd:events) names it, when its in-memory work drops below a quantum, and
 * by a slow poll in case a notification was lost. Each read asks for at most
 * `quantum - inflight` entries, so one tenant's flood never holds more than a quantum
 * of events in this worker, and other tenants' reads and commits interleave with it on
 * the Redis connection: a flood delays another tenant by at most one round.
 *
 * The first read after a claim replays our consumer's pending entries (ID 0): all
 * workers read a tenant as the same consumer, so those are what the previous owner
 * had read and not committed, in stream order. Reads are fenced (lua/worker_read.lua):
 * a stale owner cannot take entries away from the new one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "store/lua_args.h"
#include "store/redis_conn.h"
#include "tenant.h"
#include "worker.h"
#include "core/xalloc.h"

#define POLL_MS 1000
#define REDIS_TIMEOUT_MS 2000

static void start_read(struct tenant *t);

static void field_copy(char *dst, size_t size, const redisReply *v)
{
    size_t n = v->len < size - 1 ? v->len : size - 1;
    memcpy(dst, v->str, n);
    dst[n] = '\0';
}

/* One stream entry [id, [field, value, ...]] as a stream_event; NULL if malformed. */
static struct stream_event *event_from_entry(const redisReply *entry, bool is_replay)
{
    if (entry->type != REDIS_REPLY_ARRAY || entry->elements != 2 ||
        entry->element[0]->type != REDIS_REPLY_STRING)
        return NULL;
    struct stream_event *ev = xcalloc(1, sizeof *ev);
    field_copy(ev->entry_id, sizeof ev->entry_id, entry->element[0]);
    ev->deliveries = is_replay ? 0 : 1;   /* 0: count them before handling */
    const redisReply *fields = entry->element[1];
    if (fields->type != REDIS_REPLY_ARRAY)   /* deleted while pending */
        return ev;
    for (size_t i = 0; i + 1 < fields->elements; i += 2) {
        const redisReply *k = fields->element[i], *v = fields->element[i + 1];
        if (k->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING)
            continue;
        if (strcmp(k->str, "type") == 0)
            field_copy(ev->type, sizeof ev->type, v);
        else if (strcmp(k->str, "eid") == 0)
            field_copy(ev->eid, sizeof ev->eid, v);
        else if (strcmp(k->str, "call") == 0)
            field_copy(ev->call, sizeof ev->call, v);
        else if (strcmp(k->str, "at") == 0)
            field_copy(ev->at, sizeof ev->at, v);
        else if (strcmp(k->str, "body") == 0) {
            ev->body = xmalloc(v->len + 1);
            memcpy(ev->body, v->str, v->len);
            ev->body[v->len] = '\0';
            ev->body_len = v->len;
        }
    }
    return ev;
}

static void on_group_created(const redisReply *reply, enum app_err err, void *arg)
{
    (void)reply;
    (void)err;
    tenant_unref(arg);
}

/* The api creates the consumer group with the stream; a stream made some other way
 * (an operator's XADD, a restore) gets it here, reading from its first entry. */
static void create_group(struct tenant *t)
{
    log_msg(LOG_WARN, "stream had no consumer group; creating it", "business_id", t->id);
    const char *argv[] = {"XGROUP", "CREATE", t->keys.events, FD_CONSUMER_GROUP, "0", "MKSTREAM"};
    size_t len[6];
    for (int i = 0; i < 6; i++)
        len[i] = strlen(argv[i]);
    tenant_ref(t);
    redis_conn_command(t->w->redis, REDIS_TIMEOUT_MS, on_group_created, t, 6, argv, len);
}

static void on_read(const redisReply *reply, enum app_err err, void *arg)
{
    struct tenant *t = arg;
    struct tenant_reading *rd = &t->reading;
    bool was_replay = rd->is_replaying;
    rd->is_reading = false;
    if (!tenant_is_owned(t)) {
        tenant_unref(t);
        return;
    }
    size_t n = 0;
    if (err != APP_OK) {
        t->w->metrics.redis_failures++;
        rd->next_read_ms = worker_mono_ms() + 200;   /* the poll retries soon */
        /* The reply may be lost after Redis delivered entries to us: they are pending
         * now and only a replay finds them, once what we hold is done. */
        rd->is_replaying = true;
        strcpy(rd->replay_after, "0");
        if (reply != NULL && strncmp(reply->str, "FENCED", 6) == 0) {
            log_msg(LOG_WARN, "read refused: lease lost", "business_id", t->id);
            t->w->metrics.fenced++;
            ownership_release(t, "tenant given up: lease lost");   /* as call_steps.c does */
            tenant_unref(t);
            return;
        }
        if (reply != NULL && strstr(reply->str, "NOGROUP") != NULL)
            create_group(t);
        else if (redis_conn_is_ready(t->w->redis))   /* an outage is logged by redis_conn */
            log_msg(LOG_WARN, "stream read failed", "business_id", t->id);
    } else if (reply != NULL && reply->type == REDIS_REPLY_ARRAY && reply->elements == 1) {
        const redisReply *entries = reply->element[0]->element[1];
        n = entries->elements;
        for (size_t i = 0; i < n; i++) {
            struct stream_event *ev = event_from_entry(entries->element[i], was_replay);
            if (ev == NULL)
                continue;
            if (was_replay)
                snprintf(rd->replay_after, sizeof rd->replay_after, "%s", ev->entry_id);
            rd->inflight++;
            call_runner_dispatch(t, ev);
        }
    }
    if (err == APP_OK && was_replay && n == 0)
        rd->is_replaying = false;       /* nothing left from before: read new entries */
    if (err == APP_OK && (n > 0 || was_replay))
        rd->is_wanted = true;           /* there may be more */
    if (rd->is_wanted)
        start_read(t);
    tenant_unref(t);
}

static void start_read(struct tenant *t)
{
    struct worker *w = t->w;
    struct tenant_reading *rd = &t->reading;
    int room = w->wcfg.quantum - rd->inflight;
    if (rd->is_reading || t->lease.mode != TENANT_ACTIVE || room <= 0 ||
        !liveness_holds(w, t->shard, worker_mono_ms()))
        return;   /* (a lapsed liveness: liveness_tick gives the tenant up) */
    if (rd->is_replaying && rd->inflight > 0)
        return;   /* a replay would hand us again what we hold */
    rd->is_wanted = false;
    rd->is_reading = true;
    rd->next_read_ms = worker_mono_ms() + POLL_MS;
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key(&a, t->keys.lease);
    lua_args_key(&a, t->keys.events);
    lua_args_arg(&a, tenant_fence_value(t));
    lua_args_int(&a, room);
    lua_args_arg(&a, rd->is_replaying ? rd->replay_after : ">");
    tenant_ref(t);
    lua_args_send(&a, w->redis, w->read_script, REDIS_TIMEOUT_MS, on_read, t);
}

void reader_want(struct tenant *t)
{
    t->reading.is_wanted = true;
    start_read(t);
}

void reader_event_done(struct tenant *t)
{
    struct tenant_reading *rd = &t->reading;
    rd->inflight--;
    rd->last_activity_ms = worker_mono_ms();
    if (rd->is_wanted || rd->inflight == 0)
        start_read(t);
}

void reader_replay_pending(struct tenant *t)
{
    struct tenant_reading *rd = &t->reading;
    if (rd->inflight > 0 || rd->is_reading || rd->is_replaying)
        return;
    log_msg(LOG_WARN, "pending entries nobody holds; replaying them", "business_id", t->id);
    rd->is_replaying = true;
    strcpy(rd->replay_after, "0");
    reader_want(t);
}

void reader_tick(struct worker *w, long long now_ms)
{
    for (struct tenant *t = w->tenants; t != NULL; t = t->next)
        if (!t->reading.is_reading && now_ms >= t->reading.next_read_ms)
            reader_want(t);
}
