/* lib/store/redis_sentinel.c: see redis_sentinel.h.
 *
 * One Sentinel at a time: look its host up -> connect -> [AUTH] -> SENTINEL
 * get-master-addr-by-name, under one deadline; any failure moves to the next. The link
 * to a Sentinel lives only for its one question. done runs from an event of its own,
 * never inside a hiredis callback, so that the contexts closed from within their own
 * callbacks (which hiredis frees when the callback returns) are gone before the ask is
 * freed. Those late callbacks find ask->ac no longer theirs and do nothing. */
#include "store/redis_sentinel.h"

#include <event2/event.h>
#include <hiredis/adapters/libevent.h>
#include <hiredis/async.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "store/host_resolve.h"

struct sentinel_ask {
    struct event_base *base;            /* borrowed */
    const struct fd_config *cfg;        /* borrowed */
    int *first;                         /* borrowed: the Sentinel to ask first */
    int timeout_ms;
    enum log_level skip_level;
    sentinel_master_fn done;
    void *arg;
    int at;                             /* the Sentinel being asked */
    int tried;                          /* how many were asked, this one included */
    struct host_lookup *lookup;         /* owned: its host being looked up, or NULL */
    redisAsyncContext *ac;              /* its link (hiredis owns it), or NULL */
    struct event *deadline;             /* gives the Sentinel up */
    struct event *finish;               /* runs done */
    bool has_answer;
    char host[256];                     /* the master, once has_answer */
    int port;
    char error[320];                    /* why the last Sentinel was skipped */
};

static void ask_next(struct sentinel_ask *ask);

static void close_link(struct sentinel_ask *ask)
{
    redisAsyncContext *ac = ask->ac;
    ask->ac = NULL;
    if (ac != NULL)
        redisAsyncFree(ac);   /* inside one of ac's callbacks hiredis frees it on return */
}

static void finish_soon(struct sentinel_ask *ask)
{
    evtimer_del(ask->deadline);
    event_active(ask->finish, EV_TIMEOUT, 0);
}

/* The Sentinel being asked failed (its link, if any, already taken off ask->ac when
 * hiredis frees it itself): note why and ask the next one. */
static void skip(struct sentinel_ask *ask, const char *why)
{
    const struct config_sentinel *s = &ask->cfg->redis_sentinels[ask->at];
    snprintf(ask->error, sizeof ask->error, "sentinel %s:%d: %s", s->host, s->port, why);
    log_msg(ask->skip_level, "redis sentinel skipped", "error", ask->error);
    host_lookup_cancel(ask->lookup);
    ask->lookup = NULL;
    close_link(ask);
    evtimer_del(ask->deadline);
    ask_next(ask);
}

static void on_answer(redisAsyncContext *ac, void *reply_ptr, void *arg)
{
    struct sentinel_ask *ask = arg;
    const redisReply *r = reply_ptr;
    if (ac != ask->ac || r == NULL)
        return;   /* a link given up already, or lost (on_disconnected says so) */
    if (r->type == REDIS_REPLY_ERROR) {
        skip(ask, r->str);
        return;
    }
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
        r->element[0]->type != REDIS_REPLY_STRING || r->element[1]->type != REDIS_REPLY_STRING ||
        r->element[0]->len == 0 || r->element[0]->len >= sizeof ask->host ||
        !config_parse_int(r->element[1]->str, 1, 65535, &ask->port)) {
        skip(ask, "does not know the master (check FRONTDESK_REDIS_MASTER)");
        return;
    }
    memcpy(ask->host, r->element[0]->str, r->element[0]->len + 1);
    ask->has_answer = true;
    *ask->first = ask->at;
    close_link(ask);
    finish_soon(ask);
}

static void on_connected(const redisAsyncContext *ac, int status)
{
    struct sentinel_ask *ask = ac->data;
    if (ac != ask->ac || status == REDIS_OK)
        return;
    ask->ac = NULL;   /* hiredis frees it after this callback */
    skip(ask, ac->errstr);
}

