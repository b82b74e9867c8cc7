/* lib/store/outbox_drain.h: moves the records of the tenants' outbox streams
 * (fd:{sNNN}:t:<business>:outbox, see lib/store/outbox_record.h) into PostgreSQL, in
 * batches, without ever losing or doubling one.
 *
 * A pass over one tenant: XLEN (for the metrics), then repeatedly XRANGE 200 entries →
 * one transaction under that tenant's RLS with one multi-row INSERT ... ON CONFLICT (id)
 * DO NOTHING per table (business_id always the stream's tenant, never the row's) →
 * COMMIT → XDEL of exactly the committed entries, until a short batch ends the pass.
 * A row the database refuses on its data (SQLSTATE classes 22, 23 and 42, found by
 * retrying that batch one entry per transaction) is left in the stream, logged once, and
 * its refusal counted in Redis; the entries after it go on. Refused OUTBOX_MAX_REFUSALS
 * times in its own transaction, it moves to the tenant's dead outbox with its error and
 * SQLSTATE (lib/store/outbox_refusal.h), so it never holds its tenant's outbox; an entry
 * the whitelist refuses (it cannot be decoded) moves there at once. Any other failure
 * (Redis or PostgreSQL down or timing out, a lock or statement timeout, a deadlock)
 * ends the pass and never counts as a refusal; the tenant is retried with backoff
 * (200 ms doubling to 5 s) until a pass succeeds. A crash between COMMIT and XDEL only
 * makes the next pass insert rows that already exist, which DO NOTHING ignores.
 *
 * At most one pass per tenant runs at a time; asking again while one runs makes one
 * more pass after it (coalesced), so the worker may ask after every commit. */
#ifndef FD_OUTBOX_DRAIN_H
#define FD_OUTBOX_DRAIN_H
#include <stdbool.h>

struct event_base;
struct evbuffer;
struct redis_conn;
struct pg_conn;
struct outbox_drain;

#define OUTBOX_DRAIN_BATCH 200

/* Borrows base, redis and pg. Free the drain before the connections: outbox_drain_free
 * detaches itself from the calls still in flight, whose callbacks then do nothing. */
struct outbox_drain *outbox_drain_create(struct event_base *base, struct redis_conn *redis,
                                         struct pg_conn *pg, unsigned shards);
void outbox_drain_free(struct outbox_drain *d);     /* NULL is fine */

/* Drains business_id's outbox now, or once more after the running pass, or at the end
 * of the backoff if its last pass failed. business_id: UUID text (any case); anything
 * else is logged and ignored. */
void outbox_drain_tenant(struct outbox_drain *d, const char *business_id);

/* True when no pass of business_id is running, queued or waiting to retry, and its last
 * pass (if any) succeeded: everything drainable that was in the outbox when that pass
 * began is in PostgreSQL. */
bool outbox_drain_is_settled(const struct outbox_drain *d, const char *business_id);

/* The tenant's outbox length as last seen (0: not seen). */
long long outbox_drain_length(const struct outbox_drain *d, const char *business_id);

/* The longest outbox of the tenants drained, and how many hold high_water entries or
 * more, as last seen (each pass starts with XLEN). */
void outbox_drain_longest(const struct outbox_drain *d, long long high_water, long long *longest,
                          unsigned *over);

/* Writes the drain's metrics in the Prometheus text format: records written, batches,
 * failed passes, refused records left in place, records moved to the dead outbox,
 * outbox length last seen, tenants waiting to retry. */
void outbox_drain_write_metrics(const struct outbox_drain *d, struct evbuffer *out);

#endif
