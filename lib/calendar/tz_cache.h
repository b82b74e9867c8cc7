/* lib/calendar/tz_cache.h: time zones by name, each read from disk and parsed once, for a
 * process serving many businesses (a few dozen distinct zones in practice; the system
 * has about six hundred). A lookup hashes the name and compares it once. */
#ifndef FD_TZ_CACHE_H
#define FD_TZ_CACHE_H

struct tz;
struct tz_cache;                /* opaque */

/* Returns a new cache reading zoneinfo_dir (copied; NULL: /usr/share/zoneinfo). Free
 * with tz_cache_free(), which frees every zone it handed out. Not thread-safe. */
struct tz_cache *tz_cache_create(const char *zoneinfo_dir);
void tz_cache_free(struct tz_cache *cache);        /* NULL is fine */

/* The zone called name, loaded on first use. Returns a zone borrowed from the cache
 * (valid until tz_cache_free), or NULL with *why. A failed name is remembered too (up
 * to TZ_CACHE_FAILURES_MAX of them), so a misconfigured business does not read the
 * disk on every turn. */
#define TZ_CACHE_FAILURES_MAX 256
const struct tz *tz_cache_get(struct tz_cache *cache, const char *name, const char **why);

#endif
