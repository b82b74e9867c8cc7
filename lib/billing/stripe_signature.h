/* lib/billing/stripe_signature.h: Stripe's webhook signatures (docs/billing.md, "Inbound"):
 * `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>...]`, each v1 a lowercase hex
 * HMAC-SHA256 keyed with the endpoint's signing secret (its ASCII bytes, `whsec_` and all)
 * over "<t>.<raw body>". More than one v1 appears while a rolled secret's predecessor is
 * still valid; other schemes (v0) are ignored. Sources: stripe-go's webhook/client.go
 * (ComputeSignature, DefaultTolerance = 300 s) and https://docs.stripe.com/webhooks. */
#ifndef FD_STRIPE_SIGNATURE_H
#define FD_STRIPE_SIGNATURE_H
#include <stddef.h>
#include <time.h>

#include "core/err.h"

#define STRIPE_SIGNATURE_TOLERANCE_S 300     /* the official libraries' default */
#define STRIPE_SIGNATURE_HEADER_MAX 4096     /* a real header is ~150 bytes per secret */

/* APP_OK when one v1 of header equals HMAC-SHA256(secret, t "." body), compared in
 * constant time, and |now - t| <= tolerance_s. Otherwise APP_EAUTH and *why (static text)
 * says which check failed: a NULL header is missing, a header over
 * STRIPE_SIGNATURE_HEADER_MAX, without exactly one decimal t, or without a v1 is refused
 * before any HMAC is computed. secret is borrowed and never copied into *why. */
enum app_err stripe_signature_verify(const char *header, const char *body, size_t body_len,
                                     const char *secret, time_t now, int tolerance_s,
                                     const char **why);

#endif
