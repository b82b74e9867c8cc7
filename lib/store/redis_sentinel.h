/* lib/store/redis_sentinel.h: where the Redis master is, asked of Redis Sentinel
 * (FRONTDESK_REDIS_SENTINELS, FRONTDESK_REDIS_MASTER) on the event loop, before each
 * connect of redis_reconnect.c. The Sentinels are asked in turn with
 * SENTINEL get-master-addr-by-name, each within a short deadline; one that cannot be
 * reached, does not answer in time or does not know the master is skipped, and the one
 * that answered is asked first next time. A Sentinel's host name is looked up off the
 * loop (host_resolve.h). */
#ifndef FD_REDIS_SENTINEL_H
#define FD_REDIS_SENTINEL_H

#include <stdbool.h>

#include "core/config.h"

struct event_base;
struct sentinel_ask;

/* host is the master's address as the Sentinel gave it (an IP address unless the
 * Sentinels announce host names), or NULL with error saying why no Sentinel told it.
 * Both are borrowed for the call. */
typedef void (*sentinel_master_fn)(const char *host, int port, const char *error, void *arg);

/* Starts asking cfg's Sentinels (cfg->redis_sentinel_count > 0) for cfg->redis_master,
 * the one at *first first; *first is set to the one that answers. A skipped Sentinel is
 * logged as a warning, or at debug level when is_routine (a periodic check). done runs once, on the
 * loop, never before this returns, unless the ask is cancelled first; the ask frees
 * itself after done. timeout_ms bounds each Sentinel's connect and answer. Borrows base,
 * cfg and first, which must outlive it. */
struct sentinel_ask *sentinel_ask_start(struct event_base *base, const struct fd_config *cfg,
                                        int *first, int timeout_ms, bool is_routine,
                                        sentinel_master_fn done, void *arg);
/* done will not run. NULL is fine. Not from within done. */
void sentinel_ask_cancel(struct sentinel_ask *ask);

#endif
