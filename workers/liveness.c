/* workers/liveness.c: this worker's liveness in each shard, which its tenant leases hang
 * on. Every quarter of FRONTDESK_LIVENESS_MS (1 s) one worker_alive.lua per shard
 * renews it and frees the tenants of any worker whose liveness lapsed there, offering
 * them at once (ready set and fd:events). So a killed worker's tenants are claimed about
 * a second after it died, and renewal costs one call per shard, however many tenants.
 *
 * A worker that cannot be sure of its own liveness (the loop stalled, the process was
 * paused, Redis did not answer) gives its tenants in that shard up before reading more:
 * another worker may own them already, and the fenced scripts refuse it anyway once the
 * lease names someone else.
 *
 * Workload: shards x 4 script calls a second (256 at the default 64 shards). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "store/lua_args.h"
#include "store/redis_conn.h"
#include "tenant.h"
#include "worker.h"

#define REDIS_TIMEOUT_MS 2000

struct alive_op {
    struct worker *w;
    unsigned shard;
    long long sent_ms;
};

static void give_up_shard(struct worker *w, unsigned shard, const char *why)
{
    struct tenant *next;
    for (struct tenant *t = w->tenants; t != NULL; t = next) {
        next = t->next;
        if (t->shard == shard) {
            w->metrics.leases_lost++;
            ownership_release(t, why);
        }
    }
}

static void on_alive(const redisReply *reply, enum app_err err, void *arg)
{
    struct alive_op *op = arg;
    struct worker *w = op->w;
    if (err != APP_OK || reply == NULL || reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 ||
        reply->element[0]->type != REDIS_REPLY_INTEGER || reply->element[1]->type != REDIS_REPLY_INTEGER) {
        free(op);   /* the guard in liveness_tick gives the shard up if this goes on */
        return;
    }
    if (reply->element[0]->integer == 0)   /* our leases here were freed */
        give_up_shard(w, op->shard, "lease lost: liveness lapsed");
    /* Redis set our expiry after we sent, from its own clock; an eighth is kept for
     * clocks that run at slightly different rates */
    long long until = op->sent_ms + w->wcfg.liveness_ms - w->wcfg.liveness_ms / 8;
    if (until > w->alive_until_ms[op->shard])
        w->alive_until_ms[op->shard] = until;
    struct log_line l;
    if (reply->element[1]->integer > 0 && log_begin(&l, LOG_WARN, "tenants of a dead worker freed")) {
        log_int(&l, "shard", op->shard);
        log_int(&l, "tenants", reply->element[1]->integer);
        log_end(&l);
    }
    free(op);
}

static void renew_shard(struct worker *w, unsigned shard, long long now_ms)
{
    char alive[FD_KEY_MAX], owners[FD_KEY_MAX], owned[FD_KEY_MAX], ready[FD_KEY_MAX];
    snprintf(alive, sizeof alive, "fd:{s%03u}:alive", shard);
    snprintf(owners, sizeof owners, "fd:{s%03u}:owners", shard);
    snprintf(owned, sizeof owned, "fd:{s%03u}:owned", shard);
    shard_ready_key(ready, shard);
    struct alive_op *op = xcalloc(1, sizeof *op);
    op->w = w;
    op->shard = shard;
    op->sent_ms = now_ms;
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key(&a, alive);
    lua_args_key(&a, owners);
    lua_args_key(&a, owned);
    lua_args_key(&a, ready);
    lua_args_arg(&a, w->wcfg.worker_id);
    lua_args_arg(&a, w->boot_nonce);
    lua_args_int(&a, w->wcfg.liveness_ms);
    lua_args_arg(&a, "fd:events");
    lua_args_send(&a, w->redis, w->alive_script, REDIS_TIMEOUT_MS, on_alive, op);
}

bool liveness_holds(const struct worker *w, unsigned shard, long long now_ms)
{
    return now_ms < w->alive_until_ms[shard];
}

void liveness_tick(struct worker *w, long long now_ms)
{
    /* first, before anything else this tick can send: after a pause the loop may run
     * this tick before it sees any reply, and our tenants may be someone else's now */
    bool is_lapsed = true;
    while (is_lapsed) {     /* each pass empties one shard, so the list is walked afresh */
        is_lapsed = false;
        for (struct tenant *t = w->tenants; t != NULL && !is_lapsed; t = t->next) {
            if (!liveness_holds(w, t->shard, now_ms)) {
                give_up_shard(w, t->shard, "lease lost: liveness not renewed in time");
                is_lapsed = true;
            }
        }
    }
    if (w->has_left || (w->last_alive_ms != 0 && now_ms - w->last_alive_ms < w->wcfg.liveness_ms / 4))
        return;
    w->last_alive_ms = now_ms;
    for (unsigned s = 0; s < (unsigned)w->cfg.shards; s++)
        renew_shard(w, s, now_ms);
}

static void on_left(const redisReply *reply, enum app_err err, void *arg)
{
    (void)reply;
    (void)err;
    (void)arg;
}

/* The others need not wait for our liveness to lapse: our leases are released already. */
void liveness_leave(struct worker *w)
{
    char alive[FD_KEY_MAX];
    w->has_left = true;
    for (unsigned s = 0; s < (unsigned)w->cfg.shards; s++) {
        snprintf(alive, sizeof alive, "fd:{s%03u}:alive", s);
        const char *argv[] = {"HDEL", alive, w->wcfg.worker_id};
        size_t len[] = {4, strlen(alive), strlen(w->wcfg.worker_id)};
        redis_conn_command(w->redis, REDIS_TIMEOUT_MS, on_left, NULL, 3, argv, len);
    }
}
