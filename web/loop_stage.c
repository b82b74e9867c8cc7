/* web/loop_stage.c: what the loop does for a request between two of its database
 * stages, when a stage handed it on. web_then_enqueue: the event goes on the stream of
 * the session's business with lua/enqueue_event.lua, as the webhook front end puts
 * Telnyx's events there (lib/store/event_enqueue.h), within WEB_REDIS_BUDGET_MS; a
 * failure answers 503 and the next stage does not run. web_then_wait: a timer, so that
 * no thread is held while a worker does what the event asked. The business is always
 * the session's: a handler names no stream. */
#include <event2/event.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "store/event_enqueue.h"
#include "store/redis_conn.h"
#include "web.h"

static void on_enqueued(const redisReply *reply, enum app_err err, void *arg)
{
    struct web_exchange *x = arg;
    (void)reply;        /* an entry id, or nil for an event id seen before: either is there */
    if (err != APP_OK) {
        log_msg(LOG_WARN, "event not enqueued", "business_id", x->session.business_id);
        web_reply_problem(x, 503, "Redis did not take the request; nothing was changed. "
                                  "Try again.");
        return;
    }
    web_exchange_continue(x);
}

void web_enqueue_start(struct web_exchange *x)
{
    struct web *web = x->web;
    const struct web_event *ev = &x->result.event;
    const char *business_id = x->session.business_id;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    const struct event_fields f = {
        .type = ev->type, .eid = ev->eid, .eid_len = strlen(ev->eid), .call = ev->call,
        .at = ev->at, .body = ev->body, .body_len = ev->body_len,
        .seen_ttl_s = EVENT_SEEN_MARGIN_S,  /* an owner's request asked twice in a row */
    };
    struct event_keys keys;
    struct lua_args a;
    lua_args_init(&a);
    unsigned shard = tenant_shard(business_id, (unsigned)web->cfg.shards);
    event_enqueue_args(&a, &keys, business_id, shard,
                       (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000, &f);
    lua_args_send(&a, web->redis, web->enqueue_script, WEB_REDIS_BUDGET_MS, on_enqueued, x);
}

static void unlink_waiting(struct web_exchange *x)
{
    for (struct web_exchange **pp = &x->web->waiting; *pp != NULL; pp = &(*pp)->next_waiting) {
        if (*pp == x) {
            *pp = x->next_waiting;
            x->next_waiting = NULL;
            return;
        }
    }
}

static void on_wait_over(evutil_socket_t fd, short what, void *arg)
{
    struct web_exchange *x = arg;
    (void)fd;
    (void)what;
    unlink_waiting(x);
    x->request.waits++;
    web_exchange_continue(x);
}

void web_wait_start(struct web_exchange *x)
{
    struct web *web = x->web;
    int ms = x->result.wait_ms > 0 ? x->result.wait_ms : 0;
    if (x->wait_timer == NULL)
        x->wait_timer = evtimer_new(web->base, on_wait_over, x);
    x->next_waiting = web->waiting;
    web->waiting = x;
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    evtimer_add(x->wait_timer, &tv);
}

void web_waiting_drop(struct web *web)
{
    while (web->waiting != NULL) {
        struct web_exchange *x = web->waiting;
        web->waiting = x->next_waiting;
        evtimer_del(x->wait_timer);
        web_exchange_drop(x, NULL);
    }
}
