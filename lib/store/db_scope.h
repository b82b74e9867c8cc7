/* lib/store/db_scope.h: what every service transaction declares at its start, so that it
 * holds through a pooler in transaction mode (PgBouncer): the role frontdesk_app, the
 * statement and lock timeouts and, for a tenant's work, app.business_id, all set with
 * set_config(..., true), local to the transaction. Nothing is set for the session: through
 * a transaction pooler the next transaction may run on another server connection, and a
 * session SET would stay behind on this one for whichever client gets it next. So a
 * connection left as the URL's user (a table owner bypasses Row Level Security), or
 * with another client's session settings, changes nothing a service transaction sees.
 *
 * The services (frontdesk-web, frontdesk-worker) use this; frontdesk-ctl and migrations
 * keep their session roles (db.h) and must reach PostgreSQL directly or through a pool
 * in session mode. */
#ifndef FD_DB_SCOPE_H
#define FD_DB_SCOPE_H
#include <stddef.h>

#include <libpq-fe.h>

#include "core/err.h"
#include "store/db.h"

/* The services' limits per transaction, in ms (0: none), from
 * FRONTDESK_PG_STATEMENT_TIMEOUT_MS and FRONTDESK_PG_LOCK_TIMEOUT_MS. */
struct db_limits {
    int statement_timeout_ms;
    int lock_timeout_ms;
};

/* Parameters $1 statement_timeout and $2 lock_timeout (ms as text). The role comes
 * first: set_config('role', ...) checks membership like SET ROLE does. */
#define DB_SCOPE_SQL                                                                       \
    "SELECT set_config('role', '" DB_APP_ROLE "', true), "                                 \
    "set_config('statement_timeout', $1, true), set_config('lock_timeout', $2, true)"
/* DB_SCOPE_SQL and $3, the tenant's business id. */
#define DB_SCOPE_TENANT_SQL DB_SCOPE_SQL ", set_config('app.business_id', $3, true)"
/* A connection's first statement: can this login assume frontdesk_app? Local to its own
 * implicit transaction, so it leaves nothing behind. Check the result with
 * db_check_set_role. */
#define DB_CHECK_APP_ROLE_SQL "SELECT set_config('role', '" DB_APP_ROLE "', true)"

/* The texts of DB_SCOPE_SQL's first two parameters. */
struct db_limit_texts {
    char statement_ms[16];
    char lock_ms[16];
};
void db_limit_texts(const struct db_limits *limits, struct db_limit_texts *out);

/* Connects (blocking) without any session setting and checks that the login may assume
 * frontdesk_app (db_check_set_role's messages). Owned result, or NULL with why. */
PGconn *db_connect_service(const char *url, char *why, size_t why_len);

/* BEGIN, then DB_SCOPE_SQL with limits. On failure the transaction is rolled back (the
 * connection is ready for the next BEGIN) and why says what failed. */
enum app_err db_begin_scoped(PGconn *conn, const struct db_limits *limits, char *why,
                             size_t why_len);

#endif
