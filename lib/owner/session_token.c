/* lib/owner/session_token.c: see session_token.h. */
#include "owner/session_token.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

void session_token_generate(char out[SESSION_TOKEN_LEN + 1])
{
    unsigned char raw[SESSION_TOKEN_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, SESSION_TOKEN_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

bool session_token_hash(const char *token, size_t len, unsigned char out[SESSION_HASH_BYTES])
{
    unsigned char raw[SESSION_TOKEN_BYTES];
    size_t raw_len = 0;
    const char *end = NULL;
    if (len != SESSION_TOKEN_LEN)
        return false;
    if (sodium_base642bin(raw, sizeof raw, token, len, NULL, &raw_len, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        raw_len != sizeof raw || end != token + len)
        return false;
    crypto_hash_sha256(out, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    return true;
}

bool session_token_from_bearer(const char *header, const char **token, size_t *len)
{
    if (header == NULL || strncasecmp(header, "Bearer ", 7) != 0)
        return false;
    const char *t = header + 7;
    while (*t == ' ')
        t++;
    size_t n = strcspn(t, " \t");
    if (n == 0 || t[n] != '\0')
        return false;
    *token = t;
    *len = n;
    return true;
}

bool session_token_from_cookie(const char *header, const char **token, size_t *len)
{
    static const char name[] = SESSION_COOKIE_NAME "=";
    const char *p = header;
    while (p != NULL && *p != '\0') {
        while (*p == ' ' || *p == ';')
            p++;
        size_t pair = strcspn(p, ";");
        if (pair >= sizeof name - 1 && strncmp(p, name, sizeof name - 1) == 0) {
            size_t n = pair - (sizeof name - 1);
            while (n > 0 && p[sizeof name - 1 + n - 1] == ' ')
                n--;
            *token = p + sizeof name - 1;
            *len = n;
            return true;
        }
        p += pair;
    }
    return false;
}

void session_cookie_format(char *out, const char *token, long max_age_s, bool is_secure)
{
    snprintf(out, SESSION_COOKIE_MAX, "%s=%s; Max-Age=%ld; Path=/; HttpOnly; SameSite=Strict%s",
             SESSION_COOKIE_NAME, token, max_age_s, is_secure ? "; Secure" : "");
}
