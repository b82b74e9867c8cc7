/* lib/store/db.c: see db.h. Connections are few and long-lived (one per process, or a small
 * pool), so the blocking helpers favour clear messages over speed. */
#include "store/db.h"

#include <stdio.h>
#include <string.h>

#include "store/host_resolve.h"
#include "store/tenant_keys.h"

/* The keywords and values of one PQconnect*Params call. connect_timeout comes before
 * dbname, so a connect_timeout in the URL overrides it (libpq keeps the last value of a
 * repeated keyword); hostaddr comes after, so ours wins. */
struct connect_params {
    const char *keywords[5];
    const char *values[5];
};

static void connect_params_init(struct connect_params *p, const char *url, const char *hostaddr)
{
    int n = 0;
    p->keywords[n] = "connect_timeout";
    p->values[n++] = DB_CONNECT_TIMEOUT_S;
    p->keywords[n] = "fallback_application_name";
    p->values[n++] = "frontdesk";
    p->keywords[n] = "dbname";
    p->values[n++] = url;
    if (hostaddr != NULL) {
        p->keywords[n] = "hostaddr";
        p->values[n++] = hostaddr;
    }
    p->keywords[n] = NULL;
    p->values[n] = NULL;
}

static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
        s[--n] = '\0';
}

static void scrub(char *why, size_t why_len, const char *secret, size_t secret_len)
{
    char *from = why;
    char *hit;
    if (secret_len == 0)
        return;
    while ((hit = strstr(from, secret)) != NULL) {  /* why is NUL-terminated */
        size_t at = (size_t)(hit - why);
        if (at + 4 > why_len) {                      /* no room for "***": cut here */
            *hit = '\0';
            return;
        }
        size_t tail = strlen(hit + secret_len);
        if (at + 3 + tail >= why_len)
            tail = why_len - at - 4;
        memmove(hit + 3, hit + secret_len, tail);
        hit[3 + tail] = '\0';
        memcpy(hit, "***", 3);
        from = hit + 3;         /* a secret of '*'s must not match its own mask */
    }
}

/* The raw password of a URI (user:password@host), as written, percent-escapes and all. */
static bool uri_password(const char *url, const char **pw, size_t *pw_len)
{
    const char *auth = strstr(url, "://");
    if (auth == NULL)
        return false;
    auth += 3;
    size_t auth_len = strcspn(auth, "/?");
    const char *at = NULL;
    for (const char *p = auth; p < auth + auth_len; p++)
        if (*p == '@')
            at = p;
    const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    if (colon == NULL)
        return false;
    *pw = colon + 1;
    *pw_len = (size_t)(at - *pw);
    return true;
}

/* libpq echoes pieces of a malformed URL in its messages; a password must not leak
 * that way, so any occurrence of it in why, decoded or as written, becomes "***". */
static void scrub_password(const char *url, char *why, size_t why_len)
{
    const char *raw;
    size_t raw_len;
    if (uri_password(url, &raw, &raw_len)) {
        char secret[256];
        snprintf(secret, sizeof secret, "%.*s", (int)raw_len, raw);
        scrub(why, why_len, secret, strlen(secret));
    }
    PQconninfoOption *opts = PQconninfoParse(url, NULL);
    if (opts == NULL)
        return;
    for (PQconninfoOption *o = opts; o->keyword != NULL; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val != NULL)
            scrub(why, why_len, o->val, strlen(o->val));
    PQconninfoFree(opts);
}

static void describe_connect_failure(PGconn *conn, const char *url, char *why, size_t why_len)
{
    char safe_url[512];
    db_url_redact(url, safe_url, sizeof safe_url);
    snprintf(why, why_len, "cannot connect to PostgreSQL at %s: %s", safe_url,
             conn ? PQerrorMessage(conn) : "out of memory");
    chomp(why);
    scrub_password(url, why, why_len);
}

PGconn *db_connect_start(const char *url, char *why, size_t why_len)
{
    return db_connect_start_at(url, NULL, why, why_len);
}

/* With hostaddr libpq connects to it without a lookup, and still uses the URL's host
 * name for authentication and TLS. */
