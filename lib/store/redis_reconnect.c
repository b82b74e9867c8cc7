/* lib/store/redis_reconnect.c: see redis_reconnect.h.
 *
 * DOWN (the retry timer runs) -> [RESOLVING (a host name looked up off the loop by
 * host_resolve.c)] -> CONNECTING (a context, the connect timer runs) -> up (a context)
 * -> DOWN again on any failure. The context pointer is cleared before a context is
 * freed, so hiredis's disconnect callback for a context we dropped ourselves is
 * recognised and ignored. */
#include "store/redis_reconnect.h"

#include <event2/event.h>
#include <hiredis/adapters/libevent.h>
#include <stdlib.h>

#include "core/xalloc.h"
#include "store/host_resolve.h"

#define BACKOFF_MIN_MS 50
#define BACKOFF_MAX_MS 2000

struct redis_reconnect {
    struct event_base *base;                    /* borrowed */
    const char *host;                           /* borrowed */
    int port;
    int connect_timeout_ms;
    const struct redis_reconnect_hooks *hooks;  /* borrowed */
    void *arg;
    redisAsyncContext *ac;          /* owned by hiredis once attached; NULL while down */
    struct host_lookup *lookup;     /* owned: the host name being resolved, or NULL */
    struct event *retry_timer;      /* reconnect after backoff */
    struct event *connect_timer;    /* gives up a connect; NULL without a bound */
    int backoff_ms;
};

static void timer_add_ms(struct event *timer, int ms)
{
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    evtimer_add(timer, &tv);
}

static void schedule_reconnect(struct redis_reconnect *r)
{
    r->ac = NULL;
    if (r->connect_timer != NULL)
        evtimer_del(r->connect_timer);
    timer_add_ms(r->retry_timer, r->backoff_ms / 2 + (int)(random() % (r->backoff_ms + 1)));
    r->backoff_ms = r->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : r->backoff_ms * 2;
}

static void report_down(struct redis_reconnect *r, enum redis_reconnect_cause cause,
                        const char *error)
{
    if (r->hooks->down != NULL)
        r->hooks->down(cause, error, r->arg);
}

/* Clears the context, tells the owner, frees the context, schedules the next connect. */
static void drop_context(struct redis_reconnect *r, enum redis_reconnect_cause cause)
{
    redisAsyncContext *ac = r->ac;
    r->ac = NULL;
    report_down(r, cause, NULL);
    redisAsyncFree(ac);     /* fails every queued command; its disconnect callback is ignored */
    schedule_reconnect(r);
}

static void on_connected(const redisAsyncContext *ac, int status)
{
    struct redis_reconnect *r = ac->data;
    if (r->connect_timer != NULL)
        evtimer_del(r->connect_timer);
    if (status != REDIS_OK) {
        /* hiredis frees the context after this callback */
        r->ac = NULL;
        report_down(r, REDIS_RECONNECT_CONNECT_FAILED, ac->errstr);
        schedule_reconnect(r);
        return;
    }
    r->hooks->connected(r->ac, r->arg);
}

static void on_disconnected(const redisAsyncContext *ac, int status)
{
    struct redis_reconnect *r = ac->data;
    (void)status;
    if (r->ac != ac)
        return;   /* a context we already dropped */
    r->ac = NULL;
    report_down(r, REDIS_RECONNECT_DISCONNECTED, ac->errstr[0] ? ac->errstr : "closed");
    schedule_reconnect(r);
}

static void on_connect_timeout(evutil_socket_t fd, short what, void *arg)
{
    struct redis_reconnect *r = arg;
    (void)fd;
    (void)what;
    if (r->ac != NULL)
        drop_context(r, REDIS_RECONNECT_CONNECT_TIMED_OUT);
}

/* address is a literal IP address: hiredis connects without a lookup. */
static void connect_to(struct redis_reconnect *r, const char *address)
{
    redisAsyncContext *ac = redisAsyncConnect(address, r->port);
    if (ac == NULL || ac->err) {
        report_down(r, REDIS_RECONNECT_CONNECT_FAILED, ac ? ac->errstr : "out of memory");
        if (ac != NULL)
            redisAsyncFree(ac);
        schedule_reconnect(r);
        return;
    }
    ac->data = r;
    r->ac = ac;
    if (r->hooks->connecting != NULL)
        r->hooks->connecting(r->arg);
    redisLibeventAttach(ac, r->base);
    redisAsyncSetConnectCallback(ac, on_connected);
    redisAsyncSetDisconnectCallback(ac, on_disconnected);
    if (r->connect_timer != NULL)
        timer_add_ms(r->connect_timer, r->connect_timeout_ms);
}

static void on_resolved(const char *address, const char *error, void *arg)
{
    struct redis_reconnect *r = arg;
    r->lookup = NULL;
    if (address == NULL) {
        report_down(r, REDIS_RECONNECT_CONNECT_FAILED, error);
        schedule_reconnect(r);
        return;
    }
    connect_to(r, address);
}

/* hiredis resolves a host name with a blocking getaddrinfo: a name is looked up on a
 * thread first. The connect timer bounds the TCP connect only: the lookup ends when the
 * resolver's own timeouts say, and a slow DNS server must not keep us from ever
 * connecting. */
static void connect_now(struct redis_reconnect *r)
{
    if (host_is_address(r->host)) {
        connect_to(r, r->host);
        return;
    }
    r->lookup = host_lookup_start(r->base, r->host, on_resolved, r);
    if (r->lookup == NULL) {
        report_down(r, REDIS_RECONNECT_CONNECT_FAILED, "cannot start resolving the host name");
        schedule_reconnect(r);
    }
}

static void on_retry_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    connect_now(arg);
}

struct redis_reconnect *redis_reconnect_create(struct event_base *base, const char *host,
                                               int port, int connect_timeout_ms,
                                               const struct redis_reconnect_hooks *hooks,
                                               void *arg)
{
    struct redis_reconnect *r = xcalloc(1, sizeof *r);
    r->base = base;
    r->host = host;
    r->port = port;
    r->connect_timeout_ms = connect_timeout_ms;
    r->hooks = hooks;
    r->arg = arg;
    r->backoff_ms = BACKOFF_MIN_MS;
    r->retry_timer = evtimer_new(base, on_retry_timer, r);
    if (connect_timeout_ms > 0)
        r->connect_timer = evtimer_new(base, on_connect_timeout, r);
    connect_now(r);
    return r;
}

void redis_reconnect_free(struct redis_reconnect *r)
{
    if (r == NULL)
        return;
    host_lookup_cancel(r->lookup);
    if (r->ac != NULL) {
        redisAsyncContext *ac = r->ac;
        r->ac = NULL;
        redisAsyncFree(ac);
    }
    event_free(r->retry_timer);
    if (r->connect_timer != NULL)
        event_free(r->connect_timer);
    free(r);
}

redisAsyncContext *redis_reconnect_context(const struct redis_reconnect *r)
{
    return r->ac;
}

void redis_reconnect_drop(struct redis_reconnect *r)
{
    if (r->ac != NULL)
        drop_context(r, REDIS_RECONNECT_DROPPED);
}

void redis_reconnect_mark_healthy(struct redis_reconnect *r)
{
    r->backoff_ms = BACKOFF_MIN_MS;
}
