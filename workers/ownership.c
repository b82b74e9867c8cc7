/* workers/ownership.c: which tenants this worker owns. Heartbeat in fd:workers; a
 * survey of the shards every few seconds gives the fair share (owned plus ready
 * tenants, divided by live workers); below it the worker claims ready tenants, above it
 * it hands the surplus over, once per survey. A lease stands while its holder is alive in the shard (liveness.c), so
 * nothing here is renewed per tenant; a lease found lost stops the tenant at once.
 *
 * Workload: tens to thousands of tenants per worker; every command here runs on a
 * timer, a few hundred Redis commands per second at most, independent of traffic. */
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "store/lua_args.h"
#include "store/lua_scripts.h"
#include "store/outbox_drain.h"
#include "store/redis_failure.h"
#include "store/redis_conn.h"
#include "tenant.h"
#include "worker.h"
#include "core/xalloc.h"

#define HEARTBEAT_MS 1000
#define SURVEY_MS 2000
#define SCAN_MS 500
#define WORKER_ALIVE_MS 5000
#define REDIS_TIMEOUT_MS 2000
#define TRIM_EVERY_MS 60000
#define STARVING_MS 1000
#define CANDIDATE_WAIT_MS 200
#define TRIM_KEEP_MS 3600000

struct tenant *worker_find_tenant(struct worker *w, const char *business_id)
{
    for (struct tenant *t = w->tenants; t != NULL; t = t->next)
        if (strcmp(t->id, business_id) == 0)
            return t;
    return NULL;
}

static void on_ignored(const redisReply *reply, enum app_err err, void *arg);

/* ---- claiming ---- */

struct claim_op {
    struct worker *w;
    char id[FD_UUID_LEN + 1];
};

static void on_acquired(const redisReply *reply, enum app_err err, void *arg)
{
    struct claim_op *op = arg;
    struct worker *w = op->w;
    w->claiming--;
    if (err != APP_OK || reply == NULL || reply->type != REDIS_REPLY_STRING ||
        w->is_draining || worker_find_tenant(w, op->id) != NULL) {
        free(op);
        return;
    }
    struct tenant *t = xcalloc(1, sizeof *t);
    t->w = w;
    memcpy(t->id, op->id, sizeof t->id);
    snprintf(t->lease.value, sizeof t->lease.value, "%.*s", (int)reply->len, reply->str);
    t->shard = tenant_shard(t->id, (unsigned)w->cfg.shards);
    tenant_keys_make(&t->keys, t->id, (unsigned)w->cfg.shards);
    t->lease.mode = TENANT_ACTIVE;
    t->refs = 1;
    t->reading.is_replaying = true;  /* first replay what a previous owner left pending */
    t->sms.has_waiting = true;       /* ... and send what it left unsent */
    strcpy(t->reading.replay_after, "0");
    t->reading.last_activity_ms = worker_mono_ms();
    t->lease.last_trim_ms = t->reading.last_activity_ms;
    t->next = w->tenants;
    w->tenants = t;
    w->owned++;
    w->metrics.leases_acquired++;
    log_msg(LOG_INFO, "tenant acquired", "business_id", t->id);
    agent_cache_ensure(t);
    call_runner_load_timers(t);
    reader_want(t);
    free(op);
}

/* A notification named a tenant nobody here owns. Under the fair share it is claimed at
 * once; at the share, after CANDIDATE_WAIT_MS if it is still unowned (every worker may
 * try; the acquire script lets one win), so a new caller is not left waiting for the
 * next survey to grow the share. */
void ownership_note_unowned(struct worker *w, const char *business_id)
{
    if (w->owned + w->claiming < w->fair_share) {
        ownership_try_claim(w, business_id);
        return;
    }
    for (int i = 0; i < w->ncandidates; i++)
        if (strcmp(w->candidates[i].id, business_id) == 0)
            return;
    if (w->ncandidates == WORKER_MAX_CANDIDATES)
        return;   /* the starvation scan finds the rest */
    struct candidate *c = &w->candidates[w->ncandidates++];
    snprintf(c->id, sizeof c->id, "%.36s", business_id);
    c->since_ms = worker_mono_ms();
}

