/* lib/store/redis_sub.c: see redis_sub.h. hiredis keeps calling the SUBSCRIBE callback for
 * every message on the channel; a NULL reply means the connection went away. */
#include "store/redis_sub.h"

#include <event2/event.h>
#include <hiredis/adapters/libevent.h>
#include <hiredis/async.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/xalloc.h"

#define BACKOFF_MIN_MS 50
#define BACKOFF_MAX_MS 2000
#define CHECK_MS 1000

struct redis_sub {
    struct event_base *base;
    const struct fd_config *cfg;
    char *channel;
    redis_sub_fn cb;
    void *arg;
    redisAsyncContext *ac;        /* NULL while down */
    struct event *retry_timer;
    struct event *check_timer;
    int silence_limit_ms;         /* no message for this long: the link is dead */
    long long last_heard_ms;      /* connect start, subscription or last message */
    int backoff_ms;
};

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void connect_now(struct redis_sub *sub);

static void schedule_reconnect(struct redis_sub *sub)
{
    sub->ac = NULL;
    int ms = sub->backoff_ms / 2 + (int)(random() % (sub->backoff_ms + 1));
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    evtimer_add(sub->retry_timer, &tv);
    sub->backoff_ms = sub->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : sub->backoff_ms * 2;
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
        sub->backoff_ms = BACKOFF_MIN_MS;
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
    if (sub->ac == NULL || sub->silence_limit_ms <= 0 ||
        mono_ms() - sub->last_heard_ms < sub->silence_limit_ms)
        return;
    log_msg(LOG_WARN, "redis subscription silent; reconnecting", "channel", sub->channel);
    redisAsyncContext *ac = sub->ac;
    sub->ac = NULL;
    redisAsyncFree(ac);
    schedule_reconnect(sub);
}

static void on_connected(const redisAsyncContext *ac, int status)
{
    struct redis_sub *sub = ac->data;
    if (status != REDIS_OK) {
        schedule_reconnect(sub);
        return;
    }
    redisAsyncContext *mac = (redisAsyncContext *)ac;
    if (sub->cfg->redis_password[0] != '\0')
        redisAsyncCommand(mac, NULL, NULL, "AUTH %s", sub->cfg->redis_password);
    redisAsyncCommand(mac, on_message, sub, "SUBSCRIBE %s", sub->channel);
}

static void on_disconnected(const redisAsyncContext *ac, int status)
{
    struct redis_sub *sub = ac->data;
    (void)status;
    if (sub->ac != ac)
        return;
    log_msg(LOG_WARN, "redis subscription lost; reconnecting", "channel", sub->channel);
    schedule_reconnect(sub);
}

static void connect_now(struct redis_sub *sub)
{
    redisAsyncContext *ac = redisAsyncConnect(sub->cfg->redis_host, sub->cfg->redis_port);
    if (ac == NULL || ac->err) {
        if (ac != NULL)
            redisAsyncFree(ac);
        schedule_reconnect(sub);
        return;
    }
    ac->data = sub;
    sub->ac = ac;
    sub->last_heard_ms = mono_ms();
    redisLibeventAttach(ac, sub->base);
    redisAsyncSetConnectCallback(ac, on_connected);
    redisAsyncSetDisconnectCallback(ac, on_disconnected);
}

static void on_retry(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    connect_now(arg);
}

struct redis_sub *redis_sub_create(struct event_base *base, const struct fd_config *cfg,
                                   const char *channel, int silence_limit_ms,
                                   redis_sub_fn cb, void *arg)
{
    struct redis_sub *sub = xcalloc(1, sizeof *sub);
    sub->base = base;
    sub->cfg = cfg;
    sub->channel = xstrdup(channel);
    sub->cb = cb;
    sub->arg = arg;
    sub->backoff_ms = BACKOFF_MIN_MS;
    sub->silence_limit_ms = silence_limit_ms;
    sub->retry_timer = evtimer_new(base, on_retry, sub);
    sub->check_timer = evtimer_new(base, on_check, sub);
    struct timeval tv = {CHECK_MS / 1000, (CHECK_MS % 1000) * 1000};
    evtimer_add(sub->check_timer, &tv);
    connect_now(sub);
    return sub;
}

void redis_sub_free(struct redis_sub *sub)
{
    if (sub == NULL)
        return;
    if (sub->ac != NULL) {
        redisAsyncContext *ac = sub->ac;
        sub->ac = NULL;
        redisAsyncFree(ac);
    }
    event_free(sub->retry_timer);
    event_free(sub->check_timer);
    free(sub->channel);
    free(sub);
}
