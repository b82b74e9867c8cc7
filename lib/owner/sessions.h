/* lib/owner/sessions.h: the sessions table (schema/0007_accounts.sql). A session is
 * found by its token's hash before the business is known (auth_session, SECURITY
 * DEFINER), and the same statement declares that business the transaction's tenant;
 * everything else runs as frontdesk_app in the business's RLS scope. Each call runs in
 * the caller's transaction on a blocking connection. */
#ifndef FD_SESSIONS_H
#define FD_SESSIONS_H
#include <stddef.h>

#include <libpq-fe.h>

#include "core/err.h"
#include "owner/account_rules.h"
#include "owner/session_token.h"
#include "store/tenant_keys.h"

struct session_live {
    char user_id[FD_UUID_LEN + 1];
    char business_id[FD_UUID_LEN + 1];
    enum account_role role;
    char csrf_token[SESSION_TOKEN_LEN + 1];
};

struct session_new {
    const unsigned char *token_hash;    /* SESSION_HASH_BYTES */
    const char *user_id;
    const char *business_id;            /* the transaction's tenant */
    const char *csrf_token;
    long max_s;                         /* absolute lifetime */
    long idle_s;                        /* idle lifetime, to prune the user's dead sessions */
};

/* Finds the live session of token_hash: not revoked, its user not deleted, before its
 * absolute expiry and seen within idle_s seconds. Declares its business the
 * transaction's tenant, makes the business's time zone the transaction's TimeZone (so
 * times come out in it), and marks the session seen (at most every idle_s / 10 seconds,
 * and at least every minute, to spare a write per request). APP_ENOTFOUND when there is
 * no live session. */
enum app_err session_open(PGconn *conn, const unsigned char token_hash[SESSION_HASH_BYTES],
                          long idle_s, struct session_live *out, char *why, size_t why_len);

/* Inserts a session, after deleting the user's revoked and expired ones. The
 * transaction's tenant must be s->business_id. */
enum app_err session_create(PGconn *conn, const struct session_new *s, char *why, size_t why_len);

/* Revokes the session of token_hash (of the transaction's business) at once. */
enum app_err session_revoke(PGconn *conn, const unsigned char token_hash[SESSION_HASH_BYTES],
                            char *why, size_t why_len);

/* Revokes every live session of user_id but the one of except_hash (NULL: all of them). */
enum app_err session_revoke_user(PGconn *conn, const char *user_id,
                                 const unsigned char *except_hash, char *why, size_t why_len);

#endif
