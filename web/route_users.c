/* web/route_users.c: GET /api/v1/me, POST /api/v1/me/password, and the business's users
 * (GET, POST /api/v1/users; PATCH and DELETE /api/v1/users/{id}). Every query runs in the
 * session's business, so another business's user id is not found (404), exactly as an
 * id that does not exist. */
#include <string.h>
#include <strings.h>

#include "owner/sessions.h"
#include "owner/users.h"
#include "routes.h"

static const char *const password_fields[] = {"current_password", "new_password", NULL};
static const char *const user_fields[] = {"email", "password", "role", NULL};
static const char *const role_fields[] = {"role", NULL};

/* Answers with the JSON of an action, or its failure. */
static void answer(struct web_result *out, int status, enum app_err err, json_t *body,
                   const char *why)
{
    if (err == APP_OK)
        web_ok(out, status, body);
    else
        web_fail(out, err, why);
}

void route_me(PGconn *conn, const struct web_request *req, const struct web_session *session,
              struct web_result *out)
{
    json_t *body = NULL;
    char why[512];
    (void)req;
    enum app_err err = users_me_json(conn, session->user_id, &body, why, sizeof why);
    if (err == APP_OK) {
        json_object_set_new(body, "role", json_string(account_role_name(session->role)));
        json_object_set_new(body, "csrf_token", json_string(session->csrf_token));
    }
    answer(out, 200, err, body, why);
}

static void password_finish(PGconn *conn, const struct web_request *req,
                            const struct web_session *session, struct web_result *out)
{
    char why[512];
    if (!req->hashed->is_verified) {
        json_t *errors = json_array();
        web_error_add(errors, "current_password", "is not your current password");
        web_reject_invalid(out, errors);
        return;
    }
    if (req->hashed->new_hash[0] == '\0') {
        web_fail(out, APP_EUNAVAIL, "the new password could not be hashed");
        return;
    }
    enum app_err err = users_set_password(conn, session->user_id, req->hashed->new_hash, why,
                                          sizeof why);
    if (err == APP_OK)      /* whoever else holds a session of this user is signed out */
        err = session_revoke_user(conn, session->user_id, session->token_hash, why, sizeof why);
    answer(out, 204, err, NULL, why);
}

void route_me_password(PGconn *conn, const struct web_request *req,
                       const struct web_session *session, struct web_result *out)
{
    struct web_hash_job job = {.is_hash_after_verify = true};
    const char *reason;
    char why[512];
    json_t *errors = json_array();
    web_body_only(req, password_fields, errors);
    job.verify_password = web_body_string(req, "current_password", true, &job.verify_len, errors);
    job.new_password = web_body_string(req, "new_password", true, &job.new_len, errors);
    if (job.new_password != NULL && !account_password_is_valid(job.new_len, &reason))
        web_error_add(errors, "new_password", reason);
    if (web_reject_invalid(out, errors))
        return;
    enum app_err err = users_password_hash(conn, session->user_id, job.against, why, sizeof why);
    if (err != APP_OK) {
        web_fail(out, err, why);
        return;
    }
    web_then_hash(out, &job, password_finish);
}

void route_users_list(PGconn *conn, const struct web_request *req,
                      const struct web_session *session, struct web_result *out)
{
    json_t *body = NULL;
    char why[512];
    (void)req;
    (void)session;
    enum app_err err = users_list_json(conn, &body, why, sizeof why);
    answer(out, 200, err, body, why);
}

/* The fields of a new user, checked; errors collects what is wrong. */
static void read_new_user(const struct web_request *req, char email[ACCOUNT_EMAIL_MAX + 1],
                          enum account_role *role, struct web_hash_job *job, json_t *errors)
{
    const char *why;
    size_t len = 0;
    web_body_only(req, user_fields, errors);
    const char *sent = web_body_string(req, "email", true, &len, errors);
    if (sent != NULL && !account_email_normalize(sent, len, email, &why))
        web_error_add(errors, "email", why);
    job->new_password = web_body_string(req, "password", true, &job->new_len, errors);
    if (job->new_password != NULL && !account_password_is_valid(job->new_len, &why))
        web_error_add(errors, "password", why);
    const char *role_name = web_body_string(req, "role", true, NULL, errors);
    if (role_name != NULL && !account_role_parse(role_name, role))
        web_error_add(errors, "role", "must be \"owner\" or \"staff\"");
}

