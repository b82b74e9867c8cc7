/* lib/billing/stripe_form.c: see stripe_form.h. */
#include "billing/stripe_form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

static void reserve(struct stripe_form *f, size_t more)
{
    if (f->len + more + 1 <= f->cap)
        return;
    size_t cap = f->cap ? f->cap : 128;
    while (cap < f->len + more + 1)
        cap *= 2;
    f->buf = xrealloc(f->buf, cap);
    f->cap = cap;
}

static int is_unreserved(unsigned char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '.' || ch == '_' || ch == '~';
}

static void append_encoded(struct stripe_form *f, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(s);
    reserve(f, 3 * n);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (is_unreserved(ch)) {
            f->buf[f->len++] = (char)ch;
        } else {
            f->buf[f->len++] = '%';
            f->buf[f->len++] = hex[ch >> 4];
            f->buf[f->len++] = hex[ch & 15];
        }
    }
    f->buf[f->len] = '\0';
}

void stripe_form_add(struct stripe_form *f, const char *key, const char *value)
{
    if (!value)
        return;
    if (f->len > 0) {
        reserve(f, 1);
        f->buf[f->len++] = '&';
    }
    append_encoded(f, key);
    reserve(f, 1);
    f->buf[f->len++] = '=';
    f->buf[f->len] = '\0';
    append_encoded(f, value);
}

void stripe_form_add_int(struct stripe_form *f, const char *key, long long value)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%lld", value);
    stripe_form_add(f, key, digits);
}

char *stripe_form_take(struct stripe_form *f)
{
    char *body = f->buf ? f->buf : xstrdup("");
    f->buf = NULL;
    f->len = f->cap = 0;
    return body;
}

void stripe_form_free(struct stripe_form *f)
{
    free(f->buf);
    f->buf = NULL;
    f->len = f->cap = 0;
}
