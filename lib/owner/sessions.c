/* lib/owner/sessions.c: see sessions.h. Token hashes travel as bytea in hex text
 * ("\x..."), so every parameter is text. */
#include "owner/sessions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "owner/owner_query.h"

#define HASH_PARAM_LEN (2 + 2 * SESSION_HASH_BYTES)

static void hash_param(const unsigned char *hash, char out[HASH_PARAM_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    out[0] = '\\';
    out[1] = 'x';
    for (size_t i = 0; i < SESSION_HASH_BYTES; i++) {
        out[2 + 2 * i] = hex[hash[i] >> 4];
        out[3 + 2 * i] = hex[hash[i] & 15];
    }
    out[HASH_PARAM_LEN] = '\0';
}

/* The session's business becomes the tenant in the statement that finds it: set_config
 * runs for the row that passed the expiry filter, and for no other. */
static const char find_sql[] =
    "SELECT user_id, business_id, role, csrf_token, "
    "       set_config('app.business_id', business_id::text, true) "
    "  FROM auth_session($1::bytea) "
    " WHERE expires_at > now() AND last_seen_at > now() - make_interval(secs => $2::int)";

static const char touch_sql[] =
    "WITH seen AS (UPDATE sessions SET last_seen_at = now() "
    "               WHERE token_hash = $1::bytea "
    "                 AND last_seen_at < now() - make_interval(secs => $2::int) RETURNING 1) "
    "SELECT set_config('TimeZone', timezone, true) FROM businesses WHERE id = $3::uuid";

enum app_err session_open(PGconn *conn, const unsigned char token_hash[SESSION_HASH_BYTES],
                          long idle_s, struct session_live *out, char *why, size_t why_len)
{
    char hash[HASH_PARAM_LEN + 1], idle[24], touch[24];
    hash_param(token_hash, hash);
    snprintf(idle, sizeof idle, "%ld", idle_s);
    long touch_s = idle_s / 10 < 60 ? idle_s / 10 : 60;
    snprintf(touch, sizeof touch, "%ld", touch_s);
    const char *find[] = {hash, idle};
    PGresult *res = NULL;
    enum app_err err = owner_query(conn, find_sql, 2, find, &res, why, why_len);
    if (err != APP_OK)
        return err;
    bool is_found = PQntuples(res) == 1 &&
                    owner_copy_text(out->user_id, sizeof out->user_id, res, 0) &&
                    owner_copy_text(out->business_id, sizeof out->business_id, res, 1) &&
                    account_role_parse(PQgetvalue(res, 0, 2), &out->role) &&
                    owner_copy_text(out->csrf_token, sizeof out->csrf_token, res, 3);
    PQclear(res);
    if (!is_found)
        return APP_ENOTFOUND;
    const char *seen[] = {hash, touch, out->business_id};
    return owner_exec(conn, touch_sql, 3, seen, why, why_len);
}

enum app_err session_create(PGconn *conn, const struct session_new *s, char *why, size_t why_len)
{
    char hash[HASH_PARAM_LEN + 1], max[24], idle[24];
    hash_param(s->token_hash, hash);
    snprintf(max, sizeof max, "%ld", s->max_s);
    snprintf(idle, sizeof idle, "%ld", s->idle_s);
    const char *prune[] = {s->user_id, idle};
    enum app_err err = owner_exec(
        conn, "DELETE FROM sessions WHERE user_id = $1::uuid AND (revoked_at IS NOT NULL "
        "OR expires_at <= now() OR last_seen_at <= now() - make_interval(secs => $2::int))",
        2, prune, why, why_len);
    if (err != APP_OK)
        return err;
    const char *insert[] = {hash, s->user_id, s->business_id, s->csrf_token, max};
    return owner_exec(conn, "INSERT INTO sessions (token_hash, user_id, business_id, csrf_token, "
                      "expires_at) VALUES ($1::bytea, $2, $3, $4, "
                      "now() + make_interval(secs => $5::int))", 5, insert, why, why_len);
}

enum app_err session_revoke(PGconn *conn, const unsigned char token_hash[SESSION_HASH_BYTES],
                            char *why, size_t why_len)
{
    char hash[HASH_PARAM_LEN + 1];
    hash_param(token_hash, hash);
    const char *params[] = {hash};
    return owner_exec(conn, "UPDATE sessions SET revoked_at = now() "
                      "WHERE token_hash = $1::bytea AND revoked_at IS NULL", 1, params, why,
                      why_len);
}

enum app_err session_revoke_user(PGconn *conn, const char *user_id,
                                 const unsigned char *except_hash, char *why, size_t why_len)
{
    char hash[HASH_PARAM_LEN + 1] = "";
    if (except_hash != NULL)
        hash_param(except_hash, hash);
    const char *params[] = {user_id, except_hash ? hash : NULL};
    return owner_exec(conn, "UPDATE sessions SET revoked_at = now() WHERE user_id = $1::uuid "
                      "AND revoked_at IS NULL AND ($2::bytea IS NULL OR token_hash <> $2::bytea)",
                      2, params, why, why_len);
}
