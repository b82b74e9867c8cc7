/* lib/store/redis_sub.h: a dedicated Redis connection subscribed to one channel, kept alive
 * with reconnection and jittered backoff forever. Used by workers to hear at once that
 * a tenant they own has new events, instead of polling every stream. Messages can be
 * lost while the connection is down, so every (re)subscription is reported and the
 * caller then looks at everything itself. */
#ifndef FD_REDIS_SUB_H
#define FD_REDIS_SUB_H
#include <stddef.h>

#include "core/config.h"

struct event_base;
struct redis_sub;

/* message is borrowed for the call; NULL with len 0 means "(re)subscribed: messages
 * may have been missed". */
typedef void (*redis_sub_fn)(const char *message, size_t len, void *arg);

/* Borrows base and cfg; copies channel. A connection that hears nothing on the channel
 * for silence_limit_ms is taken for dead and made anew (0: never): the caller makes
 * sure something is published more often than that. */
struct redis_sub *redis_sub_create(struct event_base *base, const struct fd_config *cfg,
                                   const char *channel, int silence_limit_ms,
                                   redis_sub_fn cb, void *arg);
void redis_sub_free(struct redis_sub *sub);   /* NULL is fine */

#endif
