/* lib/store/tenant_keys.h: the Redis key layout of docs/design.md, in one place. Every key of
 * tenant B carries its shard's hash tag {sNNN}, shard(B) = crc32(lowercase B) % S,
 * so one script can touch a tenant's keys and its shard's ready set on Redis Cluster. */
#ifndef FD_TENANT_KEYS_H
#define FD_TENANT_KEYS_H
#include <stdbool.h>
#include <stddef.h>

#define FD_UUID_LEN 36
#define FD_KEY_MAX 256
#define FD_NUMBERS_KEY "fd:numbers"
/* INCR'd after every change of fd:numbers: the api polls it and drops its number cache
 * when it moves, so a number moved to another business routes there within a second. */
#define FD_NUMBERS_VERSION_KEY "fd:numbers:version"
#define FD_UNROUTED_KEY "fd:unrouted"
/* Stripe customer id -> business id, written when the customer is created
 * (docs/billing.md): how the api routes a Stripe event that names only its customer. */
#define FD_STRIPE_CUSTOMERS_KEY "fd:stripe:customers"
/* + the UTC date (YYYY-MM-DD): the worker that ran that day's billing reconciliation. */
#define FD_BILLING_RECONCILED_PREFIX "fd:billing:reconciled:"
/* + the UTC date (YYYY-MM-DD): the worker that ran that day's retention deletion. */
#define FD_RETENTION_RAN_PREFIX "fd:retention:ran:"
#define FD_WORKERS_KEY "fd:workers"
#define FD_CONSUMER_GROUP "workers"

/* True for canonical 8-4-4-4-12 hex UUID text (either case). */
bool uuid_is_valid(const char *text, size_t len);
/* Copies the lowercase canonical form into out[37]; false if not a UUID. */
bool uuid_canonical(const char *text, size_t len, char out[FD_UUID_LEN + 1]);
/* Writes a new random (version 4) UUID into out[37]. */
void uuid_generate(char out[FD_UUID_LEN + 1]);

/* The shard of a business (canonical lowercase UUID text), 0..shards-1. */
unsigned tenant_shard(const char *business_id, unsigned shards);

/* Key builders: write the key into out (FD_KEY_MAX bytes) and return its length.
 * business_id must be canonical. */
size_t tenant_key(char *out, const char *business_id, unsigned shards, const char *suffix);
size_t tenant_events_key(char *out, const char *business_id, unsigned shards);
size_t tenant_seen_key(char *out, const char *business_id, unsigned shards,
                       const char *event_id, size_t event_id_len);
size_t shard_ready_key(char *out, unsigned shard);
/* The same keys for a shard the caller already has from tenant_shard(), so that a
 * request building several keys of one tenant computes its crc32 once. */
size_t tenant_key_at(char *out, unsigned shard, const char *business_id, const char *suffix);
size_t tenant_seen_key_at(char *out, unsigned shard, const char *business_id,
                          const char *event_id, size_t event_id_len);

#endif
