/* lib/owner/password.c: see password.h. */
#include "owner/password.h"

#include <sodium.h>
#include <string.h>

_Static_assert(PASSWORD_HASH_MAX == crypto_pwhash_STRBYTES, "hash buffers fit crypto_pwhash_str");

enum app_err password_hash(const char *password, size_t len, char out[PASSWORD_HASH_MAX])
{
    if (crypto_pwhash_str(out, password, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        out[0] = '\0';
        return APP_EUNAVAIL;
    }
    return APP_OK;
}

bool password_verify(const char *hash, const char *password, size_t len)
{
    if (strncmp(hash, "$argon2id$", 10) != 0 || memchr(hash, '\0', PASSWORD_HASH_MAX) == NULL)
        return false;
    return crypto_pwhash_str_verify(hash, password, len) == 0;
}
