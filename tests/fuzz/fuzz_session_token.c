/* tests/fuzz/fuzz_session_token.c: libFuzzer target for the credentials and the email
 * every frontdesk-web login and request carries, outside input read before anything
 * else (lib/owner/session_token.c, lib/owner/account_rules.c): any bytes as an
 * Authorization header, a Cookie header or an email must parse or be refused, never
 * crash or read out of bounds; a token found lies inside its header, a hash is made
 * only of a token of our shape, and a normalised email is its own normal form. Built by
 * `make fuzz`; tests/run-all.sh runs it on tests/fuzz/corpus/session_token/. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "owner/account_rules.h"
#include "owner/session_token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_found(const char *header, size_t header_len, const char *token, size_t len)
{
    unsigned char hash[SESSION_HASH_BYTES];
    if (token < header || token + len > header + header_len)
        abort();
    if (session_token_hash(token, len, hash) && len != SESSION_TOKEN_LEN)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    size_t len = strlen(text);              /* headers are C strings: up to the first NUL */
    const char *token = NULL;
    size_t token_len = 0;
    if (session_token_from_bearer(text, &token, &token_len))
        check_found(text, len, token, token_len);
    if (session_token_from_cookie(text, &token, &token_len))
        check_found(text, len, token, token_len);
    char email[ACCOUNT_EMAIL_MAX + 1], again[ACCOUNT_EMAIL_MAX + 1];
    const char *why = NULL;
    if (account_email_normalize((const char *)data, size, email, &why)) {
        if (!account_email_normalize(email, strlen(email), again, &why) || strcmp(email, again) != 0)
            abort();
    } else if (why == NULL) {
        abort();
    }
    free(text);
    return 0;
}