static void claim_candidates(struct worker *w, long long now_ms)
{
    int kept = 0;
    for (int i = 0; i < w->ncandidates; i++) {
        struct candidate *c = &w->candidates[i];
        if (now_ms - c->since_ms < CANDIDATE_WAIT_MS) {
            w->candidates[kept++] = *c;
            continue;
        }
        if (worker_find_tenant(w, c->id) == NULL && !w->is_draining) {
            int saved = w->fair_share;
            w->fair_share = w->owned + w->claiming + 1;
            ownership_try_claim(w, c->id);
            w->fair_share = saved;
        }
    }
    w->ncandidates = kept;
}

void ownership_try_claim(struct worker *w, const char *business_id)
{
    char canon[FD_UUID_LEN + 1];
    if (w->is_draining || w->owned + w->claiming >= w->fair_share ||
        !uuid_canonical(business_id, strlen(business_id), canon) ||
        worker_find_tenant(w, canon) != NULL)
        return;
    /* Redis may hold us alive in the shard while our own certainty lapsed (its answers
     * were late): a tenant taken now would be given up again at the next tick. */
    if (!liveness_holds(w, tenant_shard(canon, (unsigned)w->cfg.shards), worker_mono_ms()))
        return;
    struct claim_op *op = xcalloc(1, sizeof *op);
    op->w = w;
    memcpy(op->id, canon, sizeof op->id);
    w->claiming++;
    struct tenant_keys keys;
    tenant_keys_make(&keys, canon, (unsigned)w->cfg.shards);
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key(&a, keys.lease);
    lua_args_key(&a, keys.epoch);
    lua_args_key(&a, keys.owned);
    lua_args_key(&a, keys.ready);
    lua_args_key(&a, keys.alive);
    lua_args_key(&a, keys.owners);
    lua_args_arg(&a, canon);
    lua_args_arg(&a, w->wcfg.worker_id);
    lua_args_arg(&a, w->boot_nonce);
    lua_args_send(&a, w->redis, w->acquire_script, REDIS_TIMEOUT_MS, on_acquired, op);
}

static void on_ready_scanned(const redisReply *reply, enum app_err err, void *arg)
{
    struct worker *w = arg;
    if (err != APP_OK || reply == NULL || reply->type != REDIS_REPLY_ARRAY)
        return;
    for (size_t i = 0; i < reply->elements; i++)
        if (reply->element[i]->type == REDIS_REPLY_STRING)
            ownership_try_claim(w, reply->element[i]->str);
}

/* Tenants that waited past STARVING_MS are claimed even above the fair share: the
 * share lags behind reality (a worker just stopped, a survey is due), and a caller must
 * not wait for the arithmetic to catch up. Shedding evens it out afterwards. */
static void on_starving_scanned(const redisReply *reply, enum app_err err, void *arg)
{
    struct worker *w = arg;
    if (err != APP_OK || reply == NULL || reply->type != REDIS_REPLY_ARRAY || reply->elements == 0)
        return;
    int saved = w->fair_share;
    w->fair_share = w->owned + w->claiming + (int)reply->elements;
    for (size_t i = 0; i < reply->elements; i++)
        if (reply->element[i]->type == REDIS_REPLY_STRING)
            ownership_try_claim(w, reply->element[i]->str);
    w->fair_share = saved;
}

static void scan_ready(struct worker *w, long long now_ms)
{
    char key[FD_KEY_MAX], max[24];
    bool is_full = w->owned >= w->fair_share;
    snprintf(max, sizeof max, "%lld", is_full ? now_ms - STARVING_MS : now_ms);
    for (unsigned s = 0; s < (unsigned)w->cfg.shards; s++) {
        shard_ready_key(key, s);
        const char *argv[] = {"ZRANGEBYSCORE", key, "-inf", max, "LIMIT", "0", is_full ? "2" : "16"};
        size_t len[7];
        for (int i = 0; i < 7; i++)
            len[i] = strlen(argv[i]);
        redis_conn_command(w->redis, REDIS_TIMEOUT_MS, is_full ? on_starving_scanned : on_ready_scanned,
                           w, 7, argv, len);
    }
}

