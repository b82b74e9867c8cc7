/* lib/store/number_cache.h: the api's local copy of `fd:numbers` (E.164 -> business id),
 * filled on demand. Nearly every webhook names a number the api has seen in the last
 * seconds, so the hot path is one hash probe instead of a Redis round trip. Entries
 * expire (positive after FD_NUMBER_TTL_MS, negative after FD_NUMBER_MISS_TTL_MS), and the
 * api drops them all whenever fd:numbers:version moves (api/number_watch.c), so a number
 * moved to another business is followed within a second; the expiry is the backstop for
 * a change made without the version (a hand edit in redis-cli). */
#ifndef FD_NUMBER_CACHE_H
#define FD_NUMBER_CACHE_H
#include <stdbool.h>
#include <stddef.h>

#define FD_NUMBER_TTL_MS 10000
#define FD_NUMBER_MISS_TTL_MS 2000

struct number_cache;

struct number_cache *number_cache_create(void);
void number_cache_free(struct number_cache *cache);     /* NULL is fine */

enum number_lookup { NUMBER_UNKNOWN, NUMBER_OWNED, NUMBER_UNOWNED };

/* NUMBER_OWNED copies the business id into business_id[37]; NUMBER_UNOWNED is a fresh
 * "no business has it"; NUMBER_UNKNOWN means ask Redis. */
enum number_lookup number_cache_get(struct number_cache *cache, const char *number,
                                    long long now_ms, char business_id[37]);
/* Forgets every entry (fd:numbers changed). */
void number_cache_clear(struct number_cache *cache);
/* Remembers an answer from Redis; business_id NULL means no business owns it. */
void number_cache_put(struct number_cache *cache, const char *number,
                      const char *business_id, long long now_ms);

#endif
