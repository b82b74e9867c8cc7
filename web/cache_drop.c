/* web/cache_drop.c: what a route asked for with web_drop_agent_cache, done on the loop
 * after its transaction committed: DEL of the worker's cached configuration of the
 * session's business (fd:{sNNN}:t:B:agent, as `frontdesk-ctl agent set` does), so the
 * business's next call reloads the active version. The answer waits for Redis (at most
 * WEB_REDIS_BUDGET_MS), so a client that has its 200 can call at once and be heard by
 * the new configuration. */
#include <string.h>

#include "core/log.h"
#include "store/redis_conn.h"
#include "store/tenant_keys.h"
#include "web.h"

static void on_dropped(const redisReply *reply, enum app_err err, void *arg)
{
    struct web_exchange *x = arg;
    (void)reply;
    if (err != APP_OK) {
        struct log_line l;
        if (log_begin(&l, LOG_WARN, "cached configuration not dropped; workers reload it within a minute")) {
            log_str(&l, "business_id", x->session.business_id);
            log_end(&l);
        }
    }
    web_reply(x);
}

void web_cache_drop_then_reply(struct web_exchange *x)
{
    char key[FD_KEY_MAX];
    x->result.drops_agent_cache = false;
    size_t len = tenant_key(key, x->session.business_id, (unsigned)x->web->cfg.shards, "agent");
    const char *argv[] = {"DEL", key};
    size_t lens[] = {3, len};
    redis_conn_command(x->web->redis, WEB_REDIS_BUDGET_MS, on_dropped, x, 2, argv, lens);
}
