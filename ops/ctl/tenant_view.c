/* ops/ctl/tenant_view.c: `frontdesk-ctl tenant list [--json]` and `tenant show --business ID
 * [--json]`, what an operator needs to know of the businesses: whether each takes calls
 * (suspended or not, its receptionist's active version), its numbers and its requests for
 * numbers (pending, ordering, failed and why), and its calls of the last 30 days.
 * Read as frontdesk_ops, which sees every tenant and writes nothing (schema/0001_v1.sql);
 * times are UTC. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "store/db.h"

#define UTC_TEXT(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS\"Z\"')"
#define ACTIVE_VERSION "coalesce((SELECT a.version::text FROM ai_agents a " \
                       "WHERE a.business_id = b.id AND a.is_active), '')"

static const char list_sql[] =
    "SELECT b.id::text, b.name, coalesce(" UTC_TEXT("b.suspended_at") ", ''), "
    "(SELECT count(*) FROM phone_numbers p WHERE p.business_id = b.id), "
    "(SELECT count(*) FROM number_requests r WHERE r.business_id = b.id "
    " AND r.status IN ('pending', 'ordering')), "
    "(SELECT count(*) FROM number_requests r WHERE r.business_id = b.id AND r.status = 'failed'), "
    ACTIVE_VERSION ", " UTC_TEXT("b.created_at") " FROM businesses b ORDER BY b.created_at, b.id";
enum { L_ID, L_NAME, L_SUSPENDED, L_NUMBERS, L_WAITING, L_FAILED, L_AGENT, L_CREATED, L_NCOLS };

static const char business_sql[] =
    "SELECT b.id::text, b.name, coalesce(" UTC_TEXT("b.suspended_at") ", ''), "
    "coalesce(b.fallback_number, ''), " UTC_TEXT("b.created_at") ", " ACTIVE_VERSION ", "
    "(SELECT count(*) FROM call_logs c WHERE c.business_id = b.id "
    " AND c.started_at > now() - interval '30 days'), "
    "coalesce((SELECT " UTC_TEXT("max(c.started_at)") " FROM call_logs c "
    " WHERE c.business_id = b.id), '') "
    "FROM businesses b WHERE b.id = $1";
enum { B_ID, B_NAME, B_SUSPENDED, B_FALLBACK, B_CREATED, B_AGENT, B_CALLS_30D, B_LAST_CALL };

static const char numbers_sql[] =
    "SELECT number, " UTC_TEXT("created_at") " FROM phone_numbers WHERE business_id = $1 "
    "ORDER BY created_at, number";

static const char requests_sql[] =
    "SELECT id::text, status, coalesce(area_code, ''), coalesce(phone_number, ''), "
    "coalesce(order_id, ''), attempts, " UTC_TEXT("next_attempt_at") ", "
    "coalesce(failure_reason, ''), coalesce(last_error, ''), " UTC_TEXT("created_at") ", "
    "coalesce(claimed_by, '') "
    "FROM number_requests WHERE business_id = $1 ORDER BY created_at DESC, id";
enum { R_ID, R_STATUS, R_AREA, R_NUMBER, R_ORDER, R_ATTEMPTS, R_NEXT, R_REASON, R_ERROR,
       R_CREATED, R_CLAIMED, R_NCOLS };

/* Runs sql with params as frontdesk_ops; NULL (with why) on failure. */
static PGresult *ops_query(PGconn *conn, const char *sql, int n, const char *const *params,
                           char *why, size_t why_len)
{
    PGresult *res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
    if (db_result_err(conn, res, why, why_len) != APP_OK) {
        PQclear(res);
        return NULL;
    }
    return res;
}

/* frontdesk_ops for a read of every tenant; NULL (the failure printed) when it cannot. */
static PGconn *connect_ops(void)
{
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    char why[1024];
    PGconn *conn = db_connect_ops(cfg.database_url, why, sizeof why);
    if (conn == NULL)
        ctl_fail("%s", why);
    return conn;
}

static json_t *text_or_null(const char *s)
{
    return s[0] != '\0' ? json_string(s) : json_null();
}

/* ---- tenant list ---- */

static json_t *list_json(const PGresult *rows)
{
    json_t *arr = json_array();
    for (int r = 0; r < PQntuples(rows); r++) {
        const char *agent = PQgetvalue(rows, r, L_AGENT);
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:o, s:I, s:I, s:I, s:o, s:s}",
            "business_id", PQgetvalue(rows, r, L_ID), "name", PQgetvalue(rows, r, L_NAME),
            "status", PQgetvalue(rows, r, L_SUSPENDED)[0] ? "suspended" : "active",
            "suspended_at", text_or_null(PQgetvalue(rows, r, L_SUSPENDED)),
            "numbers", (json_int_t)atoll(PQgetvalue(rows, r, L_NUMBERS)),
            "number_requests_waiting", (json_int_t)atoll(PQgetvalue(rows, r, L_WAITING)),
            "number_requests_failed", (json_int_t)atoll(PQgetvalue(rows, r, L_FAILED)),
            "agent_version", agent[0] ? json_integer(atoll(agent)) : json_null(),
            "created_at", PQgetvalue(rows, r, L_CREATED)));
    }
    return arr;
}

