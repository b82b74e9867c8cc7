/* lib/store/db.h: PostgreSQL (libpq) helpers shared by frontdesk-ctl, the api and the worker.
 *
 * Every query runs as the non-owner role frontdesk_app (schema/0001_v1.sql) or, for
 * the ops CLI, frontdesk_ops, whatever role FRONTDESK_DATABASE_URL names, so Row Level
 * Security holds even when an operator hands us an owner's URL. frontdesk-ctl does SET
 * ROLE right after connecting (db_connect); the services declare the role in every
 * transaction instead (db_scope.h), which a pooler in transaction mode keeps. Each
 * transaction then declares its tenant (db_with_tenant), and the policies show it that
 * tenant's rows only; with no tenant declared they show none.
 *
 * Messages written to why never contain the URL's password. */
#ifndef FD_DB_H
#define FD_DB_H
#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "core/err.h"

#define DB_APP_ROLE "frontdesk_app"     /* tenant-scoped reads and writes */
#define DB_OPS_ROLE "frontdesk_ops"     /* reads every tenant, writes nothing (ops CLI) */
/* Parameter $1: the tenant's business id. true = local to the transaction. */
#define DB_SET_TENANT_SQL "SELECT set_config('app.business_id', $1, true)"
#define DB_CONNECT_TIMEOUT_S "5"        /* unless the URL sets connect_timeout */

/* Connects (blocking) and assumes frontdesk_app. Returns an owned connection (close
 * with PQfinish), or NULL with why saying what failed: unreachable server, bad
 * credentials, or a role that cannot be assumed (migrations not applied, or the URL's
 * user not a member of frontdesk_app). */
PGconn *db_connect(const char *url, char *why, size_t why_len);
/* The same, assuming frontdesk_ops: for ops commands that must see every tenant. */
PGconn *db_connect_ops(const char *url, char *why, size_t why_len);
/* The same, assuming role (NULL: none, the URL's own role). Only `frontdesk-ctl
 * migrate` connects with NULL: it must create tables and roles as their owner. */
PGconn *db_connect_as(const char *url, const char *role, char *why, size_t why_len);
/* Connects (blocking) and runs sql (NULL: nothing), which assumes role for the session
 * (SET ROLE) or only checks that it may be assumed (db_scope.h); its failure is reported
 * as db_check_set_role says. */
PGconn *db_connect_checking_role(const char *url, const char *sql, const char *role, char *why,
                                 size_t why_len);

/* For event-loop callers, the pieces of db_connect that do not block:
 * db_connect_start begins a non-blocking connection (owned; NULL with why when libpq
 * refuses the URL or cannot allocate); poll it with PQconnectPoll/PQsocket until
 * PGRES_POLLING_OK, PQsetnonblocking(conn, 1), then check the role (db_scope.h). */
PGconn *db_connect_start(const char *url, char *why, size_t why_len);
/* The same, connecting to hostaddr (a literal address, the URL's host name resolved
 * off the loop by host_resolve.h) instead of letting libpq resolve the name, which it
 * does with a blocking getaddrinfo (NULL: as db_connect_start). */
PGconn *db_connect_start_at(const char *url, const char *hostaddr, char *why, size_t why_len);
/* True, with the name in host, when url names one host by name (not an address, a
 * socket directory or a list, and without hostaddr): the name to resolve before
 * db_connect_start_at. */
bool db_url_host_name(const char *url, char *host, size_t host_len);
/* APP_OK when res (borrowed) is the successful result of SET ROLE role or of
 * set_config('role', role, ...); otherwise
 * why explains and suggests the fix. */
enum app_err db_check_set_role(const PGresult *res, const char *role, char *why, size_t why_len);

/* A unit of work inside a transaction. Returns APP_OK to commit; anything else rolls
 * back. conn is borrowed. fn may write why; the caller prints it. */
typedef enum app_err (*db_txn_fn)(PGconn *conn, void *arg, char *why, size_t why_len);

/* BEGIN, fn, COMMIT (ROLLBACK unless fn returned APP_OK). Returns fn's result, or the
 * error of BEGIN/COMMIT. */
enum app_err db_in_transaction(PGconn *conn, db_txn_fn fn, void *arg, char *why, size_t why_len);
/* db_in_transaction with app.business_id set to business_id (canonical UUID text) for
 * the transaction only. APP_EINVAL when business_id is not a UUID. */
enum app_err db_with_tenant(PGconn *conn, const char *business_id, db_txn_fn fn, void *arg,
                            char *why, size_t why_len);

/* Runs sql (no parameters, no rows wanted). On failure why holds the server's message. */
enum app_err db_exec(PGconn *conn, const char *sql, char *why, size_t why_len);
/* Maps a result (borrowed, may be NULL) to enum app_err: APP_OK for COMMAND_OK and
 * TUPLES_OK, APP_ECONFLICT for a unique violation, APP_EUNAVAIL when the connection
 * is gone or the error is transient (db_result_is_transient), APP_EINTERNAL otherwise.
 * On error why holds the server's message. */
enum app_err db_result_err(PGconn *conn, const PGresult *res, char *why, size_t why_len);
/* True when res failed because PostgreSQL is busy, not because of the statement: a lock
 * or statement timeout (55P03, 57014), a serialization failure or deadlock (40001,
 * 40P01), a server shutting down or starting (57P01, 57P03), too many connections
 * (53300). Trying again later may succeed: the web answers 503. */
bool db_result_is_transient(const PGresult *res);
/* True when res failed with SQLSTATE sqlstate (five characters, e.g. "23505"). */
bool db_result_is(const PGresult *res, const char *sqlstate);
/* Writes url with its password (URI user:password@ or key=value password=) as "***". */
void db_url_redact(const char *url, char *out, size_t out_len);

#endif