PGconn *db_connect_start_at(const char *url, const char *hostaddr, char *why, size_t why_len)
{
    struct connect_params p;
    connect_params_init(&p, url, hostaddr);
    PGconn *conn = PQconnectStartParams(p.keywords, p.values, 1);
    if (conn == NULL || PQstatus(conn) == CONNECTION_BAD) {
        describe_connect_failure(conn, url, why, why_len);
        PQfinish(conn);
        return NULL;
    }
    return conn;
}

bool db_url_host_name(const char *url, char *host, size_t host_len)
{
    PQconninfoOption *opts = PQconninfoParse(url, NULL);
    if (opts == NULL)
        return false;
    const char *name = NULL;
    bool has_hostaddr = false;
    for (PQconninfoOption *o = opts; o->keyword != NULL; o++) {
        if (strcmp(o->keyword, "host") == 0)
            name = o->val;
        else if (strcmp(o->keyword, "hostaddr") == 0)
            has_hostaddr = o->val != NULL && o->val[0] != '\0';
    }
    bool is_name = name != NULL && name[0] != '\0' && name[0] != '/' && name[0] != '@' &&
                   strchr(name, ',') == NULL && !has_hostaddr && !host_is_address(name) &&
                   strlen(name) < host_len;
    if (is_name)
        strcpy(host, name);
    PQconninfoFree(opts);
    return is_name;
}

enum app_err db_check_set_role(const PGresult *res, const char *role, char *why, size_t why_len)
{
    if (res != NULL && (PQresultStatus(res) == PGRES_COMMAND_OK ||
                        PQresultStatus(res) == PGRES_TUPLES_OK))   /* SET ROLE, set_config */
        return APP_OK;
    const char *msg = res ? PQresultErrorMessage(res) : "no result";
    if (db_result_is(res, "22023") || db_result_is(res, "42704"))
        snprintf(why, why_len, "cannot SET ROLE %s: the role does not exist; run "
                 "`frontdesk-ctl migrate` with an owner's URL first (%s)", role, msg);
    else if (db_result_is(res, "42501"))
        snprintf(why, why_len, "cannot SET ROLE %s: the URL's user is not a member; "
                 "`frontdesk-ctl migrate` grants it to the migrating user, or GRANT %s TO "
                 "the user (%s)", role, role, msg);
    else
        snprintf(why, why_len, "cannot SET ROLE %s: %s", role, msg);
    chomp(why);
    return APP_EUNAVAIL;
}

PGconn *db_connect_checking_role(const char *url, const char *sql, const char *role, char *why,
                                 size_t why_len)
{
    struct connect_params p;
    connect_params_init(&p, url, NULL);
    PGconn *conn = PQconnectdbParams(p.keywords, p.values, 1);
    if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
        describe_connect_failure(conn, url, why, why_len);
        PQfinish(conn);
        return NULL;
    }
    if (sql == NULL)
        return conn;
    PGresult *res = PQexec(conn, sql);
    enum app_err err = db_check_set_role(res, role, why, why_len);
    PQclear(res);
    if (err != APP_OK) {
        PQfinish(conn);
        return NULL;
    }
    return conn;
}

PGconn *db_connect_as(const char *url, const char *role, char *why, size_t why_len)
{
    if (role == NULL)
        return db_connect_checking_role(url, NULL, NULL, why, why_len);
    /* role is one of our constants, never outside input: no quoting needed. */
    char sql[96];
    snprintf(sql, sizeof sql, "SET ROLE %s", role);
    return db_connect_checking_role(url, sql, role, why, why_len);
}

PGconn *db_connect(const char *url, char *why, size_t why_len)
{
    return db_connect_as(url, DB_APP_ROLE, why, why_len);
}

PGconn *db_connect_ops(const char *url, char *why, size_t why_len)
{
    return db_connect_as(url, DB_OPS_ROLE, why, why_len);
}

bool db_result_is_transient(const PGresult *res)
{
    static const char *const transient[] = {"55P03", "57014", "40001", "40P01", "57P01",
                                            "57P03", "53300"};
    for (size_t i = 0; i < sizeof transient / sizeof transient[0]; i++)
        if (db_result_is(res, transient[i]))
            return true;
    return false;
}

