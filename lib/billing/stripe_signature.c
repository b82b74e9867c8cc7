/* lib/billing/stripe_signature.c: see stripe_signature.h. The header is read in one pass
 * into its timestamp and the positions of its v1 values; the HMAC is streamed over the
 * timestamp, the dot and the body, so nothing is copied or allocated whatever the body's
 * size. */
#include "billing/stripe_signature.h"

#include <sodium.h>
#include <stdbool.h>
#include <string.h>

#define SIGNATURE_HEX_LEN (2 * crypto_auth_hmacsha256_BYTES)
#define TIMESTAMP_DIGITS_MAX 12      /* Unix seconds until the year 33658 */
#define V1_MAX 16                    /* more than any rotation keeps valid at once */

struct parsed_header {
    const char *t;                   /* borrowed from the header; NULL when absent */
    size_t t_len;
    int t_count;
    const char *v1[V1_MAX];          /* borrowed, each v1_len[i] bytes */
    size_t v1_len[V1_MAX];
    int v1_count;
};

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Records one "key=value" item of [start, end), blanks around it dropped; items of other
 * schemes and items without '=' are ignored, as Stripe's own libraries do. */
static void header_take_item(struct parsed_header *p, const char *start, const char *end)
{
    while (start < end && is_blank(*start))
        start++;
    while (end > start && is_blank(end[-1]))
        end--;
    const char *eq = memchr(start, '=', (size_t)(end - start));
    if (eq == NULL)
        return;
    size_t key_len = (size_t)(eq - start);
    if (key_len == 1 && start[0] == 't') {
        p->t = eq + 1;
        p->t_len = (size_t)(end - eq - 1);
        p->t_count++;
    } else if (key_len == 2 && start[0] == 'v' && start[1] == '1' && p->v1_count < V1_MAX) {
        p->v1[p->v1_count] = eq + 1;
        p->v1_len[p->v1_count] = (size_t)(end - eq - 1);
        p->v1_count++;
    }
}

static void header_parse(const char *header, size_t len, struct parsed_header *p)
{
    memset(p, 0, sizeof *p);
    const char *item = header, *end = header + len;
    for (const char *c = header; c <= end; c++) {
        if (c == end || *c == ',') {
            header_take_item(p, item, c);
            item = c + 1;
        }
    }
}

/* Canonical decimal seconds (no sign, no leading zero): the text signed must be the one
 * Stripe formatted, and one number must have one spelling. */
static bool timestamp_parse(const char *text, size_t len, long long *out)
{
    if (len == 0 || len > TIMESTAMP_DIGITS_MAX || (len > 1 && text[0] == '0'))
        return false;
    long long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        v = v * 10 + (text[i] - '0');
    }
    *out = v;
    return true;
}

static bool v1_matches(const char *hex, size_t hex_len,
                       const unsigned char expected[crypto_auth_hmacsha256_BYTES])
{
    unsigned char given[crypto_auth_hmacsha256_BYTES];
    size_t given_len = 0;
    if (hex_len != SIGNATURE_HEX_LEN ||
        sodium_hex2bin(given, sizeof given, hex, hex_len, NULL, &given_len, NULL) != 0 ||
        given_len != sizeof given)
        return false;
    return sodium_memcmp(given, expected, sizeof given) == 0;
}

enum app_err stripe_signature_verify(const char *header, const char *body, size_t body_len,
                                     const char *secret, time_t now, int tolerance_s,
                                     const char **why)
{
    if (header == NULL) {
        *why = "Stripe-Signature header is missing";
        return APP_EAUTH;
    }
    size_t header_len = strnlen(header, STRIPE_SIGNATURE_HEADER_MAX + 1);
    if (header_len > STRIPE_SIGNATURE_HEADER_MAX) {
        *why = "Stripe-Signature header is too long";
        return APP_EAUTH;
    }
    if (secret == NULL || secret[0] == '\0') {
        *why = "no webhook signing secret is configured";
        return APP_EAUTH;
    }
    struct parsed_header p;
    header_parse(header, header_len, &p);
    long long t = 0;
    if (p.t_count == 0) {
        *why = "Stripe-Signature has no t= timestamp";
        return APP_EAUTH;
    }
    if (p.t_count > 1) {
        *why = "Stripe-Signature has more than one t= timestamp";
        return APP_EAUTH;
    }
    if (!timestamp_parse(p.t, p.t_len, &t)) {
        *why = "Stripe-Signature t= is not Unix seconds";
        return APP_EAUTH;
    }
    if (p.v1_count == 0) {
        *why = "Stripe-Signature has no v1= signature";
        return APP_EAUTH;
    }

    unsigned char expected[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)p.t, p.t_len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
    if (body_len > 0)
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, body_len);
    crypto_auth_hmacsha256_final(&st, expected);
    sodium_memzero(&st, sizeof st);

    bool is_signed = false;
    for (int i = 0; i < p.v1_count && !is_signed; i++)
        is_signed = v1_matches(p.v1[i], p.v1_len[i], expected);
    if (!is_signed) {
        *why = "no v1 signature matches the body";
        return APP_EAUTH;
    }
    /* After the HMAC, as Stripe's libraries do: a stale but genuine event says so. */
    long long skew = (long long)now - t;
    if (skew > tolerance_s || skew < -(long long)tolerance_s) {
        *why = "Stripe-Signature t= is outside the tolerance";
        return APP_EAUTH;
    }
    return APP_OK;
}
