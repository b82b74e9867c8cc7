/* lib/owner/users.h: a business's users (schema/0001_v1.sql, role and deleted_at from
 * 0007). A user is live until deleted; a deleted user can no longer log in, its
 * sessions are revoked, and its address may be registered again. Each call runs in the
 * caller's transaction as frontdesk_app, in the RLS scope of the business the
 * transaction declared (users_find_login excepted, see there), so another business's
 * user id is simply not found. */
#ifndef FD_USERS_H
#define FD_USERS_H
#include <stddef.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "core/err.h"
#include "owner/account_rules.h"
#include "owner/password.h"
#include "store/tenant_keys.h"

struct user_login {
    char id[FD_UUID_LEN + 1];
    char business_id[FD_UUID_LEN + 1];
    enum account_role role;
    char password_hash[PASSWORD_HASH_MAX];  /* "" when the user has no password */
};

/* The live user whose address is email (normalised), found through auth_user_by_email,
 * which needs no tenant: logging in and sign-up's "already registered" use it.
 * APP_ENOTFOUND when there is none. */
enum app_err users_find_login(PGconn *conn, const char *email, struct user_login *out,
                              char *why, size_t why_len);

/* APP_OK when no live user of any business has the address email (normalised);
 * APP_ECONFLICT, why saying so, when one has. Checked before hashing a new user's
 * password, so a taken address costs no argon2id work. */
enum app_err users_check_email_free(PGconn *conn, const char *email, char *why, size_t why_len);

/* Inserts a user of business_id (the transaction's tenant) and writes its id to id_out.
 * APP_ECONFLICT when a live user of any business has the address. */
enum app_err users_create(PGconn *conn, const char *business_id, const char *email,
                          const char *password_hash, enum account_role role,
                          char id_out[FD_UUID_LEN + 1], char *why, size_t why_len);

/* {"id", "email", "role", "created_at"} of the live user user_id (new reference).
 * APP_ENOTFOUND otherwise. */
enum app_err users_get_json(PGconn *conn, const char *user_id, json_t **out, char *why,
                            size_t why_len);

/* {"user": {"id", "email", "role", "created_at"}, "business": {"id", "name",
 * "timezone"}} for the live user user_id (new reference). APP_ENOTFOUND otherwise. */
enum app_err users_me_json(PGconn *conn, const char *user_id, json_t **out, char *why,
                           size_t why_len);

/* {"items": [{"id", "email", "role", "created_at"}, ...]}: the business's live users,
 * newest first (new reference). */
enum app_err users_list_json(PGconn *conn, json_t **out, char *why, size_t why_len);

/* Deletes the live user user_id (a UUID) and revokes its sessions. APP_ENOTFOUND when
 * the business has no such live user. */
enum app_err users_delete(PGconn *conn, const char *user_id, char *why, size_t why_len);

/* Gives the live user user_id (a UUID) role. APP_ENOTFOUND when the business has no
 * such live user. Its sessions keep going: each request reads the role afresh. */
enum app_err users_set_role(PGconn *conn, const char *user_id, enum account_role role,
                            char *why, size_t why_len);

/* The live user's password hash ("" when it has none). APP_ENOTFOUND otherwise. */
enum app_err users_password_hash(PGconn *conn, const char *user_id, char hash[PASSWORD_HASH_MAX],
                                 char *why, size_t why_len);

/* Replaces the live user's password hash. APP_ENOTFOUND when there is no such user. */
enum app_err users_set_password(PGconn *conn, const char *user_id, const char *password_hash,
                                char *why, size_t why_len);

#endif