static void user_insert(PGconn *conn, const struct web_request *req,
                        const struct web_session *session, struct web_result *out)
{
    char email[ACCOUNT_EMAIL_MAX + 1], id[FD_UUID_LEN + 1], why[512];
    enum account_role role = ACCOUNT_STAFF;
    struct web_hash_job unused = {0};
    json_t *errors = json_array();
    read_new_user(req, email, &role, &unused, errors);      /* checked by the first stage */
    json_decref(errors);
    if (req->hashed->new_hash[0] == '\0') {
        web_fail(out, APP_EUNAVAIL, "the password could not be hashed");
        return;
    }
    json_t *body = NULL;
    enum app_err err = users_create(conn, session->business_id, email, req->hashed->new_hash, role,
                                    id, why, sizeof why);
    if (err == APP_OK)
        err = users_get_json(conn, id, &body, why, sizeof why);
    answer(out, 201, err, body, err == APP_ECONFLICT ? "This email is already registered." : why);
}

void route_users_create(PGconn *conn, const struct web_request *req,
                        const struct web_session *session, struct web_result *out)
{
    char email[ACCOUNT_EMAIL_MAX + 1], why[512];
    enum account_role role = ACCOUNT_STAFF;
    struct web_hash_job job = {0};
    (void)session;
    json_t *errors = json_array();
    read_new_user(req, email, &role, &job, errors);
    if (web_reject_invalid(out, errors))
        return;
    enum app_err err = users_check_email_free(conn, email, why, sizeof why);
    if (err != APP_OK)
        web_fail(out, err, why);
    else
        web_then_hash(out, &job, user_insert);
}

void route_users_delete(PGconn *conn, const struct web_request *req,
                        const struct web_session *session, struct web_result *out)
{
    const char *id = web_param(req, "id");
    char why[512] = "No such user.";
    if (!uuid_is_valid(id, strlen(id))) {
        web_problem(out, 404, why);
        return;
    }
    if (strcasecmp(id, session->user_id) == 0) {
        web_problem(out, 409, "You cannot delete yourself; another owner can.");
        return;
    }
    enum app_err err = users_delete(conn, id, why, sizeof why);
    answer(out, 204, err, NULL, err == APP_ENOTFOUND ? "No such user." : why);
}

/* An owner changes another user's role. Not their own: the owner asking stays an owner,
 * so a business always keeps one. An id the business does not have is 404 before the
 * body is looked at, as DELETE answers it. */
void route_users_update(PGconn *conn, const struct web_request *req,
                        const struct web_session *session, struct web_result *out)
{
    const char *id = web_param(req, "id");
    enum account_role role = ACCOUNT_STAFF;
    json_t *body = NULL;
    char why[512];
    if (!uuid_is_valid(id, strlen(id))) {
        web_problem(out, 404, "No such user.");
        return;
    }
    enum app_err err = users_get_json(conn, id, &body, why, sizeof why);
    if (err != APP_OK) {
        answer(out, 404, err, NULL, err == APP_ENOTFOUND ? "No such user." : why);
        return;
    }
    json_decref(body);
    body = NULL;
    json_t *errors = json_array();
    web_body_only(req, role_fields, errors);
    const char *role_name = web_body_string(req, "role", true, NULL, errors);
    if (role_name != NULL && !account_role_parse(role_name, &role))
        web_error_add(errors, "role", "must be \"owner\" or \"staff\"");
    if (web_reject_invalid(out, errors))
        return;
    if (strcasecmp(id, session->user_id) == 0) {
        web_problem(out, 409, "You cannot change your own role; another owner can.");
        return;
    }
    err = users_set_role(conn, id, role, why, sizeof why);
    if (err == APP_OK)
        err = users_get_json(conn, id, &body, why, sizeof why);
    answer(out, 200, err, body, why);
}
