/* lib/store/redis_conn.h: one asynchronous Redis connection on a libevent loop, with what
 * hiredis 0.14 lacks: a deadline on every command, a connect timeout, a health PING,
 * and reconnection with jittered backoff, forever. Commands sent while the connection
 * is down fail at once, so callers answer fast (503) instead of queueing. A READONLY
 * answer (the server is a replica now) drops the connection, which is made anew; through
 * Sentinels (redis_reconnect.h) the health check is ROLE and a server that is no longer
 * the master is left the same way. */
#ifndef FD_REDIS_CONN_H
#define FD_REDIS_CONN_H
#include <stdbool.h>
#include <stddef.h>

#include <hiredis/hiredis.h>

#include "core/config.h"
#include "core/err.h"
#include "store/lua_scripts.h"

#define REDIS_CONN_MAX_ARGS 256     /* a commit carries up to ~160: state, records, texts */

struct event_base;
struct redis_conn;

/* Called exactly once per command. reply is borrowed (hiredis frees it after the
 * callback) and NULL when err is APP_EUNAVAIL because of a timeout, a lost or absent
 * connection. A Redis error reply (OOM, WRONGTYPE, ...) comes with err APP_EUNAVAIL
 * and the reply. The callback may run before redis_conn_command returns. */
typedef void (*redis_reply_fn)(const redisReply *reply, enum app_err err, void *arg);

/* Starts connecting at once. Borrows base and cfg, which must outlive the connection. */
struct redis_conn *redis_conn_create(struct event_base *base, const struct fd_config *cfg);
/* Fails every outstanding command (callbacks run) and frees. NULL is fine. */
void redis_conn_free(struct redis_conn *conn);

/* True while connected, authenticated and answering its health PING. */
bool redis_conn_is_ready(const struct redis_conn *conn);

/* Sends argv (copied; argvlen gives each length). */
void redis_conn_command(struct redis_conn *conn, int timeout_ms, redis_reply_fn cb, void *arg,
                        int argc, const char **argv, const size_t *argvlen);

/* EVALSHA script with nkeys keys followed by the script's arguments (argc in all);
 * on NOSCRIPT (a restarted or flushed Redis) it resends as EVAL, which also caches it. */
void redis_conn_script(struct redis_conn *conn, const struct lua_script *script,
                       int timeout_ms, redis_reply_fn cb, void *arg,
                       int nkeys, int argc, const char **argv, const size_t *argvlen);

#endif
