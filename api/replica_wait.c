/* api/replica_wait.c: with FRONTDESK_REDIS_WAIT_REPLICAS > 0, an event is acknowledged
 * only once that many replicas hold it: after the enqueue script, WAIT numreplicas
 * timeout on the same connection (WAIT counts this connection's writes). Without it a
 * failover loses what the master acknowledged and had not yet sent to the replica; with
 * it such an event is answered 503 and its sender retries it, to the new master.
 * A duplicate waits too: its first copy may have been written to the old master only.
 * WAIT holds the connection in Redis until the replicas answer (a round trip to them),
 * which is the price; docs/deploy.md, "Replication". */
#include <stdlib.h>

#include <hiredis/hiredis.h>

#include "api.h"
#include "core/xalloc.h"
#include "store/redis_wait.h"

#define WAIT_MARGIN_MS 100   /* left of the budget for WAIT's answer to come back */

struct replica_wait {
    replica_wait_fn done;
    void *arg;
    int replicas;
};

static void on_waited(const redisReply *reply, enum app_err err, void *arg)
{
    struct replica_wait *w = arg;
    bool is_replicated = redis_wait_reached(reply, err, w->replicas);
    replica_wait_fn done = w->done;
    void *done_arg = w->arg;
    free(w);
    done(is_replicated, reply, done_arg);
}

void api_replica_wait(struct api_request *r, replica_wait_fn done, void *arg)
{
    const struct fd_config *cfg = &r->api->cfg;
    if (cfg->redis_wait_replicas == 0) {
        done(true, NULL, arg);
        return;
    }
    int budget = api_redis_budget_left_ms(r);
    int wait_ms = cfg->redis_wait_ms < budget - WAIT_MARGIN_MS ? cfg->redis_wait_ms
                                                                : budget - WAIT_MARGIN_MS;
    struct replica_wait *w = xmalloc(sizeof *w);
    *w = (struct replica_wait){.done = done, .arg = arg, .replicas = cfg->redis_wait_replicas};
    redis_wait_send(r->api->redis, cfg->redis_wait_replicas, wait_ms, budget, on_waited, w);
}
