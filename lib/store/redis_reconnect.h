/* lib/store/redis_reconnect.h: what the two reconnecting Redis connections (redis_conn,
 * redis_sub) share: one hiredis asynchronous context on a libevent loop, connected at once
 * and, whenever the connect fails or times out, the connection is lost or its owner drops
 * it, made anew after a jittered backoff that doubles from 50 ms up to 2 s, forever. The
 * owner sends what a new connection needs (AUTH, SELECT, SUBSCRIBE) and says when the link
 * has proved healthy, which brings the backoff back to 50 ms; the hooks tell it every
 * step, so it keeps its own state and its own log lines.
 *
 * Through Redis Sentinel (FRONTDESK_REDIS_SENTINELS), the master's address is asked of
 * the Sentinels before every connect (redis_sentinel.h), and a new connection is handed
 * to the owner only once it logged in (AUTH) and its ROLE said master; a server that is
 * a replica is dropped and the Sentinels asked again after the backoff. */
#ifndef FD_REDIS_RECONNECT_H
#define FD_REDIS_RECONNECT_H
#include <hiredis/async.h>
#include <stdbool.h>

#include "core/config.h"

struct event_base;
struct redis_reconnect;

enum redis_reconnect_cause {
    REDIS_RECONNECT_CONNECT_FAILED,     /* the connect could not start, or did not succeed */
    REDIS_RECONNECT_CONNECT_TIMED_OUT,  /* the TCP connect outlasted connect_timeout_ms */
    REDIS_RECONNECT_DISCONNECTED,       /* hiredis lost the connection */
    REDIS_RECONNECT_DROPPED,            /* the owner dropped it (redis_reconnect_drop) */
    REDIS_RECONNECT_NOT_MASTER,         /* through Sentinels: the server is not the master */
};

/* arg is redis_reconnect_create's. */
struct redis_reconnect_hooks {
    /* A new context is connecting; commands may be queued on it already. May be NULL. */
    void (*connecting)(void *arg);
    /* The TCP connection is up: send what it needs. ac is borrowed (hiredis owns it). */
    void (*connected)(redisAsyncContext *ac, void *arg);
    /* The context is gone: redis_reconnect_context is NULL already, and the next connect
     * is scheduled once this returns. error is hiredis's reason (or the Sentinels', or why
     * the server is not the master), or NULL for a timeout or a drop. Commands still queued on a lost connection have failed before this; those on
     * one that timed out or was dropped fail after it. May be NULL. */
    void (*down)(enum redis_reconnect_cause cause, const char *error, void *arg);
};

/* Starts connecting to host:port at once (hooks may run before this returns: connecting,
 * or down when the connect cannot even start). connect_timeout_ms > 0 bounds each TCP
 * connect; 0: no bound. Borrows base, host and hooks, which must outlive it. */
struct redis_reconnect *redis_reconnect_create(struct event_base *base, const char *host,
                                               int port, int connect_timeout_ms,
                                               const struct redis_reconnect_hooks *hooks,
                                               void *arg);
/* redis_reconnect_create for cfg's Redis: through its Sentinels when
 * FRONTDESK_REDIS_SENTINELS is set (connect_timeout_ms 0 then still bounds the connect
 * and the ROLE check, by 2 s), else cfg's host and port. Borrows cfg. */
struct redis_reconnect *redis_reconnect_create_for(struct event_base *base,
                                                   const struct fd_config *cfg,
                                                   int connect_timeout_ms,
                                                   const struct redis_reconnect_hooks *hooks,
                                                   void *arg);
/* Frees the context (hiredis fails the commands queued on it; no hook runs) and stops
 * reconnecting. NULL is fine. */
void redis_reconnect_free(struct redis_reconnect *r);

/* The context while one is connecting or connected (borrowed), or NULL while down or
 * while its role is being checked. */
redisAsyncContext *redis_reconnect_context(const struct redis_reconnect *r);

/* True when the master is found through Sentinels. */
bool redis_reconnect_is_via_sentinels(const struct redis_reconnect *r);

/* Drops the context now (a link the owner judged stalled or silent) and reconnects after
 * the backoff. Nothing happens while down. */
void redis_reconnect_drop(struct redis_reconnect *r);

/* The link answered as it should (a PING, a subscription): the next reconnect, if any,
 * waits the shortest backoff again. */
void redis_reconnect_mark_healthy(struct redis_reconnect *r);

#endif
