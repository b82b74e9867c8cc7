/* web/db_stage.c: what a database thread runs for a request: one transaction on the
 * thread's own connection, opened as frontdesk_app with the statement and lock timeouts
 * (FRONTDESK_PG_*_TIMEOUT_MS: a stuck query or a row lock held elsewhere frees the thread
 * and answers 503) set for it alone (db_scope.h), the session checked and its business
 * declared, then the route's handler; COMMIT when the answer is a success or the route
 * continues, ROLLBACK otherwise. Runs off the loop and touches only the exchange. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "owner/sessions.h"
#include "store/db.h"
#include "store/db_scope.h"
#include "web.h"

/* The thread's connection, (re)connected when it is missing or broken. */
static PGconn *connection(void **state, const struct fd_config *cfg, char *why, size_t why_len)
{
    PGconn *conn = *state;
    if (conn != NULL && PQstatus(conn) == CONNECTION_OK)
        return conn;
    PQfinish(conn);
    conn = db_connect_service(cfg->database_url, why, why_len);
    *state = conn;
    return conn;
}

void web_db_state_free(void *state)
{
    PQfinish(state);
}

static bool is_write(enum web_method method)
{
    return method != WEB_GET;
}

static bool csrf_matches(const char *sent, const char *expected)
{
    size_t len = strlen(expected);
    return strlen(sent) == len && len > 0 && sodium_memcmp(sent, expected, len) == 0;
}

/* Finds the request's session and declares its business; false with the answer set
 * (401, 403, or the database's failure) when the request may not go on. */
static bool open_session(PGconn *conn, struct web_exchange *x)
{
    struct session_live live;
    char why[512];
    enum app_err err = session_open(conn, x->session.token_hash, x->web->wcfg.session_idle_s,
                                    &live, why, sizeof why);
    if (err == APP_ENOTFOUND) {
        web_problem(&x->result, 401, "The session has ended or is not valid; sign in again.");
        return false;
    }
    if (err != APP_OK) {
        web_fail(&x->result, err, why);
        return false;
    }
    memcpy(x->session.user_id, live.user_id, sizeof live.user_id);
    memcpy(x->session.business_id, live.business_id, sizeof live.business_id);
    memcpy(x->session.csrf_token, live.csrf_token, sizeof live.csrf_token);
    x->session.role = live.role;
    if (x->is_cookie_auth && is_write(x->route->method) &&
        !csrf_matches(x->csrf_header, live.csrf_token)) {
        web_problem(&x->result, 403, "A request signed in by cookie that changes something "
                                     "must send X-CSRF-Token with the session's csrf_token.");
        return false;
    }
    if (x->route->access == WEB_OWNER && live.role != ACCOUNT_OWNER) {
        web_problem(&x->result, 403, "Only an owner of the business may do this.");
        return false;
    }
    return true;
}

static void finish(PGconn *conn, struct web_exchange *x)
{
    char why[512];
    struct web_result *r = &x->result;
    bool is_continuing = r->status == 0 && r->next != NULL;
    if (!is_continuing && (r->status == 0 || r->status >= 400)) {
        (void)db_exec(conn, "ROLLBACK", why, sizeof why);  /* a failure: the server rolls back */
        return;
    }
    enum app_err err = db_exec(conn, "COMMIT", why, sizeof why);
    if (err != APP_OK) {
        /* Nothing the handler promised happened: no cookie, no continuation. */
        r->next = NULL;
        r->then = WEB_THEN_ANSWER;
        r->cookie = WEB_COOKIE_KEEP;
        r->auth_event = WEB_AUTH_NONE;
        web_fail(r, err, why);
    }
}

void web_db_run(void *job, void **state, void *arg)
{
    struct web_exchange *x = job;
    struct web *web = arg;
    char why[512];
    PGconn *conn = connection(state, &web->cfg, why, sizeof why);
    if (conn == NULL) {
        web_fail(&x->result, APP_EUNAVAIL, why);
        return;
    }
    struct db_limits limits = {web->cfg.pg_statement_timeout_ms, web->cfg.pg_lock_timeout_ms};
    enum app_err err = db_begin_scoped(conn, &limits, why, sizeof why);
    if (err != APP_OK) {
        web_fail(&x->result, err, why);
        return;
    }
    bool is_allowed = x->route->access == WEB_PUBLIC || open_session(conn, x);
    if (is_allowed)
        x->stage(conn, &x->request, x->route->access == WEB_PUBLIC ? NULL : &x->session,
                 &x->result);
    finish(conn, x);
}