/* ---- leases ---- */

static void send_release(struct tenant *t);

static void on_released(const redisReply *reply, enum app_err err, void *arg)
{
    struct tenant *t = arg;
    struct worker *w = t->w;
    if (err != APP_OK && redis_failure_is_transient(reply) && !w->is_draining) {
        /* Unanswered, the lease may still name us, and a lease naming a live worker is
         * nobody else's to take while we no longer act on it: the business would stand
         * still for as long as we live. Sent again until Redis answers (the lease value
         * fences it: a tenant taken again since is left be). A stopping worker leaves
         * the shards instead, which frees its leases. */
        t->next_unreleased = w->unreleased;
        w->unreleased = t;
        return;     /* with its reference */
    }
    w->metrics.leases_released++;
    tenant_unref(t);
}

/* t's release script, for t no longer owned; t's reference goes with it. */
static void send_release(struct tenant *t)
{
    struct lua_args a;
    lua_args_init(&a);
    const char *keys[] = {t->keys.lease, t->keys.owned, t->keys.ready, t->keys.events,
                          t->keys.timers, t->keys.outbox, t->keys.sms, t->keys.sms_later,
                          t->keys.owners};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        lua_args_key(&a, keys[i]);
    lua_args_arg(&a, t->id);
    lua_args_arg(&a, t->lease.value);
    lua_args_arg(&a, t->lease.is_handover ? "handover" : "");
    lua_args_arg(&a, "fd:events");
    lua_args_send(&a, t->w->redis, t->w->release_script, REDIS_TIMEOUT_MS, on_released, t);
}

static void resend_releases(struct worker *w)
{
    if (w->unreleased == NULL || !redis_conn_is_ready(w->redis))
        return;
    struct tenant *list = w->unreleased;
    w->unreleased = NULL;
    while (list != NULL) {
        struct tenant *t = list;
        list = t->next_unreleased;
        send_release(t);
    }
}

void ownership_free_unreleased(struct worker *w)
{
    while (w->unreleased != NULL) {
        struct tenant *t = w->unreleased;
        w->unreleased = t->next_unreleased;
        tenant_unref(t);
    }
}

/* Gives t up; a handover (shed to rebalance) leaves it ready for another worker to take
 * at once (lua/worker_release.lua says why). */
static void release(struct tenant *t, const char *why, bool is_handover)
{
    if (!tenant_is_owned(t))
        return;     /* given up already */
    log_msg(LOG_INFO, why, "business_id", t->id);
    t->lease.is_handover = is_handover;
    tenant_ref(t);
    send_release(t);
    tenant_drop(t);
}

void ownership_release(struct tenant *t, const char *why)
{
    release(t, why, false);
}

void ownership_release_all(struct worker *w)
{
    while (w->tenants != NULL)
        ownership_release(w->tenants, "tenant released: shutting down");
}

static void trim(struct tenant *t)
{
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key(&a, t->keys.events);
    lua_args_int(&a, TRIM_KEEP_MS);
    lua_args_send(&a, t->w->redis, lua_script_find("worker_trim"), REDIS_TIMEOUT_MS, on_ignored,
                  NULL);
}

/* Stopping: drop out of the live workers at once, so that the others' fair share
 * grows now rather than when our heartbeat ages out. */
void ownership_leave(struct worker *w)
{
    const char *argv[] = {"ZREM", FD_WORKERS_KEY, w->wcfg.worker_id};
    size_t len[] = {4, strlen(FD_WORKERS_KEY), strlen(w->wcfg.worker_id)};
    redis_conn_command(w->redis, REDIS_TIMEOUT_MS, on_ignored, NULL, 3, argv, len);
}

/* Nothing in hand, no live call, no text waiting for its time (workers/sms_sender.c),
 * and every record it produced is in PostgreSQL. */
static bool is_idle(const struct tenant *t)
{
    const struct tenant_reading *rd = &t->reading;
    return rd->inflight == 0 && !rd->is_reading && !call_runner_has_live_calls(t) && t->sms.later == 0 &&
           outbox_drain_is_settled(t->w->drain, t->id);
}

