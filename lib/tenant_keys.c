/* lib/tenant_keys.c: see tenant_keys.h. */
#include "tenant_keys.h"

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

size_t tenant_key(char *out, const char *business_id, unsigned shards, const char *suffix)
{
    int n = snprintf(out, FD_KEY_MAX, "fd:{s%03u}:t:%s:%s",
                     tenant_shard(business_id, shards), business_id, suffix);
    return n < 0 ? 0 : (size_t)n < FD_KEY_MAX ? (size_t)n : FD_KEY_MAX - 1;
}

size_t tenant_events_key(char *out, const char *business_id, unsigned shards)
{
    return tenant_key(out, business_id, shards, "events");
}

size_t tenant_seen_key(char *out, const char *business_id, unsigned shards,
                       const char *event_id, size_t event_id_len)
{
    int n = snprintf(out, FD_KEY_MAX, "fd:{s%03u}:t:%s:seen:%.*s",
                     tenant_shard(business_id, shards), business_id, (int)event_id_len, event_id);
    return n < 0 ? 0 : (size_t)n < FD_KEY_MAX ? (size_t)n : FD_KEY_MAX - 1;
}

size_t shard_ready_key(char *out, unsigned shard)
{
    return (size_t)snprintf(out, FD_KEY_MAX, "fd:{s%03u}:ready", shard);
}
