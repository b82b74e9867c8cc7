/* ops/ctl/tenant_hold.h: an operator's command holding a business the way a worker does,
 * so that no worker changes its state meanwhile (ops/ctl/bookings_rebuild.c): alive in
 * the business's shard (lua/worker_alive.lua) under a worker id of its own, then its
 * lease (lua/worker_acquire.lua), given back with lua/worker_release.lua, which marks the
 * business ready again if events came meanwhile. A holder killed midway holds the
 * business until its liveness lapses (TENANT_HOLD_LIVENESS_MS); then any worker's
 * liveness check frees it, as a dead worker's. */
#ifndef FD_CTL_TENANT_HOLD_H
#define FD_CTL_TENANT_HOLD_H
#include <stdbool.h>

#include <hiredis.h>

#include "store/lua_args.h"
#include "store/tenant_keys.h"

/* How long the holder stays alive in the shard after each renewal. */
#define TENANT_HOLD_LIVENESS_MS 60000

struct tenant_hold {
    redisContext *rc;                   /* borrowed */
    char id[FD_UUID_LEN + 1];           /* the business */
    unsigned shards;
    char lease[FD_KEY_MAX];             /* its lease key: fenced scripts take it as KEYS[1] */
    char worker_id[64];                 /* <prefix><random>, as a worker's id */
    char nonce[FD_UUID_LEN + 1];        /* its boot nonce */
    long long alive_at_ms;              /* monotonic, when last marked alive; 0 never */
    char lease_value[160];              /* ours, once taken ("" before): the fencing value */
};

/* Fills h (the caller's storage) for business id; prefix names the command (no ':' or
 * spaces). Borrows rc, which must outlive h. */
void tenant_hold_init(struct tenant_hold *h, redisContext *rc, const char *id, unsigned shards,
                      const char *prefix);
/* Takes the lease, waiting up to wait_s seconds while a live worker owns the business.
 * False (printed: who owns it, or why Redis failed) when not taken. */
bool tenant_hold_take(struct tenant_hold *h, int wait_s);
/* Renews the holder's liveness when a sixth of it has passed; call it between steps of a
 * long job. False (printed) when Redis failed. */
bool tenant_hold_keep(struct tenant_hold *h);
/* Gives the lease back if it was taken and leaves the shard's live workers. */
void tenant_hold_release(struct tenant_hold *h);

/* Runs script name (lua/<name>.lua) with a's keys and arguments; the reply (owned:
 * freeReplyObject), or NULL printed as "<name>: <why>". */
redisReply *ctl_run_script(redisContext *rc, struct lua_args *a, const char *name);

#endif
