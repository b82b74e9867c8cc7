/* lib/owner/users.c: see users.h. JSON is built by PostgreSQL (json_build_object), so
 * times come out in the transaction's TimeZone with their offset. */
#include "owner/users.h"

#include <stdio.h>
#include <string.h>

#include "owner/owner_query.h"
#include "owner/sessions.h"

#define USER_JSON "json_build_object('id', u.id, 'email', u.email, 'role', u.role, " \
                  "'created_at', u.created_at)"

enum app_err users_find_login(PGconn *conn, const char *email, struct user_login *out,
                              char *why, size_t why_len)
{
    const char *params[] = {email};
    PGresult *res = NULL;
    enum app_err err = owner_query(conn, "SELECT user_id, business_id, "
                                   "coalesce(password_hash, ''), role FROM auth_user_by_email($1)",
                                   1, params, &res, why, why_len);
    if (err != APP_OK)
        return err;
    bool is_found = PQntuples(res) == 1 && owner_copy_text(out->id, sizeof out->id, res, 0) &&
                    owner_copy_text(out->business_id, sizeof out->business_id, res, 1) &&
                    owner_copy_text(out->password_hash, sizeof out->password_hash, res, 2) &&
                    account_role_parse(PQgetvalue(res, 0, 3), &out->role);
    PQclear(res);
    return is_found ? APP_OK : APP_ENOTFOUND;
}

enum app_err users_check_email_free(PGconn *conn, const char *email, char *why, size_t why_len)
{
    struct user_login taken;
    enum app_err err = users_find_login(conn, email, &taken, why, why_len);
    if (err == APP_ENOTFOUND)
        return APP_OK;
    if (err == APP_OK) {
        snprintf(why, why_len, "This email is already registered.");
        return APP_ECONFLICT;
    }
    return err;
}

enum app_err users_create(PGconn *conn, const char *business_id, const char *email,
                          const char *password_hash, enum account_role role,
                          char id_out[FD_UUID_LEN + 1], char *why, size_t why_len)
{
    const char *params[] = {business_id, email, password_hash, account_role_name(role)};
    PGresult *res = NULL;
    enum app_err err = owner_query(conn, "INSERT INTO users (business_id, email, password_hash, "
                                   "role) VALUES ($1, $2, $3, $4) RETURNING id", 4, params, &res,
                                   why, why_len);
    if (err != APP_OK)
        return err;
    if (PQntuples(res) != 1 || !owner_copy_text(id_out, FD_UUID_LEN + 1, res, 0))
        err = APP_EINTERNAL;
    PQclear(res);
    return err;
}

enum app_err users_get_json(PGconn *conn, const char *user_id, json_t **out, char *why,
                            size_t why_len)
{
    const char *params[] = {user_id};
    return owner_query_json(conn, "SELECT " USER_JSON " FROM users u "
                            "WHERE u.id = $1::uuid AND u.deleted_at IS NULL", 1, params, out,
                            why, why_len);
}

enum app_err users_me_json(PGconn *conn, const char *user_id, json_t **out, char *why,
                           size_t why_len)
{
    const char *params[] = {user_id};
    return owner_query_json(
        conn, "SELECT json_build_object('user', " USER_JSON ", 'business', "
        "json_build_object('id', b.id, 'name', b.name, 'timezone', b.timezone)) "
        "FROM users u JOIN businesses b ON b.id = u.business_id "
        "WHERE u.id = $1::uuid AND u.deleted_at IS NULL", 1, params, out, why, why_len);
}

enum app_err users_list_json(PGconn *conn, json_t **out, char *why, size_t why_len)
{
    return owner_query_json(
        conn, "SELECT json_build_object('items', coalesce(json_agg(" USER_JSON
        " ORDER BY u.created_at DESC, u.id DESC), '[]')) FROM users u WHERE u.deleted_at IS NULL",
        0, NULL, out, why, why_len);
}

enum app_err users_delete(PGconn *conn, const char *user_id, char *why, size_t why_len)
{
    const char *params[] = {user_id};
    enum app_err err = owner_exec_one(conn, "UPDATE users SET deleted_at = now() "
                                      "WHERE id = $1::uuid AND deleted_at IS NULL", 1, params,
                                      why, why_len);
    if (err != APP_OK)
        return err;
    return session_revoke_user(conn, user_id, NULL, why, why_len);
}

enum app_err users_set_role(PGconn *conn, const char *user_id, enum account_role role,
                            char *why, size_t why_len)
{
    const char *params[] = {user_id, account_role_name(role)};
    return owner_exec_one(conn, "UPDATE users SET role = $2 WHERE id = $1::uuid AND deleted_at IS NULL",
                          2, params, why, why_len);
}

enum app_err users_password_hash(PGconn *conn, const char *user_id, char hash[PASSWORD_HASH_MAX],
                                 char *why, size_t why_len)
{
    const char *params[] = {user_id};
    PGresult *res = NULL;
    enum app_err err = owner_query(conn, "SELECT coalesce(password_hash, '') FROM users "
                                   "WHERE id = $1::uuid AND deleted_at IS NULL", 1, params, &res,
                                   why, why_len);
    if (err != APP_OK)
        return err;
    bool is_found = PQntuples(res) == 1 && owner_copy_text(hash, PASSWORD_HASH_MAX, res, 0);
    PQclear(res);
    return is_found ? APP_OK : APP_ENOTFOUND;
}

enum app_err users_set_password(PGconn *conn, const char *user_id, const char *password_hash,
                                char *why, size_t why_len)
{
    const char *params[] = {user_id, password_hash};
    return owner_exec_one(conn, "UPDATE users SET password_hash = $2 "
                          "WHERE id = $1::uuid AND deleted_at IS NULL", 2, params, why, why_len);
}
