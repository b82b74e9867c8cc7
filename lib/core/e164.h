/* lib/core/e164.h: E.164 phone numbers as frontdesk stores and routes them: '+', a first
 * digit 1-9, then 6 to 14 more digits, nothing else (no spaces, dashes or brackets).
 * The same rule as the CHECK constraints of schema/0001_v1.sql. */
#ifndef FD_E164_H
#define FD_E164_H
#include <stdbool.h>
#include <stddef.h>

#define E164_MAX_LEN 16     /* '+' and 15 digits */

/* True when text[0..len) is an E.164 number in the form above. */
bool e164_is_valid(const char *text, size_t len);

#endif
