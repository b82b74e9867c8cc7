/* lib/owner/account_rules.h: what an account's email, password and role must be. Pure
 * functions: the web service checks a request's fields with them before any work, and
 * frontdesk-ctl checks its arguments. */
#ifndef FD_ACCOUNT_RULES_H
#define FD_ACCOUNT_RULES_H
#include <stdbool.h>
#include <stddef.h>

#define ACCOUNT_EMAIL_MAX 254           /* RFC 5321's limit on a forward path */
#define ACCOUNT_PASSWORD_MIN 10         /* bytes */
#define ACCOUNT_PASSWORD_MAX 1024       /* bytes: hashing cost grows with the length */

enum account_role { ACCOUNT_OWNER, ACCOUNT_STAFF };

/* Writes email without surrounding spaces and in ASCII lowercase into out
 * (ACCOUNT_EMAIL_MAX + 1 bytes), the form stored and compared. False, with *why (static
 * text) saying what is wrong, unless it is one local part, one '@' and a domain with a
 * dot, without spaces or control characters, at most ACCOUNT_EMAIL_MAX bytes. */
bool account_email_normalize(const char *email, size_t len, char *out, const char **why);

/* True when a password of len bytes is acceptable (ACCOUNT_PASSWORD_MIN to _MAX bytes);
 * otherwise *why (static text) says what is wrong. */
bool account_password_is_valid(size_t len, const char **why);

/* "owner" or "staff"; false for anything else. */
bool account_role_parse(const char *text, enum account_role *out);
const char *account_role_name(enum account_role role);

#endif
