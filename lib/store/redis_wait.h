/* lib/store/redis_wait.h: WAIT numreplicas timeout on a connection, for the writers that
 * must not go on until a replica holds what they wrote (FRONTDESK_REDIS_WAIT_REPLICAS):
 * the api before its 200, a worker before a call's next event. WAIT counts the writes
 * made so far on the same connection. */
#ifndef FD_REDIS_WAIT_H
#define FD_REDIS_WAIT_H
#include <stdbool.h>

#include "store/redis_conn.h"

/* Sends WAIT replicas wait_ms (at least 1: WAIT 0 would wait for ever) with a deadline of
 * deadline_ms; cb gets WAIT's answer. */
void redis_wait_send(struct redis_conn *conn, int replicas, int wait_ms, int deadline_ms,
                     redis_reply_fn cb, void *arg);

/* True when WAIT's answer (reply, err) says at least replicas replicas hold the writes. */
bool redis_wait_reached(const redisReply *reply, enum app_err err, int replicas);

#endif
