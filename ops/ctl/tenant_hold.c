/* ops/ctl/tenant_hold.c: see tenant_hold.h. */
#include "tenant_hold.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ctl.h"
#include "store/lua_scripts.h"

#define WAIT_STEP_MS 500

redisReply *ctl_run_script(redisContext *rc, struct lua_args *a, const char *name)
{
    const char **argv;
    char why[256];
    int argc = lua_args_command(a, lua_script_find(name), false, &argv, NULL);
    redisReply *reply = ctl_redis_command(rc, argc, argv, why, sizeof why);
    if (reply == NULL)
        ctl_fail("%s: %s", name, why);
    return reply;
}

static void shard_key(char out[FD_KEY_MAX], const struct tenant_hold *h, const char *what)
{
    snprintf(out, FD_KEY_MAX, "fd:{s%03u}:%s", tenant_shard(h->id, h->shards), what);
}

/* A lease stands only while its holder is alive in the shard (lua/worker_alive.lua). */
bool tenant_hold_keep(struct tenant_hold *h)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long now_ms = (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
    if (h->alive_at_ms != 0 && now_ms - h->alive_at_ms < TENANT_HOLD_LIVENESS_MS / 6)
        return true;
    char alive[FD_KEY_MAX], owners[FD_KEY_MAX], owned[FD_KEY_MAX], ready[FD_KEY_MAX];
    shard_key(alive, h, "alive");
    shard_key(owners, h, "owners");
    shard_key(owned, h, "owned");
    shard_ready_key(ready, tenant_shard(h->id, h->shards));
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key(&a, alive);
    lua_args_key(&a, owners);
    lua_args_key(&a, owned);
    lua_args_key(&a, ready);
    lua_args_arg(&a, h->worker_id);
    lua_args_arg(&a, h->nonce);
    lua_args_int(&a, TENANT_HOLD_LIVENESS_MS);
    lua_args_arg(&a, "fd:events");
    redisReply *reply = ctl_run_script(h->rc, &a, "worker_alive");
    if (reply == NULL)
        return false;
    freeReplyObject(reply);
    h->alive_at_ms = now_ms;
    return true;
}

/* Takes the business's lease, waiting up to wait_s for a worker to let it go. */
bool tenant_hold_take(struct tenant_hold *h, int wait_s)
{
    char epoch[FD_KEY_MAX], owned[FD_KEY_MAX], ready[FD_KEY_MAX], alive[FD_KEY_MAX],
        owners[FD_KEY_MAX];
    tenant_key(epoch, h->id, h->shards, "epoch");
    shard_key(owned, h, "owned");
    shard_ready_key(ready, tenant_shard(h->id, h->shards));
    shard_key(alive, h, "alive");
    shard_key(owners, h, "owners");
    for (long waited_ms = 0;; waited_ms += WAIT_STEP_MS) {
        if (!tenant_hold_keep(h))
            return false;
        struct lua_args a;
        lua_args_init(&a);
        lua_args_key(&a, h->lease);
        lua_args_key(&a, epoch);
        lua_args_key(&a, owned);
        lua_args_key(&a, ready);
        lua_args_key(&a, alive);
        lua_args_key(&a, owners);
        lua_args_arg(&a, h->id);
        lua_args_arg(&a, h->worker_id);
        lua_args_arg(&a, h->nonce);
        redisReply *reply = ctl_run_script(h->rc, &a, "worker_acquire");
        if (reply == NULL)
            return false;
        bool is_ours = reply->type == REDIS_REPLY_STRING;
        if (is_ours)
            snprintf(h->lease_value, sizeof h->lease_value, "%s", reply->str);
        freeReplyObject(reply);
        if (is_ours)
            return true;
        if (waited_ms >= (long)wait_s * 1000) {
            ctl_fail("a worker owns business %s: nothing changed; run this again once it lets "
                     "go (an idle business after FRONTDESK_IDLE_RELEASE_MS), or with a longer "
                     "--wait", h->id);
            return false;
        }
        if (waited_ms == 0)
            fprintf(stderr, "a worker owns business %s; waiting up to %d s for it to let go\n",
                    h->id, wait_s);
        struct timespec pause = {0, WAIT_STEP_MS * 1000000L};
        nanosleep(&pause, NULL);
    }
}

/* Gives the lease back (the business is marked ready if events came meanwhile) and
 * leaves the shard's live workers. */
void tenant_hold_release(struct tenant_hold *h)
{
    static const char *const suffixes[] = {"events", "timers", "outbox", "sms", "sms_later"};
    char keys[8][FD_KEY_MAX];
    shard_key(keys[0], h, "owned");
    shard_ready_key(keys[1], tenant_shard(h->id, h->shards));
    for (int i = 0; i < 5; i++)
        tenant_key(keys[2 + i], h->id, h->shards, suffixes[i]);
    shard_key(keys[7], h, "owners");
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key(&a, h->lease);
    for (int i = 0; i < 8; i++)
        lua_args_key(&a, keys[i]);
    lua_args_arg(&a, h->id);
    lua_args_arg(&a, h->lease_value);
    redisReply *reply = h->lease_value[0] ? ctl_run_script(h->rc, &a, "worker_release") : NULL;
    if (reply != NULL)
        freeReplyObject(reply);
    if (h->alive_at_ms == 0)
        return;
    char alive[FD_KEY_MAX], why[256];
    shard_key(alive, h, "alive");
    const char *argv[] = {"HDEL", alive, h->worker_id};
    reply = ctl_redis_command(h->rc, 3, argv, why, sizeof why);
    if (reply != NULL)
        freeReplyObject(reply);
}

void tenant_hold_init(struct tenant_hold *h, redisContext *rc, const char *id, unsigned shards,
                      const char *prefix)
{
    memset(h, 0, sizeof *h);
    h->rc = rc;
    h->shards = shards;
    snprintf(h->id, sizeof h->id, "%s", id);
    tenant_key(h->lease, id, shards, "lease");
    char random[FD_UUID_LEN + 1];
    uuid_generate(random);
    snprintf(h->worker_id, sizeof h->worker_id, "%s%.8s", prefix, random);
    uuid_generate(h->nonce);
}
