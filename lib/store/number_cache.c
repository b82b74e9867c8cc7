/* lib/store/number_cache.c: open addressing with linear probing over fixed-size slots.
 * Numbers are short (E.164 is at most 16 characters), so slots hold them inline and a
 * lookup touches one or two cache lines. When the table is 3/4 full it doubles; it is
 * capped so a flood of unknown numbers cannot grow it without bound (at the cap it
 * starts afresh, which costs only Redis lookups). */
#include "store/number_cache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define NUMBER_MAX 31
#define INITIAL_SLOTS 1024
#define MAX_SLOTS (1u << 21)

struct slot {
    char number[NUMBER_MAX + 1];     /* "" = empty */
    char business_id[37];            /* "" = nobody owns the number */
    long long expires_ms;
};

struct number_cache {
    struct slot *slots;
    size_t cap;                       /* a power of two */
    size_t used;
};

static uint64_t hash_text(const char *s)
{
    uint64_t h = 1469598103934665603ull;    /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

struct number_cache *number_cache_create(void)
{
    struct number_cache *c = xcalloc(1, sizeof *c);
    c->cap = INITIAL_SLOTS;
    c->slots = xcalloc(c->cap, sizeof *c->slots);
    return c;
}

void number_cache_free(struct number_cache *cache)
{
    if (cache == NULL)
        return;
    free(cache->slots);
    free(cache);
}

static struct slot *find_slot(struct number_cache *c, const char *number)
{
    size_t mask = c->cap - 1;
    for (size_t i = hash_text(number) & mask;; i = (i + 1) & mask) {
        struct slot *s = &c->slots[i];
        if (s->number[0] == '\0' || strcmp(s->number, number) == 0)
            return s;
    }
}

enum number_lookup number_cache_get(struct number_cache *cache, const char *number,
                                    long long now_ms, char business_id[37])
{
    if (strlen(number) > NUMBER_MAX)
        return NUMBER_UNKNOWN;
    const struct slot *s = find_slot(cache, number);
    if (s->number[0] == '\0' || s->expires_ms <= now_ms)
        return NUMBER_UNKNOWN;
    if (s->business_id[0] == '\0')
        return NUMBER_UNOWNED;
    memcpy(business_id, s->business_id, 37);
    return NUMBER_OWNED;
}

static void grow(struct number_cache *c)
{
    struct slot *old = c->slots;
    size_t old_cap = c->cap;
    if (c->cap >= MAX_SLOTS) {
        memset(c->slots, 0, c->cap * sizeof *c->slots);   /* start afresh at the cap */
        c->used = 0;
        return;
    }
    c->cap *= 2;
    c->slots = xcalloc(c->cap, sizeof *c->slots);
    c->used = 0;
    for (size_t i = 0; i < old_cap; i++) {
        if (old[i].number[0] != '\0') {
            *find_slot(c, old[i].number) = old[i];
            c->used++;
        }
    }
    free(old);
}

void number_cache_clear(struct number_cache *cache)
{
    memset(cache->slots, 0, cache->cap * sizeof *cache->slots);
    cache->used = 0;
}

void number_cache_put(struct number_cache *cache, const char *number,
                      const char *business_id, long long now_ms)
{
    size_t len = strlen(number);
    if (len == 0 || len > NUMBER_MAX)
        return;
    if ((cache->used + 1) * 4 > cache->cap * 3)
        grow(cache);
    struct slot *s = find_slot(cache, number);
    if (s->number[0] == '\0') {
        memcpy(s->number, number, len + 1);
        cache->used++;
    }
    if (business_id != NULL && strlen(business_id) == 36) {
        memcpy(s->business_id, business_id, 37);
        s->expires_ms = now_ms + FD_NUMBER_TTL_MS;
    } else {
        s->business_id[0] = '\0';
        s->expires_ms = now_ms + FD_NUMBER_MISS_TTL_MS;
    }
}