bool db_result_is(const PGresult *res, const char *sqlstate)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    return state != NULL && strcmp(state, sqlstate) == 0;
}

enum app_err db_result_err(PGconn *conn, const PGresult *res, char *why, size_t why_len)
{
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return APP_OK;
    snprintf(why, why_len, "%s", res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
    chomp(why);
    if (db_result_is(res, "23505"))
        return APP_ECONFLICT;
    if (PQstatus(conn) != CONNECTION_OK || db_result_is_transient(res))
        return APP_EUNAVAIL;
    return APP_EINTERNAL;
}

enum app_err db_exec(PGconn *conn, const char *sql, char *why, size_t why_len)
{
    PGresult *res = PQexec(conn, sql);
    enum app_err err = db_result_err(conn, res, why, why_len);
    PQclear(res);
    return err;
}

enum app_err db_in_transaction(PGconn *conn, db_txn_fn fn, void *arg, char *why, size_t why_len)
{
    enum app_err err = db_exec(conn, "BEGIN", why, why_len);
    if (err != APP_OK)
        return err;
    err = fn(conn, arg, why, why_len);
    if (err != APP_OK) {
        char ignored[256];
        /* The transaction's own error is what the caller needs; a failed ROLLBACK
         * means the connection is gone, and the server rolls back anyway. */
        (void)db_exec(conn, "ROLLBACK", ignored, sizeof ignored);
        return err;
    }
    return db_exec(conn, "COMMIT", why, why_len);
}

struct tenant_txn {
    const char *business_id;
    db_txn_fn fn;
    void *arg;
};

static enum app_err run_as_tenant(PGconn *conn, void *arg, char *why, size_t why_len)
{
    struct tenant_txn *t = arg;
    const char *params[1] = {t->business_id};
    PGresult *res = PQexecParams(conn, DB_SET_TENANT_SQL, 1, NULL, params, NULL, NULL, 0);
    enum app_err err = db_result_err(conn, res, why, why_len);
    PQclear(res);
    if (err != APP_OK)
        return err;
    return t->fn(conn, t->arg, why, why_len);
}

enum app_err db_with_tenant(PGconn *conn, const char *business_id, db_txn_fn fn, void *arg,
                            char *why, size_t why_len)
{
    if (business_id == NULL || !uuid_is_valid(business_id, strlen(business_id))) {
        snprintf(why, why_len, "business id is not a UUID");
        return APP_EINVAL;
    }
    struct tenant_txn t = {business_id, fn, arg};
    return db_in_transaction(conn, run_as_tenant, &t, why, why_len);
}

static bool redact_uri(const char *url, char *out, size_t out_len)
{
    const char *pw;
    size_t pw_len;
    if (strstr(url, "://") == NULL)
        return false;
    if (!uri_password(url, &pw, &pw_len))
        snprintf(out, out_len, "%s", url);
    else
        snprintf(out, out_len, "%.*s***%s", (int)(pw - url), url, pw + pw_len);
    return true;
}

void db_url_redact(const char *url, char *out, size_t out_len)
{
    if (redact_uri(url, out, out_len))
        return;
    /* key=value form: blank out every password=... value (quoted or not). */
    size_t o = 0;
    const char *p = url;
    while (*p != '\0' && o + 1 < out_len) {
        if (strncmp(p, "password", 8) == 0 && (p == url || p[-1] == ' ')) {
            const char *eq = p + 8;
            while (*eq == ' ')
                eq++;
            if (*eq == '=') {
                o += (size_t)snprintf(out + o, out_len - o, "password=***");
                p = eq + 1;
                while (*p == ' ')
                    p++;
                if (*p == '\'') {
                    for (p++; *p != '\0' && *p != '\''; p++)
                        if (*p == '\\' && p[1] != '\0')
                            p++;
                    if (*p == '\'')
                        p++;
                } else {
                    while (*p != '\0' && *p != ' ')
                        p++;
                }
                if (o >= out_len)
                    o = out_len - 1;
                continue;
            }
        }
        out[o++] = *p++;
    }
    out[o < out_len ? o : out_len - 1] = '\0';
}
