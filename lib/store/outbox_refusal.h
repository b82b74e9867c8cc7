/* lib/store/outbox_refusal.h: what the outbox drain (outbox_drain.c) does with an entry
 * that cannot be written: tell a refusal of the entry itself from PostgreSQL being
 * unavailable or slow, and count the refusal in Redis (lua/outbox_refuse.lua), which
 * moves the entry to the tenant's dead outbox (fd:{sNNN}:t:B:outbox_dead) once it has
 * been refused OUTBOX_MAX_REFUSALS times, or at once when it cannot be decoded.
 * `frontdesk-ctl dead list|show|replay|purge --outbox` is the operator's side. */
#ifndef FD_OUTBOX_REFUSAL_H
#define FD_OUTBOX_REFUSAL_H
#include <stdbool.h>

#include "store/redis_conn.h"

/* Refusals of one entry, each in a transaction of its own, before it is moved. A constant:
 * the drain tries a tenant's outbox every 500 ms while it owns it, so five refusals take
 * about 2.5 s, short enough that one bad record never holds its tenant, and a refusal is
 * a bug to fix (then `dead replay --outbox`), not a condition to tune around. */
#define OUTBOX_MAX_REFUSALS 5
/* How long Redis keeps the counts of a tenant's refused entries after the last refusal. */
#define OUTBOX_REFUSAL_TTL_MS (24LL * 3600 * 1000)

/* True when sqlstate (five characters, or NULL) says PostgreSQL refused the data itself:
 * class 22 (data exception), 23 (integrity constraint) or 42 (syntax or access rule, e.g.
 * a column the schema lacks). Everything else (08 connection, 40 serialization and
 * deadlock, 53 resources, 55P03 lock_not_available, 57 operator intervention such as
 * 57014 statement_timeout and 57P01 admin_shutdown, or no SQLSTATE at all) is PostgreSQL
 * unavailable or slow: the entry is retried, never moved. */
bool outbox_refusal_is_data_error(const char *sqlstate);

/* Counts one refusal of entry_id in business_id's outbox; why and sqlstate ("" when the
 * whitelist refused it) go with the entry if it moves. max_refusals: OUTBOX_MAX_REFUSALS,
 * or 1 to move it at once. Everything is copied; cb runs once (perhaps before this
 * returns), its reply read with outbox_refusal_read. */
void outbox_refusal_count(struct redis_conn *redis, unsigned shards, const char *business_id,
                          const char *entry_id, const char *why, const char *sqlstate,
                          int max_refusals, int timeout_ms, redis_reply_fn cb, void *arg);

/* Reads the script's reply (borrowed): false when it is not one (Redis failed). Else
 * *refusals is the count so far (0: the entry was no longer in the outbox) and dead_id
 * (dead_id_len bytes) the dead outbox entry's id, or "" when the entry stays. */
bool outbox_refusal_read(const redisReply *reply, long long *refusals, char *dead_id,
                         size_t dead_id_len);

#endif