static void list_table(const PGresult *rows)
{
    printf("%-36s  %-9s  %7s  %9s  %6s  %5s  %-20s  %s\n", "BUSINESS", "STATUS", "NUMBERS",
           "REQUESTED", "FAILED", "AGENT", "CREATED", "NAME");
    for (int r = 0; r < PQntuples(rows); r++) {
        const char *agent = PQgetvalue(rows, r, L_AGENT);
        printf("%-36s  %-9s  %7s  %9s  %6s  %5s  %-20s  %s\n", PQgetvalue(rows, r, L_ID),
               PQgetvalue(rows, r, L_SUSPENDED)[0] ? "suspended" : "active",
               PQgetvalue(rows, r, L_NUMBERS), PQgetvalue(rows, r, L_WAITING),
               PQgetvalue(rows, r, L_FAILED), agent[0] ? agent : "-",
               PQgetvalue(rows, r, L_CREATED), PQgetvalue(rows, r, L_NAME));
    }
    fprintf(stderr, "%d business%s; REQUESTED: number requests pending or ordering, AGENT: the "
            "receptionist's active version\n", PQntuples(rows), PQntuples(rows) == 1 ? "" : "es");
}

int ctl_tenant_list(int argc, char **argv)
{
    struct ctl_target t;
    int status = ctl_parse_target(argc, argv, "tenant list", CTL_TARGET_JSON, &t);
    if (status != CTL_EXIT_OK)
        return status;
    PGconn *conn = connect_ops();
    if (conn == NULL)
        return CTL_EXIT_FAIL;
    char why[1024];
    PGresult *rows = ops_query(conn, list_sql, 0, NULL, why, sizeof why);
    if (rows == NULL)
        status = ctl_fail("cannot list the businesses: %s", why);
    else if (t.is_json)
        status = ctl_print_json(list_json(rows));
    else
        list_table(rows);
    PQclear(rows);
    PQfinish(conn);
    return status;
}

/* ---- tenant show ---- */

struct business_view {
    PGresult *business, *numbers, *requests;    /* owned */
};

static void show_requests(const PGresult *req)
{
    if (PQntuples(req) == 0)
        printf("number requests  none\n");
    for (int r = 0; r < PQntuples(req); r++) {
        const char *status = PQgetvalue(req, r, R_STATUS);
        const char *area = PQgetvalue(req, r, R_AREA), *number = PQgetvalue(req, r, R_NUMBER);
        printf("%-15s  %s  %-8s  area %s  %s  requested %s\n", r == 0 ? "number requests" : "",
               PQgetvalue(req, r, R_ID), status, area[0] ? area : "any",
               number[0] ? number : "-", PQgetvalue(req, r, R_CREATED));
        if (PQgetvalue(req, r, R_ORDER)[0])
            printf("%-15s    Telnyx order %s\n", "", PQgetvalue(req, r, R_ORDER));
        if (strcmp(status, "pending") == 0 || strcmp(status, "ordering") == 0)
            printf("%-15s    tries %s, next %s%s%s\n", "", PQgetvalue(req, r, R_ATTEMPTS),
                   PQgetvalue(req, r, R_NEXT),
                   PQgetvalue(req, r, R_CLAIMED)[0] ? ", claimed by " : "",
                   PQgetvalue(req, r, R_CLAIMED));
        if (PQgetvalue(req, r, R_REASON)[0])
            printf("%-15s    reason: %s\n", "", PQgetvalue(req, r, R_REASON));
        if (PQgetvalue(req, r, R_ERROR)[0])
            printf("%-15s    last error: %s\n", "", PQgetvalue(req, r, R_ERROR));
    }
}

