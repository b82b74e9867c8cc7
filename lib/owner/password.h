/* lib/owner/password.h: passwords are kept only as argon2id hashes (libsodium
 * crypto_pwhash_str, interactive limits: about 64 MiB and a tenth of a second per
 * hash), so users.password_hash starts with "$argon2id$". Both calls are slow on
 * purpose: a service runs them on threads of their own, never on its event loop. */
#ifndef FD_PASSWORD_H
#define FD_PASSWORD_H
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define PASSWORD_HASH_MAX 128   /* crypto_pwhash_STRBYTES: a hash string and its NUL */

/* Writes the hash of password (len bytes) into out. APP_EUNAVAIL when the memory the
 * hash needs cannot be had. */
enum app_err password_hash(const char *password, size_t len, char out[PASSWORD_HASH_MAX]);

/* True when password (len bytes) is the one hash was made from; false for any other
 * password and for a hash that is not an argon2id hash string. */
bool password_verify(const char *hash, const char *password, size_t len);

#endif