static void tend_tenants(struct worker *w, long long now_ms)
{
    struct tenant *next;
    for (struct tenant *t = w->tenants; t != NULL; t = next) {
        next = t->next;
        /* a shed tenant goes once no event is in hand; its live calls continue with
         * the next owner, from their state and timers in Redis */
        const struct tenant_reading *rd = &t->reading;
        if (t->lease.mode == TENANT_SHEDDING && rd->inflight - rd->parked == 0 && !rd->is_reading) {
            release(t, "tenant shed to rebalance", true);
            continue;
        }
        if (is_idle(t) && now_ms - t->reading.last_activity_ms > w->wcfg.idle_release_ms) {
            ownership_release(t, "tenant released: idle");
            continue;
        }
        if (now_ms - t->lease.last_trim_ms >= TRIM_EVERY_MS) {
            t->lease.last_trim_ms = now_ms;
            trim(t);
        }
    }
}

/* ---- heartbeat, survey ---- */

static void on_ignored(const redisReply *reply, enum app_err err, void *arg)
{
    (void)reply;
    (void)arg;
    (void)err;
}

static void heartbeat(struct worker *w, long long wall_ms)
{
    char now[24], stale[24];
    snprintf(now, sizeof now, "%lld", wall_ms);
    snprintf(stale, sizeof stale, "%lld", wall_ms - 60000);
    const char *zadd[] = {"ZADD", FD_WORKERS_KEY, now, w->wcfg.worker_id};
    size_t zlen[] = {4, strlen(FD_WORKERS_KEY), strlen(now), strlen(w->wcfg.worker_id)};
    redis_conn_command(w->redis, REDIS_TIMEOUT_MS, on_ignored, NULL, 4, zadd, zlen);
    const char *prune[] = {"ZREMRANGEBYSCORE", FD_WORKERS_KEY, "-inf", stale};
    size_t plen[] = {16, strlen(FD_WORKERS_KEY), 4, strlen(stale)};
    redis_conn_command(w->redis, REDIS_TIMEOUT_MS, on_ignored, NULL, 4, prune, plen);
}

struct survey {
    struct worker *w;
    int replies_left;
    long long tenants;          /* owned + ready, over all shards */
    long long ready;
    long long oldest_ready_ms;
    long long events_waiting;   /* undelivered entries of owned tenants */
    int live_workers;
};

static void survey_finish(struct survey *s);

struct lag_op {
    struct survey *s;
    struct tenant *t;
};

/* One owned tenant's group: its lag counts into the backlog gauge; pending entries
 * while we hold none were lost on the way to us and are replayed. */
static void on_survey_lag(const redisReply *reply, enum app_err err, void *arg)
{
    struct lag_op *op = arg;
    struct survey *s = op->s;
    if (err == APP_OK && reply != NULL && reply->type == REDIS_REPLY_ARRAY) {
        for (size_t g = 0; g < reply->elements; g++) {
            const redisReply *f = reply->element[g];
            for (size_t i = 0; i + 1 < f->elements; i += 2) {
                const redisReply *k = f->element[i], *v = f->element[i + 1];
                if (v->type != REDIS_REPLY_INTEGER)
                    continue;
                if (strcmp(k->str, "lag") == 0)
                    s->events_waiting += v->integer;
                else if (strcmp(k->str, "pending") == 0 && v->integer > 0 &&
                         tenant_is_owned(op->t) && op->t->reading.inflight == 0)
                    reader_replay_pending(op->t);
            }
        }
    }
    tenant_unref(op->t);
    free(op);
    if (--s->replies_left == 0)
        survey_finish(s);
}

/* Right after a survey, and only then, the tenants above the share are handed over:
 * between surveys the share lags behind claims (a burst of new tenants, claimed above it
 * so that no caller waits), and shedding against a stale share would throw tenants back
 * and forth between workers several times a second. */
static void shed_excess(struct worker *w)
{
    int excess = w->owned - w->fair_share;      /* the share has a margin of one already */
    for (struct tenant *t = w->tenants; t != NULL && excess > 0; t = t->next)
        if (t->lease.mode == TENANT_ACTIVE) {
            t->lease.mode = TENANT_SHEDDING;   /* stop reading; handed over once quiet */
            excess--;
        }
}