static void show_text(const struct business_view *v)
{
    const PGresult *b = v->business;
    const char *suspended = PQgetvalue(b, 0, B_SUSPENDED);
    const char *fallback = PQgetvalue(b, 0, B_FALLBACK), *agent = PQgetvalue(b, 0, B_AGENT);
    const char *last_call = PQgetvalue(b, 0, B_LAST_CALL);
    printf("%-15s  %s\n", "business", PQgetvalue(b, 0, B_ID));
    printf("%-15s  %s\n", "name", PQgetvalue(b, 0, B_NAME));
    if (suspended[0] && fallback[0])
        printf("%-15s  suspended since %s: calls go to %s\n", "status", suspended, fallback);
    else if (suspended[0])
        printf("%-15s  suspended since %s: callers hear it cannot take calls\n", "status",
               suspended);
    else
        printf("%-15s  active\n", "status");
    printf("%-15s  %s\n", "created", PQgetvalue(b, 0, B_CREATED));
    printf("%-15s  %s\n", "fallback", fallback[0] ? fallback : "none");
    if (agent[0])
        printf("%-15s  version %s active\n", "receptionist", agent);
    else
        printf("%-15s  no active version (calls go to the fallback number)\n", "receptionist");
    printf("%-15s  %s in the last 30 days%s%s\n", "calls", PQgetvalue(b, 0, B_CALLS_30D),
           last_call[0] ? ", last at " : "", last_call);
    for (int r = 0; r < PQntuples(v->numbers); r++)
        printf("%-15s  %s  since %s\n", r == 0 ? "numbers" : "", PQgetvalue(v->numbers, r, 0),
               PQgetvalue(v->numbers, r, 1));
    if (PQntuples(v->numbers) == 0)
        printf("%-15s  none\n", "numbers");
    show_requests(v->requests);
}

static json_t *show_json(const struct business_view *v)
{
    const PGresult *b = v->business, *req = v->requests;
    json_t *numbers = json_array(), *requests = json_array();
    for (int r = 0; r < PQntuples(v->numbers); r++)
        json_array_append_new(numbers, json_pack("{s:s, s:s}",
                                                 "number", PQgetvalue(v->numbers, r, 0),
                                                 "created_at", PQgetvalue(v->numbers, r, 1)));
    for (int r = 0; r < PQntuples(req); r++)
        json_array_append_new(requests, json_pack(
            "{s:s, s:s, s:o, s:o, s:o, s:I, s:s, s:o, s:o, s:s, s:o}",
            "id", PQgetvalue(req, r, R_ID), "status", PQgetvalue(req, r, R_STATUS),
            "area_code", text_or_null(PQgetvalue(req, r, R_AREA)),
            "phone_number", text_or_null(PQgetvalue(req, r, R_NUMBER)),
            "order_id", text_or_null(PQgetvalue(req, r, R_ORDER)),
            "attempts", (json_int_t)atoll(PQgetvalue(req, r, R_ATTEMPTS)),
            "next_attempt_at", PQgetvalue(req, r, R_NEXT),
            "failure_reason", text_or_null(PQgetvalue(req, r, R_REASON)),
            "last_error", text_or_null(PQgetvalue(req, r, R_ERROR)),
            "created_at", PQgetvalue(req, r, R_CREATED),
            "claimed_by", text_or_null(PQgetvalue(req, r, R_CLAIMED))));
    const char *agent = PQgetvalue(b, 0, B_AGENT);
    return json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:o, s:I, s:o, s:o, s:o}",
        "business_id", PQgetvalue(b, 0, B_ID), "name", PQgetvalue(b, 0, B_NAME),
        "status", PQgetvalue(b, 0, B_SUSPENDED)[0] ? "suspended" : "active",
        "suspended_at", text_or_null(PQgetvalue(b, 0, B_SUSPENDED)),
        "fallback_number", text_or_null(PQgetvalue(b, 0, B_FALLBACK)),
        "created_at", PQgetvalue(b, 0, B_CREATED),
        "agent_version", agent[0] ? json_integer(atoll(agent)) : json_null(),
        "calls_last_30_days", (json_int_t)atoll(PQgetvalue(b, 0, B_CALLS_30D)),
        "last_call_at", text_or_null(PQgetvalue(b, 0, B_LAST_CALL)),
        "numbers", numbers, "number_requests", requests);
}

int ctl_tenant_show(int argc, char **argv)
{
    struct ctl_target t;
    int status = ctl_parse_target(argc, argv, "tenant show",
                                  CTL_TARGET_BUSINESS | CTL_TARGET_JSON, &t);
    if (status != CTL_EXIT_OK)
        return status;
    PGconn *conn = connect_ops();
    if (conn == NULL)
        return CTL_EXIT_FAIL;
    char why[1024];
    const char *params[] = {t.id};
    struct business_view v = {0};
    v.business = ops_query(conn, business_sql, 1, params, why, sizeof why);
    if (v.business != NULL && PQntuples(v.business) == 1)
        v.numbers = ops_query(conn, numbers_sql, 1, params, why, sizeof why);
    if (v.numbers != NULL)
        v.requests = ops_query(conn, requests_sql, 1, params, why, sizeof why);
    if (v.business != NULL && PQntuples(v.business) == 0)
        status = ctl_fail("no business %s", t.id);
    else if (v.requests == NULL)
        status = ctl_fail("cannot read business %s: %s", t.id, why);
    else if (t.is_json)
        status = ctl_print_json(show_json(&v));
    else
        show_text(&v);
    PQclear(v.business);
    PQclear(v.numbers);
    PQclear(v.requests);
    PQfinish(conn);
    return status;
}
