/* lib/owner/owner_query.h: running one parameterised statement of the owner API on a
 * blocking connection, with its failure mapped to enum app_err once (db_result_err:
 * APP_ECONFLICT for a unique violation, APP_EUNAVAIL when the connection is gone,
 * APP_EINTERNAL otherwise, the server's message in why). Parameters are text; NULL is
 * SQL NULL. */
#ifndef FD_OWNER_QUERY_H
#define FD_OWNER_QUERY_H
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "core/err.h"

/* A statement whose rows are not wanted. */
enum app_err owner_exec(PGconn *conn, const char *sql, int n, const char *const *params,
                        char *why, size_t why_len);
/* A statement that must change exactly one row: APP_ENOTFOUND when it changed none. */
enum app_err owner_exec_one(PGconn *conn, const char *sql, int n, const char *const *params,
                            char *why, size_t why_len);
/* On APP_OK *out is the result (owned: PQclear); otherwise *out is NULL. */
enum app_err owner_query(PGconn *conn, const char *sql, int n, const char *const *params,
                         PGresult **out, char *why, size_t why_len);
/* A query whose first column is JSON text (json_build_object, json_agg): on APP_OK *out
 * is the first row's value (new reference); APP_ENOTFOUND when there is no row. Times
 * come out in the transaction's TimeZone, ISO 8601 with their offset. */
enum app_err owner_query_json(PGconn *conn, const char *sql, int n, const char *const *params,
                              json_t **out, char *why, size_t why_len);

/* Copies the text of res's row 0, column col, into out (size bytes, NUL-terminated).
 * False when the value is NULL or does not fit. */
bool owner_copy_text(char *out, size_t size, const PGresult *res, int col);

#endif
