/* lib/owner/account_rules.c: see account_rules.h. Email addresses are checked loosely on
 * purpose: only a mail that arrives proves an address, so this refuses what is surely a
 * typo and keeps the form that is compared (lowercase, trimmed) in one place. */
#include "owner/account_rules.h"

#include <string.h>

bool account_email_normalize(const char *email, size_t len, char *out, const char **why)
{
    while (len > 0 && email[0] == ' ') {
        email++;
        len--;
    }
    while (len > 0 && email[len - 1] == ' ')
        len--;
    if (len == 0 || len > ACCOUNT_EMAIL_MAX) {
        *why = "must be an email address of 1 to 254 characters";
        return false;
    }
    size_t at = len;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)email[i];
        if (c <= ' ' || c == 0x7F) {
            *why = "must not contain spaces or control characters";
            return false;
        }
        if (c == '@' && at != len) {
            *why = "must contain exactly one '@'";
            return false;
        }
        if (c == '@')
            at = i;
        out[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    out[len] = '\0';
    const char *dot = at < len ? memchr(out + at + 1, '.', len - at - 1) : NULL;
    if (at == 0 || at == len || dot == NULL || dot == out + at + 1 || out[len - 1] == '.') {
        *why = "must be an address like name@example.com";
        return false;
    }
    return true;
}

bool account_password_is_valid(size_t len, const char **why)
{
    if (len < ACCOUNT_PASSWORD_MIN) {
        *why = "must be at least 10 bytes long";
        return false;
    }
    if (len > ACCOUNT_PASSWORD_MAX) {
        *why = "must be at most 1024 bytes long";
        return false;
    }
    return true;
}

bool account_role_parse(const char *text, enum account_role *out)
{
    if (text != NULL && strcmp(text, "owner") == 0)
        *out = ACCOUNT_OWNER;
    else if (text != NULL && strcmp(text, "staff") == 0)
        *out = ACCOUNT_STAFF;
    else
        return false;
    return true;
}

const char *account_role_name(enum account_role role)
{
    return role == ACCOUNT_STAFF ? "staff" : "owner";
}
