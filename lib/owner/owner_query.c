/* lib/owner/owner_query.c: see owner_query.h. */
#include "owner/owner_query.h"

#include <stdio.h>
#include <string.h>

#include "store/db.h"

enum app_err owner_query(PGconn *conn, const char *sql, int n, const char *const *params,
                         PGresult **out, char *why, size_t why_len)
{
    PGresult *res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
    enum app_err err = db_result_err(conn, res, why, why_len);
    if (err != APP_OK) {
        PQclear(res);
        res = NULL;
    }
    *out = res;
    return err;
}

enum app_err owner_exec(PGconn *conn, const char *sql, int n, const char *const *params,
                        char *why, size_t why_len)
{
    PGresult *res = NULL;
    enum app_err err = owner_query(conn, sql, n, params, &res, why, why_len);
    PQclear(res);
    return err;
}

enum app_err owner_exec_one(PGconn *conn, const char *sql, int n, const char *const *params,
                            char *why, size_t why_len)
{
    PGresult *res = NULL;
    enum app_err err = owner_query(conn, sql, n, params, &res, why, why_len);
    if (err == APP_OK && strcmp(PQcmdTuples(res), "1") != 0)
        err = APP_ENOTFOUND;
    PQclear(res);
    return err;
}

enum app_err owner_query_json(PGconn *conn, const char *sql, int n, const char *const *params,
                              json_t **out, char *why, size_t why_len)
{
    PGresult *res = NULL;
    *out = NULL;
    enum app_err err = owner_query(conn, sql, n, params, &res, why, why_len);
    if (err != APP_OK)
        return err;
    if (PQntuples(res) == 0 || PQgetisnull(res, 0, 0)) {
        PQclear(res);
        return APP_ENOTFOUND;
    }
    json_error_t jerr;
    *out = json_loadb(PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0),
                      JSON_DECODE_ANY, &jerr);
    PQclear(res);
    if (*out == NULL) {
        snprintf(why, why_len, "the database returned JSON we cannot read: %s", jerr.text);
        return APP_EINTERNAL;
    }
    return APP_OK;
}

bool owner_copy_text(char *out, size_t size, const PGresult *res, int col)
{
    size_t len = (size_t)PQgetlength(res, 0, col);
    if (PQgetisnull(res, 0, col) || len >= size)
        return false;
    memcpy(out, PQgetvalue(res, 0, col), len + 1);
    return true;
}
