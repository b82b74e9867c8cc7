/* lib/billing/stripe_form.h: a request body as Stripe's API takes it,
 * application/x-www-form-urlencoded with nesting in brackets ("metadata[business_id]=...",
 * "line_items[0][price]=..."). Keys and values are percent-encoded (all but A-Z a-z 0-9
 * - . _ ~), brackets included, which Stripe decodes like plain ones. */
#ifndef FD_STRIPE_FORM_H
#define FD_STRIPE_FORM_H
#include <stddef.h>

struct stripe_form {
    char *buf;                  /* NUL-terminated; NULL until the first field */
    size_t len, cap;
};

#define STRIPE_FORM_INIT {NULL, 0, 0}

/* Appends key=value (both copied, encoded); a NULL value adds nothing. */
void stripe_form_add(struct stripe_form *f, const char *key, const char *value);
/* Appends key=value with the value printed in decimal. */
void stripe_form_add_int(struct stripe_form *f, const char *key, long long value);
/* The body (owned: free), "" for none; f is empty again afterwards. */
char *stripe_form_take(struct stripe_form *f);
void stripe_form_free(struct stripe_form *f);

#endif
