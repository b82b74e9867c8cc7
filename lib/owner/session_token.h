/* lib/owner/session_token.h: a session's secret as the client holds it and as the
 * database keeps it. A token is 32 random bytes in base64url (43 characters, no
 * padding); the database stores only the SHA-256 of those 32 bytes, so a copy of the
 * sessions table logs nobody in. The client presents the token as
 * `Authorization: Bearer <token>` or in the cookie fd_session. Pure functions, besides
 * the random generator. */
#ifndef FD_SESSION_TOKEN_H
#define FD_SESSION_TOKEN_H
#include <stdbool.h>
#include <stddef.h>

#define SESSION_TOKEN_BYTES 32
#define SESSION_TOKEN_LEN 43            /* base64url of 32 bytes, unpadded */
#define SESSION_HASH_BYTES 32           /* SHA-256 */
#define SESSION_COOKIE_NAME "fd_session"
#define SESSION_COOKIE_MAX 256          /* bytes of a Set-Cookie value we write */

/* Writes a new random token (also used for CSRF tokens) into out, NUL-terminated. */
void session_token_generate(char out[SESSION_TOKEN_LEN + 1]);

/* The SHA-256 of the bytes token (len characters) encodes. False when the text is not
 * a token of ours (wrong length or alphabet): such a request has no session. */
bool session_token_hash(const char *token, size_t len, unsigned char out[SESSION_HASH_BYTES]);

/* The token of an Authorization header value "Bearer <token>" (scheme in any case):
 * sets *token (borrowed from header) and *len. False for any other header. */
bool session_token_from_bearer(const char *header, const char **token, size_t *len);

/* The value of the cookie fd_session in a Cookie header value ("a=1; fd_session=x"):
 * sets *token (borrowed) and *len. False when the header has no such cookie. */
bool session_token_from_cookie(const char *header, const char **token, size_t *len);

/* Writes the Set-Cookie value that gives the browser token for max_age_s seconds:
 * HttpOnly, SameSite=Strict, Path=/, and Secure when is_secure. token "" with
 * max_age_s 0 writes the value that removes the cookie. out: SESSION_COOKIE_MAX bytes. */
void session_cookie_format(char *out, const char *token, long max_age_s, bool is_secure);

#endif
