/* lib/core/det_uuid.c: see det_uuid.h. RFC 9562 version 8 ("custom"): the variant and
 * version bits are set over the first 16 bytes of a SHA-256. */
#include "core/det_uuid.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

void det_uuid(char out[37], const char *namespace_text, int nparts, const char *const *parts)
{
    crypto_hash_sha256_state st;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)namespace_text, strlen(namespace_text) + 1);
    for (int i = 0; i < nparts; i++)
        crypto_hash_sha256_update(&st, (const unsigned char *)parts[i], strlen(parts[i]) + 1);
    crypto_hash_sha256_final(&st, h);
    h[6] = (unsigned char)((h[6] & 0x0f) | 0x80);
    h[8] = (unsigned char)((h[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11], h[12],
             h[13], h[14], h[15]);
}

void det_uuid2(char out[37], const char *namespace_text, const char *a, const char *b)
{
    const char *parts[] = {a, b};
    det_uuid(out, namespace_text, 2, parts);
}
