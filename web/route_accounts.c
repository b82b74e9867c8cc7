/* web/route_accounts.c: POST /api/v1/signup, /login and /logout.
 *
 * Sign-up and login take two database stages around a hashing stage, so the slow
 * argon2id work runs on its own threads (handler.h, web_then_hash):
 *   signup: check the fields and that the email is free -> hash the password ->
 *           create business, receptionist, owner, number request, session (one
 *           transaction; an email taken meanwhile rolls all of it back: 409)
 *   login:  find the user by email -> verify (a dummy hash when there is none) ->
 *           create the session, or 401 with the same body either way */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "owner/business_create.h"
#include "owner/sessions.h"
#include "owner/users.h"
#include "routes.h"

#define LOGIN_FAILED_DETAIL "The email or the password is wrong."

static const char *const signup_fields[] = {"business_name", "email", "password", "timezone",
                                            "area_code", NULL};
static const char *const login_fields[] = {"email", "password", NULL};

/* The fields of a sign-up, checked; errors collects what is wrong. */
struct signup_form {
    struct business_new business;
    char email[ACCOUNT_EMAIL_MAX + 1];
    const char *password;
    size_t password_len;
    const char *area_code;
};

static void read_signup(const struct web_request *req, struct signup_form *f, json_t *errors)
{
    const char *why;
    size_t len = 0;
    web_body_only(req, signup_fields, errors);
    f->business.name = web_body_string(req, "business_name", true, NULL, errors);
    const char *email = web_body_string(req, "email", true, &len, errors);
    if (email != NULL && !account_email_normalize(email, len, f->email, &why))
        web_error_add(errors, "email", why);
    f->password = web_body_string(req, "password", true, &f->password_len, errors);
    if (f->password != NULL && !account_password_is_valid(f->password_len, &why))
        web_error_add(errors, "password", why);
    f->business.timezone = web_body_string(req, "timezone", false, NULL, errors);
    f->area_code = web_body_string(req, "area_code", false, NULL, errors);
    if (f->area_code != NULL && !business_area_code_is_valid(f->area_code))
        web_error_add(errors, "area_code", BUSINESS_AREA_CODE_RULE);
}

/* The default receptionist's document for the form's business (owned), or NULL with
 * the reason added to errors. */
static char *signup_agent(struct signup_form *f, json_t *errors)
{
    char *doc = NULL, why[256];
    const char *field = NULL;
    if (f->business.name != NULL &&
        business_default_agent(&f->business, &doc, &field, why, sizeof why) != APP_OK)
        web_error_add(errors, field, why);
    return doc;
}

/* Answers status with body (taken) and a new session for the user: the token goes in
 * body and the cookie, its hash in the database; event says what happened. */
static void answer_signed_in(PGconn *conn, const struct web_request *req, const char *user_id,
                             const char *business_id, json_t *body, int status,
                             enum web_auth_event event, struct web_result *out)
{
    char token[SESSION_TOKEN_LEN + 1], csrf[SESSION_TOKEN_LEN + 1], why[512];
    unsigned char hash[SESSION_HASH_BYTES];
    session_token_generate(token);
    session_token_generate(csrf);
    session_token_hash(token, SESSION_TOKEN_LEN, hash);
    struct session_new s = {.token_hash = hash, .user_id = user_id, .business_id = business_id,
                            .csrf_token = csrf, .max_s = req->config->session_max_s,
                            .idle_s = req->config->session_idle_s};
    enum app_err err = session_create(conn, &s, why, sizeof why);
    if (err != APP_OK) {
        json_decref(body);
        web_fail(out, err, why);
        return;
    }
    json_object_set_new(body, "token", json_string(token));
    json_object_set_new(body, "csrf_token", json_string(csrf));
    web_ok(out, status, body);
    out->cookie = WEB_COOKIE_SET;
    memcpy(out->cookie_token, token, sizeof token);
    out->auth_event = event;
}

static enum app_err create_business(PGconn *conn, struct signup_form *f, const char *hash,
                                    char user_id[FD_UUID_LEN + 1], char *why, size_t why_len)
{
    json_t *ignored = json_array();
    char *agent = signup_agent(f, ignored);
    json_decref(ignored);
    enum app_err err = agent ? business_create(conn, &f->business, agent, why, why_len)
                             : APP_EINVAL;
    free(agent);
    if (err == APP_OK)
        err = users_create(conn, f->business.id, f->email, hash, ACCOUNT_OWNER, user_id, why,
                           why_len);
    if (err == APP_OK)
        err = business_request_number(conn, f->business.id, f->area_code, why, why_len);
    return err;
}