static void survey_finish(struct survey *s)
{
    s->w->backlog_events = s->events_waiting;
    struct worker *w = s->w;
    int live = s->live_workers > 0 ? s->live_workers : 1;
    w->live_workers = live;
    long long share = (s->tenants + live - 1) / live;
    w->fair_share = (int)(share < 1 ? 1 : share) + 1;
    w->backlog_tenants = s->ready;
    w->oldest_wait_ms = s->oldest_ready_ms > 0 ? worker_now_ms() - s->oldest_ready_ms : 0;
    free(s);
    shed_excess(w);
}

static void on_survey_shard(const redisReply *reply, enum app_err err, void *arg)
{
    struct survey *s = arg;
    if (err == APP_OK && reply != NULL && reply->type == REDIS_REPLY_ARRAY && reply->elements == 3) {
        s->tenants += reply->element[0]->integer + reply->element[1]->integer;
        s->ready += reply->element[1]->integer;
        long long oldest = reply->element[2]->integer;
        if (oldest > 0 && (s->oldest_ready_ms == 0 || oldest < s->oldest_ready_ms))
            s->oldest_ready_ms = oldest;
    }
    if (--s->replies_left == 0)
        survey_finish(s);
}

static void on_survey_workers(const redisReply *reply, enum app_err err, void *arg)
{
    struct survey *s = arg;
    if (err == APP_OK && reply != NULL && reply->type == REDIS_REPLY_INTEGER)
        s->live_workers = (int)reply->integer;
    if (--s->replies_left == 0)
        survey_finish(s);
}

static void survey(struct worker *w, long long wall_ms)
{
    struct survey *s = xcalloc(1, sizeof *s);
    s->w = w;
    s->replies_left = w->cfg.shards + 1 + w->owned;
    for (struct tenant *t = w->tenants; t != NULL; t = t->next) {
        const char *xinfo[] = {"XINFO", "GROUPS", t->keys.events};
        size_t xl[] = {5, 6, strlen(t->keys.events)};
        struct lag_op *op = xcalloc(1, sizeof *op);
        op->s = s;
        op->t = t;
        tenant_ref(t);
        redis_conn_command(w->redis, REDIS_TIMEOUT_MS, on_survey_lag, op, 3, xinfo, xl);
    }
    char since[24];
    snprintf(since, sizeof since, "%lld", wall_ms - WORKER_ALIVE_MS);
    const char *zc[] = {"ZCOUNT", FD_WORKERS_KEY, since, "+inf"};
    size_t zl[] = {6, strlen(FD_WORKERS_KEY), strlen(since), 4};
    redis_conn_command(w->redis, REDIS_TIMEOUT_MS, on_survey_workers, s, 4, zc, zl);
    const struct lua_script *script = lua_script_find("worker_survey");
    for (unsigned shard = 0; shard < (unsigned)w->cfg.shards; shard++) {
        char owned[FD_KEY_MAX], ready[FD_KEY_MAX];
        snprintf(owned, sizeof owned, "fd:{s%03u}:owned", shard);
        shard_ready_key(ready, shard);
        struct lua_args a;
        lua_args_init(&a);
        lua_args_key(&a, owned);
        lua_args_key(&a, ready);
        lua_args_send(&a, w->redis, script, REDIS_TIMEOUT_MS, on_survey_shard, s);
    }
}

void ownership_tick(struct worker *w, long long now_ms)
{
    long long wall = worker_now_ms();
    if (now_ms - w->last_heartbeat_ms >= HEARTBEAT_MS) {
        w->last_heartbeat_ms = now_ms;
        heartbeat(w, wall);
    }
    if (now_ms - w->last_survey_ms >= SURVEY_MS) {
        w->last_survey_ms = now_ms;
        survey(w, wall);
    }
    tend_tenants(w, now_ms);
    resend_releases(w);
    claim_candidates(w, now_ms);
    if (!w->is_draining && now_ms - w->last_scan_ms >= SCAN_MS) {
        w->last_scan_ms = now_ms;
        scan_ready(w, wall);
    }
}
