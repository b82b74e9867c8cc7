/* ops/ctl/bookings.c: `frontdesk-ctl bookings --business B [--from DATE] [--json]`: the
 * business's bookings from PostgreSQL (schema/0003_bookings.sql) in start order, one
 * aligned line each: start in the business's time zone (from its active agent
 * configuration; UTC when it has none PostgreSQL knows), service, caller name, caller
 * number, status. --from YYYY-MM-DD lists those starting on or after that local date.
 * --json prints an array of objects with UTC instants instead.
 * It runs as frontdesk_app inside B's RLS scope, so it can show B's bookings only. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/civil_date.h"
#include "ctl.h"
#include "store/db.h"
#include "store/tenant_keys.h"

struct bookings_query {
    const char *id;
    const char *from;           /* "YYYY-MM-DD" or NULL */
    PGresult *rows;             /* out, owned: PQclear */
    char zone[64];              /* out: the zone the local columns are in */
};

enum { COL_START, COL_SERVICE, COL_NAME, COL_NUMBER, COL_STATUS, COL_ID, COL_STARTS_AT,
       COL_ENDS_AT, COL_SLOT, COL_CALL, COL_CANCELLED_AT, COL_END_LOCAL, NCOLS };

/* The zone comes from the active configuration, checked against PostgreSQL's own list
 * (an unknown name would abort the transaction), and is set for this transaction only,
 * so to_char() writes local times with their abbreviation. */
static const char select_zone[] =
    "SELECT set_config('TimeZone', coalesce((SELECT z.name FROM pg_timezone_names z "
    "JOIN ai_agents a ON a.config->>'timezone' = z.name WHERE a.business_id = $1 "
    "AND a.is_active LIMIT 1), 'UTC'), true)";

static const char select_bookings[] =
    "SELECT to_char(starts_at, 'YYYY-MM-DD HH24:MI TZ'), service, coalesce(caller_name, ''), "
    "coalesce(caller_number, ''), status, id, "
    "to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
    "to_char(ends_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), slot_index, "
    "coalesce(call_control_id, ''), "
    "coalesce(to_char(cancelled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), ''), "
    "to_char(ends_at, 'HH24:MI') "
    "FROM bookings WHERE business_id = $1 "
    "AND ($2::date IS NULL OR starts_at >= $2::date::timestamp AT TIME ZONE "
    "current_setting('TimeZone')) ORDER BY starts_at, slot_index, id";

static enum app_err fetch_bookings(PGconn *conn, void *arg, char *why, size_t why_len)
{
    struct bookings_query *q = arg;
    const char *params[] = {q->id, q->from};
    PGresult *res = PQexecParams(conn, select_zone, 1, NULL, params, NULL, NULL, 0);
    enum app_err err = db_result_err(conn, res, why, why_len);
    if (err == APP_OK)
        snprintf(q->zone, sizeof q->zone, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    if (err != APP_OK)
        return err;
    q->rows = PQexecParams(conn, select_bookings, 2, NULL, params, NULL, NULL, 0);
    return db_result_err(conn, q->rows, why, why_len);
}

/* Code points in a UTF-8 string, for padding columns by what a terminal shows. */
static size_t text_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void print_cell(const char *s, size_t width, bool is_last)
{
    fputs(s, stdout);
    if (is_last)
        return;
    for (size_t w = text_width(s); w < width + 2; w++)
        putchar(' ');
}

static void print_table(const PGresult *rows, const char *zone)
{
    static const char *const heads[] = {"START", "SERVICE", "CALLER", "NUMBER", "STATUS"};
    size_t width[5];
    int n = PQntuples(rows);
    for (int c = 0; c < 5; c++) {
        width[c] = text_width(heads[c]);
        for (int r = 0; r < n; r++) {
            size_t w = text_width(PQgetvalue(rows, r, c));
            width[c] = w > width[c] ? w : width[c];
        }
    }
    for (int c = 0; c < 5; c++)
        print_cell(heads[c], width[c], c == 4);
    putchar('\n');
    for (int r = 0; r < n; r++) {
        for (int c = 0; c < 5; c++)
            print_cell(PQgetvalue(rows, r, c), width[c], c == 4);
        putchar('\n');
    }
    fprintf(stderr, "%d booking%s; times in %s\n", n, n == 1 ? "" : "s", zone);
}

static int print_json(const PGresult *rows, const char *zone)
{
    json_t *arr = json_array();
    for (int r = 0; r < PQntuples(rows); r++) {
        const char *cancelled = PQgetvalue(rows, r, COL_CANCELLED_AT);
        const char *call = PQgetvalue(rows, r, COL_CALL);
        json_array_append_new(arr, json_pack(
            "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:o, s:s}",
            "id", PQgetvalue(rows, r, COL_ID), "service", PQgetvalue(rows, r, COL_SERVICE),
            "starts_at", PQgetvalue(rows, r, COL_STARTS_AT),
            "ends_at", PQgetvalue(rows, r, COL_ENDS_AT),
            "start_local", PQgetvalue(rows, r, COL_START),
            "caller_name", PQgetvalue(rows, r, COL_NAME),
            "caller_number", PQgetvalue(rows, r, COL_NUMBER),
            "status", PQgetvalue(rows, r, COL_STATUS),
            "slot_index", (json_int_t)atoll(PQgetvalue(rows, r, COL_SLOT)),
            "call_control_id", *call ? json_string(call) : json_null(),
            "cancelled_at", *cancelled ? json_string(cancelled) : json_null(),
            "timezone", zone));
    }
    return ctl_print_json(arr);
}

static bool date_is_valid(const char *s)
{
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return false;
    struct civil_date date = {y, m, d};
    return s[4] == '-' && s[7] == '-' && civil_date_is_valid(&date);
}

int ctl_bookings(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "rebuild") == 0)
        return ctl_bookings_rebuild(argc - 1, argv + 1);
    const char *business = NULL, *from = NULL;
    bool is_json = false;
    for (int i = 1; i < argc;) {
        const char *arg = argv[i], *v = NULL;
        if (strcmp(arg, "--json") == 0) {  /* a flag: ctl_opt would take the next word */
            is_json = true;
            i++;
            continue;
        }
        if (ctl_opt(argc, argv, &i, "--business", &v))
            business = v;
        else if (ctl_opt(argc, argv, &i, "--from", &v))
            from = v;
        else
            return ctl_usage_error("bookings: unknown argument '%s'", arg);
        if (v == NULL)
            return ctl_usage_error("bookings: %s needs a value", arg);
    }
    char id[FD_UUID_LEN + 1];
    if (business == NULL || !uuid_canonical(business, strlen(business), id))
        return ctl_usage_error("bookings: --business needs the business id (a UUID)");
    if (from != NULL && !date_is_valid(from))
        return ctl_usage_error("bookings: --from needs a date, YYYY-MM-DD");
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    char why[1024];
    PGconn *conn = db_connect(cfg.database_url, why, sizeof why);
    if (conn == NULL)
        return ctl_fail("%s", why);
    struct bookings_query q = {.id = id, .from = from};
    enum app_err err = db_with_tenant(conn, id, fetch_bookings, &q, why, sizeof why);
    PQfinish(conn);
    int status;
    if (err != APP_OK)
        status = ctl_fail("cannot read the bookings: %s", why);
    else if (is_json)
        status = print_json(q.rows, q.zone);
    else {
        print_table(q.rows, q.zone);
        status = CTL_EXIT_OK;
    }
    PQclear(q.rows);
    return status;
}