static void signup_create(PGconn *conn, const struct web_request *req,
                          const struct web_session *session, struct web_result *out)
{
    struct signup_form f = {0};
    char id[FD_UUID_LEN + 1], user_id[FD_UUID_LEN + 1], why[512];
    (void)session;
    json_t *errors = json_array();
    read_signup(req, &f, errors);       /* checked by the first stage: only to read */
    json_decref(errors);
    if (req->hashed->new_hash[0] == '\0') {
        web_fail(out, APP_EUNAVAIL, "the password could not be hashed");
        return;
    }
    uuid_generate(id);
    f.business.id = id;
    if (!web_set_tenant(conn, id, out))
        return;
    enum app_err err = create_business(conn, &f, req->hashed->new_hash, user_id, why, sizeof why);
    if (err != APP_OK) {
        web_fail(out, err, err == APP_ECONFLICT ? "This email is already registered." : why);
        return;
    }
    json_t *body = json_pack("{s:s, s:s}", "business_id", id, "user_id", user_id);
    answer_signed_in(conn, req, user_id, id, body, 201, WEB_AUTH_SIGNUP, out);
}

void route_signup(PGconn *conn, const struct web_request *req, const struct web_session *session,
                  struct web_result *out)
{
    struct signup_form f = {0};
    char why[512];
    (void)session;
    json_t *errors = json_array();
    read_signup(req, &f, errors);
    free(signup_agent(&f, errors));
    if (web_reject_invalid(out, errors))
        return;
    enum app_err err = users_check_email_free(conn, f.email, why, sizeof why);
    struct web_hash_job job = {.new_password = f.password, .new_len = f.password_len};
    if (err != APP_OK)
        web_fail(out, err, why);
    else
        web_then_hash(out, &job, signup_create);
}

static void login_finish(PGconn *conn, const struct web_request *req,
                         const struct web_session *session, struct web_result *out)
{
    const struct web_hash_job *h = req->hashed;
    char why[512];
    json_t *body = NULL;
    (void)session;
    if (!h->is_verified) {
        web_problem(out, 401, LOGIN_FAILED_DETAIL);
        out->auth_event = WEB_AUTH_LOGIN_FAILED;
        return;
    }
    if (!web_set_tenant(conn, h->business_id, out))
        return;
    enum app_err err = users_me_json(conn, h->user_id, &body, why, sizeof why);
    if (err != APP_OK) {
        web_fail(out, err == APP_ENOTFOUND ? APP_EUNAVAIL : err, why);  /* deleted meanwhile */
        return;
    }
    answer_signed_in(conn, req, h->user_id, h->business_id, body, 200, WEB_AUTH_LOGIN_OK, out);
}

void route_login(PGconn *conn, const struct web_request *req, const struct web_session *session,
                 struct web_result *out)
{
    struct web_hash_job job = {0};
    struct user_login user;
    char email[ACCOUNT_EMAIL_MAX + 1], why[512];
    const char *reason;
    size_t email_len = 0;
    (void)session;
    json_t *errors = json_array();
    web_body_only(req, login_fields, errors);
    const char *sent = web_body_string(req, "email", true, &email_len, errors);
    job.verify_password = web_body_string(req, "password", true, &job.verify_len, errors);
    if (web_reject_invalid(out, errors))
        return;
    /* An address that cannot exist is looked up all the same: every wrong login takes
     * the same path and the same time. */
    if (!account_email_normalize(sent, email_len, email, &reason))
        email[0] = '\0';
    enum app_err err = users_find_login(conn, email, &user, why, sizeof why);
    if (err == APP_OK) {
        memcpy(job.against, user.password_hash, sizeof job.against);
        memcpy(job.user_id, user.id, sizeof job.user_id);
        memcpy(job.business_id, user.business_id, sizeof job.business_id);
    } else if (err != APP_ENOTFOUND) {
        web_fail(out, err, why);
        return;
    }
    web_then_hash(out, &job, login_finish);
}

void route_logout(PGconn *conn, const struct web_request *req, const struct web_session *session,
                  struct web_result *out)
{
    char why[512];
    (void)req;
    enum app_err err = session_revoke(conn, session->token_hash, why, sizeof why);
    if (err != APP_OK) {
        web_fail(out, err, why);
        return;
    }
    web_ok(out, 204, NULL);
    out->cookie = WEB_COOKIE_CLEAR;
}
