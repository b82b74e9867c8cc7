/* api/event_put.c: the last steps every webhook route shares once it has a verified
 * event and its business: enqueue_event.lua de-duplicates the event id and appends the
 * event to the business's stream, then the replicas are waited for (api_replica_wait),
 * and the route hears one of three outcomes, counted here for /metrics. */
#include <time.h>

#include "api.h"
#include "store/event_enqueue.h"
#include "store/lua_args.h"
#include "store/redis_conn.h"
#include "store/tenant_keys.h"

static void on_replicated(bool is_replicated, const redisReply *reply, void *arg)
{
    struct api_put *put = arg;
    struct api_metrics *m = &put->r->api->metrics;
    if (!is_replicated) {
        put->done(API_PUT_UNAVAILABLE, reply, put->arg);
    } else if (put->is_duplicate) {
        m->duplicates++;
        put->done(API_PUT_DUPLICATE, NULL, put->arg);
    } else {
        m->events_enqueued++;
        put->done(API_PUT_ENQUEUED, NULL, put->arg);
    }
}

static void on_enqueued(const redisReply *reply, enum app_err err, void *arg)
{
    struct api_put *put = arg;
    if (err != APP_OK || reply == NULL) {
        put->done(API_PUT_UNAVAILABLE, reply, put->arg);
        return;
    }
    put->is_duplicate = reply->type == REDIS_REPLY_NIL;   /* the script's "seen already" */
    api_replica_wait(put->r, on_replicated, put);
}

void api_put_event(struct api_put *put, struct api_request *r, const char *business_id,
                   const struct event_fields *f, api_put_fn done, void *arg)
{
    struct api *api = r->api;
    put->r = r;
    put->is_duplicate = false;
    put->done = done;
    put->arg = arg;
    r->business_id = business_id;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct event_keys keys;
    struct lua_args a;
    lua_args_init(&a);
    event_enqueue_args(&a, &keys, business_id, tenant_shard(business_id, (unsigned)api->cfg.shards),
                       (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, f);
    lua_args_send(&a, api->redis, api->enqueue_script, api_redis_budget_left_ms(r), on_enqueued,
                  put);
}
