/* lib/core/secrets.c: see secrets.h. A handful of secrets, each a few dozen bytes, and
 * log lines of at most 2 KiB: a plain search per secret per line costs well under a
 * microsecond, so every line is checked. */
#include "core/secrets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

static char *secrets[SECRETS_MAX];
static size_t secret_lens[SECRETS_MAX];
static int secret_count;

void secrets_register(const char *secret)
{
    size_t len = secret ? strlen(secret) : 0;
    if (len < SECRET_MIN_LEN || secret_count >= SECRETS_MAX)
        return;
    for (int i = 0; i < secret_count; i++)
        if (strcmp(secrets[i], secret) == 0)
            return;
    secrets[secret_count] = xstrdup(secret);
    secret_lens[secret_count] = len;
    secret_count++;
}

void secrets_clear(void)
{
    for (int i = 0; i < secret_count; i++)
        free(secrets[i]);
    secret_count = 0;
}

/* memmem is a GNU extension; this is the portable few lines of it. */
static char *find_bytes(char *hay, size_t hay_len, const char *needle, size_t needle_len)
{
    while (hay_len >= needle_len) {
        char *p = memchr(hay, needle[0], hay_len - needle_len + 1);
        if (p == NULL)
            return NULL;
        if (memcmp(p, needle, needle_len) == 0)
            return p;
        hay_len -= (size_t)(p - hay) + 1;
        hay = p + 1;
    }
    return NULL;
}

static void mask_one(char *buf, size_t *len, const char *secret, size_t secret_len)
{
    size_t from = 0;
    while (from + secret_len <= *len) {
        char *hit = find_bytes(buf + from, *len - from, secret, secret_len);
        if (hit == NULL)
            return;
        size_t at = (size_t)(hit - buf);
        memcpy(hit, "***", 3);
        memmove(hit + 3, hit + secret_len, *len - at - secret_len);
        *len -= secret_len - 3;
        from = at + 3;
    }
}

void secrets_mask(char *buf, size_t *len)
{
    for (int i = 0; i < secret_count; i++)
        mask_one(buf, len, secrets[i], secret_lens[i]);
}

static bool name_has(const char *name, const char *word)
{
    return strstr(name, word) != NULL;
}

void secrets_describe_value(const char *name, const char *value, char *out, size_t out_len)
{
    if (name_has(name, "KEY") || name_has(name, "PASSWORD") || name_has(name, "SECRET") ||
        name_has(name, "TOKEN")) {
        snprintf(out, out_len, "(not shown: a secret)");
        return;
    }
    size_t name_len = strlen(name);
    if (name_len >= 4 && strcmp(name + name_len - 4, "_URL") == 0) {
        size_t scheme = strspn(value, "abcdefghijklmnopqrstuvwxyz"
                                      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
        if (scheme > 0 && scheme <= 16 && strncmp(value + scheme, "://", 3) == 0)
            snprintf(out, out_len, "%.*s://... (the rest not shown: it may hold a password)",
                     (int)scheme, value);
        else
            snprintf(out, out_len, "(not shown: it may hold a password)");
        return;
    }
    snprintf(out, out_len, "%.60s", value);
}
