/* lib/store/db_scope.c: see db_scope.h. */
#include "store/db_scope.h"

#include <stdio.h>

void db_limit_texts(const struct db_limits *limits, struct db_limit_texts *out)
{
    snprintf(out->statement_ms, sizeof out->statement_ms, "%d",
             limits ? limits->statement_timeout_ms : 0);
    snprintf(out->lock_ms, sizeof out->lock_ms, "%d", limits ? limits->lock_timeout_ms : 0);
}

PGconn *db_connect_service(const char *url, char *why, size_t why_len)
{
    return db_connect_checking_role(url, DB_CHECK_APP_ROLE_SQL, DB_APP_ROLE, why, why_len);
}

enum app_err db_begin_scoped(PGconn *conn, const struct db_limits *limits, char *why,
                             size_t why_len)
{
    enum app_err err = db_exec(conn, "BEGIN", why, why_len);
    if (err != APP_OK)
        return err;
    struct db_limit_texts t;
    db_limit_texts(limits, &t);
    const char *params[2] = {t.statement_ms, t.lock_ms};
    PGresult *res = PQexecParams(conn, DB_SCOPE_SQL, 2, NULL, params, NULL, NULL, 0);
    err = db_result_err(conn, res, why, why_len);
    PQclear(res);
    if (err != APP_OK) {
        char ignored[256];
        (void)db_exec(conn, "ROLLBACK", ignored, sizeof ignored);
    }
    return err;
}
