/* lib/store/redis_reconnect.c: see redis_reconnect.h.
 *
 * DOWN (the retry timer runs) -> [ASKING (the Sentinels, redis_sentinel.c)] ->
 * [RESOLVING (a host name looked up off the loop by host_resolve.c)] -> CONNECTING (a
 * context, the connect timer runs) -> [CHECKING (through Sentinels: AUTH, ROLE; the
 * connect timer still runs)] -> up (a context) -> DOWN again on any failure. The
 * context pointer is cleared before a context is freed, so hiredis's callbacks for a
 * context we dropped ourselves are recognised and ignored. */
#include "store/redis_reconnect.h"

#include <event2/event.h>
#include <hiredis/adapters/libevent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "store/host_resolve.h"
#include "store/redis_sentinel.h"

#define BACKOFF_MIN_MS 50
#define BACKOFF_MAX_MS 2000
#define SENTINEL_TIMEOUT_MS 500     /* each Sentinel's connect and answer, on a LAN */
#define ROLE_CHECK_TIMEOUT_MS 2000  /* bounds connect and ROLE when the owner gave no bound */
#define MASTER_CHECK_MS 1000        /* how often a connection asks whether its server is still the master */

struct redis_reconnect {
    struct event_base *base;                    /* borrowed */
    const char *host;                           /* borrowed, or master_host */
    int port;
    const struct fd_config *cfg;    /* borrowed; set when the master is asked of Sentinels */
    struct sentinel_ask *ask;       /* owned: the Sentinels being asked, or NULL */
    struct sentinel_ask *check_ask; /* owned: the periodic check being asked, or NULL */
    struct event *check_timer;      /* the periodic check; NULL without Sentinels */
    int sentinel_first;             /* the Sentinel that answered last */
    char master_host[256];          /* the master the Sentinels named */
    bool is_checking_role;          /* connected; AUTH and ROLE not answered yet */
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
    r->is_checking_role = false;
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
static void drop_context(struct redis_reconnect *r, enum redis_reconnect_cause cause,
                         const char *error)
{
    redisAsyncContext *ac = r->ac;
    r->ac = NULL;
    report_down(r, cause, error);
    redisAsyncFree(ac);     /* fails every queued command; its disconnect callback is ignored */
    schedule_reconnect(r);
}

/* ROLE's first element: "master", "slave" or "sentinel". */
static bool is_master_role(const redisReply *reply)
{
    return reply->type == REDIS_REPLY_ARRAY && reply->elements > 0 &&
           reply->element[0]->type == REDIS_REPLY_STRING &&
           strcmp(reply->element[0]->str, "master") == 0;
}

/* The Sentinels' answer may be out of date (a failover under way, a stale Sentinel):
 * a server that is not the master is never handed to the owner, which would write to
 * it. */
static void on_role(redisAsyncContext *ac, void *reply_ptr, void *arg)
{
    struct redis_reconnect *r = arg;
    const redisReply *reply = reply_ptr;
    if (ac != r->ac || reply == NULL)
        return;   /* dropped, or lost (on_disconnected says so) */
    if (!is_master_role(reply)) {
        char why[320];
        snprintf(why, sizeof why, "%s:%d is not the master: %s", r->host, r->port,
                 reply->type == REDIS_REPLY_ERROR ? reply->str : "its role is not master");
        drop_context(r, REDIS_RECONNECT_NOT_MASTER, why);
        return;
    }
    r->is_checking_role = false;
    if (r->connect_timer != NULL)
        evtimer_del(r->connect_timer);
    r->hooks->connected(r->ac, r->arg);
}

static void on_connected(const redisAsyncContext *ac, int status)
{
    struct redis_reconnect *r = ac->data;
    if (status != REDIS_OK) {
        if (r->connect_timer != NULL)
            evtimer_del(r->connect_timer);
        /* hiredis frees the context after this callback */
        r->ac = NULL;
        report_down(r, REDIS_RECONNECT_CONNECT_FAILED, ac->errstr);
        schedule_reconnect(r);
        return;
    }
    if (r->cfg == NULL) {
        if (r->connect_timer != NULL)
            evtimer_del(r->connect_timer);
        r->hooks->connected(r->ac, r->arg);
        return;
    }
    /* ROLE needs the login when the server has one; the owner sends AUTH again, which
     * costs one round trip per connect */
    const struct fd_config *cfg = r->cfg;
    r->is_checking_role = true;
    if (cfg->redis_user[0] != '\0')
        redisAsyncCommand(r->ac, NULL, NULL, "AUTH %s %s", cfg->redis_user, cfg->redis_password);
    else if (cfg->redis_password[0] != '\0')
        redisAsyncCommand(r->ac, NULL, NULL, "AUTH %s", cfg->redis_password);
    redisAsyncCommand(r->ac, on_role, r, "ROLE");
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
        drop_context(r, REDIS_RECONNECT_CONNECT_TIMED_OUT, NULL);
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
static void connect_to_host(struct redis_reconnect *r)
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

static void on_master_named(const char *host, int port, const char *error, void *arg)
{
    struct redis_reconnect *r = arg;
    r->ask = NULL;
    if (host == NULL) {
        report_down(r, REDIS_RECONNECT_CONNECT_FAILED, error);
        schedule_reconnect(r);
        return;
    }
    if (strcmp(r->master_host, host) != 0 || r->port != port) {
        char address[300];
        snprintf(address, sizeof address, "%s:%d", host, port);
        log_msg(LOG_INFO, "redis master named by sentinel", "address", address);
    }
    snprintf(r->master_host, sizeof r->master_host, "%s", host);
    r->port = port;
    connect_to_host(r);
}

static void on_master_checked(const char *host, int port, const char *error, void *arg)
{
    struct redis_reconnect *r = arg;
    (void)error;
    r->check_ask = NULL;
    if (host == NULL || r->ac == NULL || r->is_checking_role)
        return;   /* Sentinels out of reach say nothing about the master */
    if (strcmp(host, r->master_host) == 0 && port == r->port)
        return;
    char why[600];
    snprintf(why, sizeof why, "the Sentinels now name %s:%d, not %s:%d", host, port,
             r->master_host, r->port);
    drop_context(r, REDIS_RECONNECT_NOT_MASTER, why);
}

/* A failover promotes the replica while the old master, still up, keeps its clients and
 * its role (and takes writes the new master never sees) until the Sentinels demote it,
 * seconds later: the Sentinels are asked every second whether the master moved. */
static void on_check_timer(evutil_socket_t fd, short what, void *arg)
{
    struct redis_reconnect *r = arg;
    (void)fd;
    (void)what;
    if (r->ac == NULL || r->is_checking_role || r->check_ask != NULL)
        return;
    r->check_ask = sentinel_ask_start(r->base, r->cfg, &r->sentinel_first, SENTINEL_TIMEOUT_MS,
                                      true, on_master_checked, r);
}

/* Through Sentinels, the master is asked for before every connect: after a failover
 * the old address is a replica or gone. */
static void connect_now(struct redis_reconnect *r)
{
    if (r->cfg != NULL)
        r->ask = sentinel_ask_start(r->base, r->cfg, &r->sentinel_first, SENTINEL_TIMEOUT_MS,
                                    false, on_master_named, r);
    else
        connect_to_host(r);
}

static void on_retry_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    connect_now(arg);
}

static struct redis_reconnect *reconnect_new(struct event_base *base, const char *host,
                                             int port, const struct fd_config *cfg,
                                             int connect_timeout_ms,
                                             const struct redis_reconnect_hooks *hooks,
                                             void *arg)
{
    struct redis_reconnect *r = xcalloc(1, sizeof *r);
    r->base = base;
    r->host = cfg != NULL ? r->master_host : host;
    r->port = port;
    r->cfg = cfg;
    r->connect_timeout_ms = connect_timeout_ms;
    if (cfg != NULL && connect_timeout_ms <= 0)
        r->connect_timeout_ms = ROLE_CHECK_TIMEOUT_MS;
    r->hooks = hooks;
    r->arg = arg;
    r->backoff_ms = BACKOFF_MIN_MS;
    r->retry_timer = evtimer_new(base, on_retry_timer, r);
    if (r->connect_timeout_ms > 0)
        r->connect_timer = evtimer_new(base, on_connect_timeout, r);
    if (cfg != NULL) {
        struct timeval tv = {MASTER_CHECK_MS / 1000, (MASTER_CHECK_MS % 1000) * 1000};
        r->check_timer = event_new(base, -1, EV_PERSIST, on_check_timer, r);
        evtimer_add(r->check_timer, &tv);
    }
    connect_now(r);
    return r;
}

struct redis_reconnect *redis_reconnect_create(struct event_base *base, const char *host,
                                               int port, int connect_timeout_ms,
                                               const struct redis_reconnect_hooks *hooks,
                                               void *arg)
{
    return reconnect_new(base, host, port, NULL, connect_timeout_ms, hooks, arg);
}

struct redis_reconnect *redis_reconnect_create_for(struct event_base *base,
                                                   const struct fd_config *cfg,
                                                   int connect_timeout_ms,
                                                   const struct redis_reconnect_hooks *hooks,
                                                   void *arg)
{
    if (cfg->redis_sentinel_count == 0)
        return reconnect_new(base, cfg->redis_host, cfg->redis_port, NULL, connect_timeout_ms,
                             hooks, arg);
    return reconnect_new(base, NULL, 0, cfg, connect_timeout_ms, hooks, arg);
}

void redis_reconnect_free(struct redis_reconnect *r)
{
    if (r == NULL)
        return;
    host_lookup_cancel(r->lookup);
    sentinel_ask_cancel(r->ask);
    sentinel_ask_cancel(r->check_ask);
    if (r->check_timer != NULL)
        event_free(r->check_timer);
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
    return r->is_checking_role ? NULL : r->ac;
}

bool redis_reconnect_is_via_sentinels(const struct redis_reconnect *r)
{
    return r->cfg != NULL;
}

void redis_reconnect_drop(struct redis_reconnect *r)
{
    if (r->ac != NULL)
        drop_context(r, REDIS_RECONNECT_DROPPED, NULL);
}

void redis_reconnect_mark_healthy(struct redis_reconnect *r)
{
    r->backoff_ms = BACKOFF_MIN_MS;
}
