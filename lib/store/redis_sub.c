/* lib/store/redis_sub.c: see redis_sub.h. hiredis keeps calling the SUBSCRIBE callback for
 * every message on the channel; a NULL reply means the connection went away, which
 * redis_reconnect.c makes anew. */
#include "store/redis_sub.h"

#include <event2/event.h>
#include <hiredis/async.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "store/redis_reconnect.h"

#define CHECK_MS 1000

struct redis_sub {
    const struct fd_config *cfg;
    char *channel;
    redis_sub_fn cb;
    void *arg;
    struct redis_reconnect *link; /* owned: the context, made anew after each loss */
    struct event *check_timer;
    int silence_limit_ms;         /* no message for this long: the link is dead */
    long long last_heard_ms;      /* connect start, subscription or last message */
};

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_message(redisAsyncContext *ac, void *reply_ptr, void *arg)
{
    struct redis_sub *sub = arg;
    const redisReply *r = reply_ptr;
    (void)ac;
    if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != 3)
        return;
    const redisReply *kind = r->element[0];
    if (kind->type != REDIS_REPLY_STRING)
        return;
    sub->last_heard_ms = mono_ms();
    if (strcmp(kind->str, "subscribe") == 0) {
        redis_reconnect_mark_healthy(sub->link);
        sub->cb(NULL, 0, sub->arg);
    } else if (strcmp(kind->str, "message") == 0 && r->element[2]->type == REDIS_REPLY_STRING) {
        sub->cb(r->element[2]->str, r->element[2]->len, sub->arg);
    }
}

/* A half-open TCP link says nothing, and hiredis 0.14 cannot route a PING's answer on a
 * subscribed connection, so liveness is judged by traffic: the owner publishes on the
 * channel regularly (redis_sub.h), and a connection that heard nothing for the silence
 * limit, or never subscribed in that time, is dropped and made anew. */
static void on_check(evutil_socket_t fd, short what, void *arg)
{
    struct redis_sub *sub = arg;
    (void)fd;
    (void)what;
    struct timeval tv = {CHECK_MS / 1000, (CHECK_MS % 1000) * 1000};
    evtimer_add(sub->check_timer, &tv);
    if (redis_reconnect_context(sub->link) == NULL || sub->silence_limit_ms <= 0 ||
        mono_ms() - sub->last_heard_ms < sub->silence_limit_ms)
        return;
    log_msg(LOG_WARN, "redis subscription silent; reconnecting", "channel", sub->channel);
    redis_reconnect_drop(sub->link);
}

static void on_connecting(void *arg)
{
    struct redis_sub *sub = arg;
    sub->last_heard_ms = mono_ms();
}

static void on_connected(redisAsyncContext *ac, void *arg)
{
    struct redis_sub *sub = arg;
    if (sub->cfg->redis_user[0] != '\0')
        redisAsyncCommand(ac, NULL, NULL, "AUTH %s %s", sub->cfg->redis_user, sub->cfg->redis_password);
    else if (sub->cfg->redis_password[0] != '\0')
        redisAsyncCommand(ac, NULL, NULL, "AUTH %s", sub->cfg->redis_password);
    redisAsyncCommand(ac, on_message, sub, "SUBSCRIBE %s", sub->channel);
}

static void on_down(enum redis_reconnect_cause cause, const char *error, void *arg)
{
    struct redis_sub *sub = arg;
    if (cause == REDIS_RECONNECT_DISCONNECTED)
        log_msg(LOG_WARN, "redis subscription lost; reconnecting", "channel", sub->channel);
    else if (cause == REDIS_RECONNECT_NOT_MASTER)
        log_msg(LOG_WARN, "redis subscription refused a server: not the master", "error", error);
}

static const struct redis_reconnect_hooks link_hooks = {
    .connecting = on_connecting, .connected = on_connected, .down = on_down,
};

struct redis_sub *redis_sub_create(struct event_base *base, const struct fd_config *cfg,
                                   const char *channel, int silence_limit_ms,
                                   redis_sub_fn cb, void *arg)
{
    struct redis_sub *sub = xcalloc(1, sizeof *sub);
    sub->cfg = cfg;
    sub->channel = xstrdup(channel);
    sub->cb = cb;
    sub->arg = arg;
    sub->silence_limit_ms = silence_limit_ms;
    sub->check_timer = evtimer_new(base, on_check, sub);
    struct timeval tv = {CHECK_MS / 1000, (CHECK_MS % 1000) * 1000};
    evtimer_add(sub->check_timer, &tv);
    /* No connect bound: a connect that hangs is silence, which on_check ends (given a limit). */
    sub->link = redis_reconnect_create_for(base, cfg, 0, &link_hooks, sub);
    return sub;
}

void redis_sub_free(struct redis_sub *sub)
{
    if (sub == NULL)
        return;
    redis_reconnect_free(sub->link);
    event_free(sub->check_timer);
    free(sub->channel);
    free(sub);
}
