/* lib/store/pg_conn.h: one non-blocking PostgreSQL connection on a libevent loop, for the
 * worker's durable writes (lib/store/outbox_drain.c). It never blocks the loop: connecting
 * (db_connect_start + PQconnectPoll), the check that it may assume frontdesk_app, sending
 * and reading are all driven by socket events. Every job is a transaction that declares
 * its role, timeouts and tenant for itself (db_scope.h), so the connection may go
 * through a pooler in transaction mode. Jobs (a query, or a transaction of several statements)
 * run one at a time in FIFO order, each with a deadline. When the connection is lost or
 * a running job passes its deadline, the connection is dropped, the running and queued
 * jobs fail (each callback once), and it reconnects with jittered backoff, forever.
 * Jobs submitted while it is down fail at once (asynchronously: never inside the
 * submitting call); jobs submitted while it is connecting wait, within their deadline. */
#ifndef FD_PG_CONN_H
#define FD_PG_CONN_H
#include <stdbool.h>

#include <libpq-fe.h>

#include "core/err.h"
#include "store/db_scope.h"

struct event_base;
struct pg_conn;

/* Called exactly once per job, from the event loop (never from inside pg_conn_query or
 * pg_conn_transaction). res is borrowed (cleared after the callback returns):
 *   APP_OK        res is the job's last result (COMMAND_OK or TUPLES_OK);
 *   APP_ECONFLICT / APP_EINTERNAL  the server refused a statement: res is that error
 *                 result (read its SQLSTATE with PQresultErrorField), why its message;
 *   APP_EUNAVAIL  no connection, lost connection or deadline: res is NULL (or, when
 *                 the connection broke mid-statement, the error result libpq made);
 * why is a NUL-terminated message ("" on success), valid during the callback only.
 * A callback may submit new jobs; it must not call pg_conn_free. */
typedef void (*pg_result_fn)(PGresult *res, enum app_err err, const char *why, void *arg);

/* One statement of a transaction. params: nparams NUL-terminated texts, NULL for SQL
 * NULL; untyped, so cast them in the SQL ($1::uuid) where the type is not implied. */
struct pg_stmt {
    const char *sql;
    int nparams;
    const char *const *params;
};

/* Starts connecting at once. Borrows base (must outlive the connection); copies url and
 * limits, the statement and lock timeouts every transaction sets for itself (NULL:
 * none). A statement timeout shorter than the jobs' deadlines lets the server cancel a
 * slow statement (SQLSTATE 57014, the job fails alone) before a deadline drops the
 * connection and every job on it. */
struct pg_conn *pg_conn_create(struct event_base *base, const char *database_url,
                               const struct db_limits *limits);
/* Fails every running and queued job (callbacks run, with APP_EUNAVAIL), closes and
 * frees. NULL is fine. Not from inside a pg_result_fn. */
void pg_conn_free(struct pg_conn *c);

/* True while connected (the login may assume frontdesk_app) and not broken. */
bool pg_conn_is_ready(const struct pg_conn *c);

/* Queues one statement (sql and params copied) with a deadline of timeout_ms from now,
 * in a transaction of its own: BEGIN; the scope without a tenant; sql; COMMIT. */
void pg_conn_query(struct pg_conn *c, const char *sql, int nparams, const char *const *params,
                   int timeout_ms, pg_result_fn cb, void *arg);

/* pg_conn_query for a statement that may run longer than the usual timeouts (the
 * daily retention and billing jobs): BEGIN; statement_timeout and lock_timeout set to
 * timeout_ms for this transaction only; sql; COMMIT. cb gets sql's result. */
void pg_conn_query_long(struct pg_conn *c, const char *sql, int nparams,
                        const char *const *params, int timeout_ms, pg_result_fn cb, void *arg);

/* Queues BEGIN; the scope with app.business_id = business_id; stmts...;
 * COMMIT, run back to back with nothing else in between, within timeout_ms. On the first
 * failing statement it sends ROLLBACK and reports that statement's error; once COMMIT
 * succeeded cb gets the result of the last of stmts (its rows, or PQcmdTuples for the
 * rows it changed), so a guarded UPDATE ... RETURNING tells whether it matched.
 * Everything is copied. */
void pg_conn_transaction(struct pg_conn *c, const char *business_id, const struct pg_stmt *stmts,
                         int nstmts, int timeout_ms, pg_result_fn cb, void *arg);

#endif
