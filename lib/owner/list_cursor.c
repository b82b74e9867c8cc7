/* lib/owner/list_cursor.c: see list_cursor.h. */
#include "owner/list_cursor.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define CURSOR_FORMAT 1
#define CURSOR_BODY_BYTES (1 + 8 + 16)
#define CURSOR_CHECK_BYTES 8
#define CURSOR_BYTES (CURSOR_BODY_BYTES + CURSOR_CHECK_BYTES)

_Static_assert(LIST_CURSOR_LEN == (CURSOR_BYTES * 4 + 2) / 3, "base64url without padding");

static void check_of(const unsigned char body[CURSOR_BODY_BYTES], const char *scope,
                     unsigned char out[CURSOR_CHECK_BYTES])
{
    static const char context[] = "frontdesk list cursor";
    unsigned char digest[crypto_generichash_BYTES_MIN];
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, sizeof digest);
    crypto_generichash_update(&st, (const unsigned char *)context, sizeof context);
    crypto_generichash_update(&st, (const unsigned char *)scope, strlen(scope) + 1);
    crypto_generichash_update(&st, body, CURSOR_BODY_BYTES);
    crypto_generichash_final(&st, digest, sizeof digest);
    memcpy(out, digest, CURSOR_CHECK_BYTES);
}

static bool uuid_to_bytes(const char *id, unsigned char out[16])
{
    char hex[33];
    size_t n = 0;
    if (!uuid_is_valid(id, strlen(id)))
        return false;
    for (const char *c = id; *c != '\0'; c++)
        if (*c != '-')
            hex[n++] = *c;
    hex[n] = '\0';
    size_t len = 0;
    return sodium_hex2bin(out, 16, hex, n, NULL, &len, NULL) == 0 && len == 16;
}

static void uuid_from_bytes(const unsigned char b[16], char out[FD_UUID_LEN + 1])
{
    snprintf(out, FD_UUID_LEN + 1,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
}

bool list_cursor_encode(const struct list_position *pos, const char *scope,
                        char out[LIST_CURSOR_LEN + 1])
{
    unsigned char raw[CURSOR_BYTES];
    uint64_t key = (uint64_t)pos->key;
    raw[0] = CURSOR_FORMAT;
    for (int i = 0; i < 8; i++)
        raw[1 + i] = (unsigned char)(key >> (56 - 8 * i));
    if (!uuid_to_bytes(pos->id, raw + 9))
        return false;
    check_of(raw, scope, raw + CURSOR_BODY_BYTES);
    sodium_bin2base64(out, LIST_CURSOR_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return true;
}

bool list_cursor_decode(const char *text, const char *scope, struct list_position *out)
{
    unsigned char raw[CURSOR_BYTES], check[CURSOR_CHECK_BYTES];
    size_t len = strlen(text), raw_len = 0;
    const char *end = NULL;
    if (len != LIST_CURSOR_LEN ||
        sodium_base642bin(raw, sizeof raw, text, len, NULL, &raw_len, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        raw_len != sizeof raw || end != text + len || raw[0] != CURSOR_FORMAT)
        return false;
    check_of(raw, scope, check);
    if (sodium_memcmp(check, raw + CURSOR_BODY_BYTES, sizeof check) != 0)
        return false;
    uint64_t key = 0;
    for (int i = 0; i < 8; i++)
        key = key << 8 | raw[1 + i];
    out->key = (int64_t)key;
    uuid_from_bytes(raw + 9, out->id);
    return true;
}
