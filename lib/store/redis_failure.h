/* lib/store/redis_failure.h: which failed Redis commands are worth sending again as they
 * are. The workers retry a transient failure without counting it against the event (a
 * Redis outage must never dead-letter a call), while a failure caused by the command
 * itself counts, so a poison input still ends in the dead stream. */
#ifndef FD_REDIS_FAILURE_H
#define FD_REDIS_FAILURE_H
#include <stdbool.h>

#include <hiredis/hiredis.h>

/* True when the same command may succeed later: no reply (a timeout, a lost or absent
 * connection) or an error reply that describes the server's state rather than the
 * command (OOM, LOADING, BUSY, MASTERDOWN, READONLY, TRYAGAIN, NOREPLICAS, CLUSTERDOWN).
 * False for any other error, a script's own error among them. */
bool redis_failure_is_transient(const redisReply *reply);

#endif
