/* lib/store/tenant_keys.c: see tenant_keys.h. */
#include "store/tenant_keys.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

bool uuid_is_valid(const char *text, size_t len)
{
    if (len != FD_UUID_LEN)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (text[i] != '-')
                return false;
        } else if (!isxdigit((unsigned char)text[i])) {
            return false;
        }
    }
    return true;
}

bool uuid_canonical(const char *text, size_t len, char out[FD_UUID_LEN + 1])
{
    if (!uuid_is_valid(text, len))
        return false;
    for (size_t i = 0; i < len; i++)
        out[i] = (char)tolower((unsigned char)text[i]);
    out[FD_UUID_LEN] = '\0';
    return true;
}

void uuid_generate(char out[FD_UUID_LEN + 1])
{
    unsigned char b[16];
    randombytes_buf(b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, FD_UUID_LEN + 1,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
             b[12], b[13], b[14], b[15]);
}

unsigned tenant_shard(const char *business_id, unsigned shards)
{
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, (const Bytef *)business_id, (uInt)strlen(business_id));
    return (unsigned)(crc % (shards ? shards : 1));
}

/* Keys are built by hand, not with snprintf: the api builds four per webhook and
 * the format parsing showed in its profile. Same text and the same truncation to
 * FD_KEY_MAX - 1 as snprintf(out, FD_KEY_MAX, ...) would give. */
struct key_buf {
    char *out;
    size_t len;
};

static void key_put(struct key_buf *k, const char *s, size_t n)
{
    size_t room = FD_KEY_MAX - 1 - k->len;
    if (n > room)
        n = room;
    memcpy(k->out + k->len, s, n);
    k->len += n;
}

static void key_put_str(struct key_buf *k, const char *s)
{
    key_put(k, s, strlen(s));
}

/* "fd:{sNNN}": the shard in decimal, at least three digits (as %03u). */
static void key_put_shard_tag(struct key_buf *k, unsigned shard)
{
    char digits[16];
    size_t n = sizeof digits;
    do {
        digits[--n] = (char)('0' + shard % 10);
        shard /= 10;
    } while (shard != 0);
    while (sizeof digits - n < 3)
        digits[--n] = '0';
    key_put(k, "fd:{s", 5);
    key_put(k, digits + n, sizeof digits - n);
    key_put(k, "}", 1);
}

static size_t key_end(struct key_buf *k)
{
    k->out[k->len] = '\0';
    return k->len;
}

size_t tenant_key_at(char *out, unsigned shard, const char *business_id, const char *suffix)
{
    struct key_buf k = {out, 0};
    key_put_shard_tag(&k, shard);
    key_put(&k, ":t:", 3);
    key_put_str(&k, business_id);
    key_put(&k, ":", 1);
    key_put_str(&k, suffix);
    return key_end(&k);
}

size_t tenant_seen_key_at(char *out, unsigned shard, const char *business_id,
                          const char *event_id, size_t event_id_len)
{
    struct key_buf k = {out, 0};
    key_put_shard_tag(&k, shard);
    key_put(&k, ":t:", 3);
    key_put_str(&k, business_id);
    key_put(&k, ":seen:", 6);
    key_put(&k, event_id, strnlen(event_id, event_id_len));   /* as %.*s */
    return key_end(&k);
}

size_t tenant_key(char *out, const char *business_id, unsigned shards, const char *suffix)
{
    return tenant_key_at(out, tenant_shard(business_id, shards), business_id, suffix);
}

size_t tenant_events_key(char *out, const char *business_id, unsigned shards)
{
    return tenant_key(out, business_id, shards, "events");
}

size_t tenant_seen_key(char *out, const char *business_id, unsigned shards,
                       const char *event_id, size_t event_id_len)
{
    return tenant_seen_key_at(out, tenant_shard(business_id, shards), business_id,
                              event_id, event_id_len);
}

size_t shard_ready_key(char *out, unsigned shard)
{
    struct key_buf k = {out, 0};
    key_put_shard_tag(&k, shard);
    key_put(&k, ":ready", 6);
    return key_end(&k);
}