static void on_disconnected(const redisAsyncContext *ac, int status)
{
    struct sentinel_ask *ask = ac->data;
    (void)status;
    if (ac != ask->ac)
        return;
    ask->ac = NULL;
    skip(ask, ac->errstr[0] ? ac->errstr : "closed the connection");
}

static void on_resolved(const char *address, const char *error, void *arg)
{
    struct sentinel_ask *ask = arg;
    ask->lookup = NULL;
    if (address == NULL) {
        skip(ask, error);
        return;
    }
    redisAsyncContext *ac = redisAsyncConnect(address, ask->cfg->redis_sentinels[ask->at].port);
    if (ac == NULL || ac->err) {
        char why[160];
        snprintf(why, sizeof why, "%s", ac ? ac->errstr : "out of memory");
        if (ac != NULL)
            redisAsyncFree(ac);
        skip(ask, why);
        return;
    }
    ac->data = ask;
    ask->ac = ac;
    redisLibeventAttach(ac, ask->base);
    redisAsyncSetConnectCallback(ac, on_connected);
    redisAsyncSetDisconnectCallback(ac, on_disconnected);
    if (ask->cfg->redis_sentinel_password[0] != '\0')
        redisAsyncCommand(ac, NULL, NULL, "AUTH %s", ask->cfg->redis_sentinel_password);
    redisAsyncCommand(ac, on_answer, ask, "SENTINEL get-master-addr-by-name %s",
                      ask->cfg->redis_master);
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
    struct sentinel_ask *ask = arg;
    (void)fd;
    (void)what;
    char why[64];
    snprintf(why, sizeof why, "no answer within %d ms", ask->timeout_ms);
    skip(ask, why);
}

static void ask_next(struct sentinel_ask *ask)
{
    int count = ask->cfg->redis_sentinel_count;
    if (ask->tried == count) {
        finish_soon(ask);
        return;
    }
    ask->at = (*ask->first + ask->tried) % count;
    ask->tried++;
    struct timeval tv = {ask->timeout_ms / 1000, (ask->timeout_ms % 1000) * 1000};
    evtimer_add(ask->deadline, &tv);
    /* a literal address too: its answer comes on the loop, so done never runs early */
    ask->lookup = host_lookup_start(ask->base, ask->cfg->redis_sentinels[ask->at].host,
                                    on_resolved, ask);
    if (ask->lookup == NULL)
        skip(ask, "cannot start resolving the host name");
}

static void ask_free(struct sentinel_ask *ask)
{
    host_lookup_cancel(ask->lookup);
    close_link(ask);
    event_free(ask->deadline);
    event_free(ask->finish);
    free(ask);
}

static void on_finish(evutil_socket_t fd, short what, void *arg)
{
    struct sentinel_ask *ask = arg;
    (void)fd;
    (void)what;
    if (ask->has_answer) {
        ask->done(ask->host, ask->port, NULL, ask->arg);
    } else {
        char why[512];
        snprintf(why, sizeof why, "no Sentinel gave the address of master '%s' (last: %s)",
                 ask->cfg->redis_master, ask->error);
        ask->done(NULL, 0, why, ask->arg);
    }
    ask_free(ask);
}

struct sentinel_ask *sentinel_ask_start(struct event_base *base, const struct fd_config *cfg,
                                        int *first, int timeout_ms, bool is_routine,
                                        sentinel_master_fn done, void *arg)
{
    struct sentinel_ask *ask = xcalloc(1, sizeof *ask);
    ask->base = base;
    ask->cfg = cfg;
    ask->first = first;
    if (*first < 0 || *first >= cfg->redis_sentinel_count)
        *first = 0;
    ask->timeout_ms = timeout_ms;
    ask->skip_level = is_routine ? LOG_DEBUG : LOG_WARN;
    ask->done = done;
    ask->arg = arg;
    ask->deadline = evtimer_new(base, on_deadline, ask);
    ask->finish = event_new(base, -1, 0, on_finish, ask);
    ask_next(ask);
    return ask;
}

void sentinel_ask_cancel(struct sentinel_ask *ask)
{
    if (ask != NULL)
        ask_free(ask);
}
