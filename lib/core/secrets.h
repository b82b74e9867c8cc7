/* lib/core/secrets.h: keeping secrets (passwords in the Redis and PostgreSQL URLs, API
 * keys) out of every log line and error message.
 * - What the configuration reads as a secret is registered once at start; log_end masks
 *   any registered secret in a line before it is written, whatever path put it there (an
 *   upstream's error text, a library's message echoing a URL).
 * - A refused configuration value is described without echoing what may hold a secret. */
#ifndef FD_SECRETS_H
#define FD_SECRETS_H
#include <stdbool.h>
#include <stddef.h>

#define SECRETS_MAX 8
#define SECRET_MIN_LEN 4     /* shorter values would mask ordinary words */

/* Remembers secret (copied) so later log lines mask it; "" and values shorter than
 * SECRET_MIN_LEN are ignored, as are values past SECRETS_MAX. */
void secrets_register(const char *secret);
/* Replaces every registered secret in buf[0..*len) with "***" and updates *len. */
void secrets_mask(char *buf, size_t *len);
/* Forgets every registered secret (tests). */
void secrets_clear(void);

/* Writes into out what an error message may show of the value of variable name: nothing
 * of a key, password, secret or token; only the scheme of a URL (its user information,
 * path or query may hold a password); else the value's first 60 characters. */
void secrets_describe_value(const char *name, const char *value, char *out, size_t out_len);

#endif
