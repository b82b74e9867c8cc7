/* lib/calendar/tz_cache.c: an open-addressing hash table (FNV-1a, linear probing, at most half
 * full) from zone name to loaded zone or to the reason it failed. Entries are never
 * removed: zone files do not change under a running pod in a way worth reloading for. */
#include "calendar/tz_cache.h"

#include <stdlib.h>
#include <string.h>

#include "calendar/tz.h"
#include "core/xalloc.h"

struct tz_cache_entry {
    char *name;                 /* owned; NULL: empty slot */
    struct tz *tz;              /* owned; NULL if loading failed */
    const char *why;            /* static, when tz is NULL */
};

struct tz_cache {
    char *zoneinfo_dir;         /* owned; NULL: the default */
    struct tz_cache_entry *slots;
    size_t nslots;              /* a power of two */
    size_t nused, nfailed;
};

struct tz_cache *tz_cache_create(const char *zoneinfo_dir)
{
    struct tz_cache *c = xcalloc(1, sizeof *c);
    c->zoneinfo_dir = xstrdup(zoneinfo_dir);
    c->nslots = 64;
    c->slots = xcalloc(c->nslots, sizeof *c->slots);
    return c;
}

void tz_cache_free(struct tz_cache *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->nslots; i++) {
        free(c->slots[i].name);
        tz_free(c->slots[i].tz);
    }
    free(c->slots);
    free(c->zoneinfo_dir);
    free(c);
}

static uint64_t hash_name(const char *s)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3u;
    return h;
}

static struct tz_cache_entry *find_slot(struct tz_cache_entry *slots, size_t nslots,
                                        const char *name)
{
    size_t i = (size_t)hash_name(name) & (nslots - 1);
    while (slots[i].name != NULL && strcmp(slots[i].name, name) != 0)
        i = (i + 1) & (nslots - 1);
    return &slots[i];
}

static void grow(struct tz_cache *c)
{
    size_t nslots = c->nslots * 2;
    struct tz_cache_entry *slots = xcalloc(nslots, sizeof *slots);
    for (size_t i = 0; i < c->nslots; i++)
        if (c->slots[i].name != NULL)
            *find_slot(slots, nslots, c->slots[i].name) = c->slots[i];
    free(c->slots);
    c->slots = slots;
    c->nslots = nslots;
}

const struct tz *tz_cache_get(struct tz_cache *c, const char *name, const char **why)
{
    if (!tz_name_is_valid(name)) {
        *why = "not a valid time zone name";
        return NULL;
    }
    struct tz_cache_entry *e = find_slot(c->slots, c->nslots, name);
    if (e->name != NULL) {
        *why = e->why;
        return e->tz;
    }
    struct tz *tz = tz_create(c->zoneinfo_dir, name, why);
    if (tz == NULL && c->nfailed >= TZ_CACHE_FAILURES_MAX)
        return NULL;
    if ((c->nused + 1) * 2 > c->nslots) {
        grow(c);
        e = find_slot(c->slots, c->nslots, name);
    }
    e->name = xstrdup(name);
    e->tz = tz;
    e->why = tz == NULL ? *why : NULL;
    c->nused++;
    c->nfailed += tz == NULL;
    return tz;
}
