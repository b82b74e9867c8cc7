/* ops/ctl/retention.c: `frontdesk-ctl retention run [--days N] [--dry-run] [--json]`:
 * deletes every business's transcripts and texts older than N days (default
 * FRONTDESK_RETENTION_DAYS, else 365) through retention_delete() (schema/
 * 0014_retention.sql) as frontdesk_ops, a batch at a time until none is left, and prints
 * how many rows of each table went; --dry-run counts what would go and deletes nothing.
 * Days 0 keeps everything: nothing is asked of PostgreSQL. The worker runs the same thing
 * once a day (workers/retention_daily.c). */
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "store/db.h"

#define BATCH_ROWS "5000"
#define BATCH_ROWS_N 5000
#define TABLES 3                        /* the rows retention_delete() answers */

static const char delete_sql[] =
    "SELECT what, rows FROM retention_delete($1::integer, $2::integer, $3::boolean)";

struct retention_counts {
    long long rows[TABLES];             /* by table_names' order */
};

static const char *const table_names[TABLES] = {"conversation_history", "sms_messages",
                                                "sms_status_reports"};

/* Adds one call's answer into c; *is_more says a table had a whole batch. */
static bool add_counts(const PGresult *res, struct retention_counts *c, bool *is_more)
{
    *is_more = false;
    for (int r = 0; r < PQntuples(res); r++) {
        const char *what = PQgetvalue(res, r, 0);
        long long n = atoll(PQgetvalue(res, r, 1));
        int t = 0;
        while (t < TABLES && strcmp(table_names[t], what) != 0)
            t++;
        if (t == TABLES)
            return false;
        c->rows[t] += n;
        *is_more = *is_more || n >= BATCH_ROWS_N;
    }
    return true;
}

static int run(PGconn *conn, int days, bool is_dry_run, struct retention_counts *c)
{
    char days_text[16];
    snprintf(days_text, sizeof days_text, "%d", days);
    const char *params[] = {days_text, BATCH_ROWS, is_dry_run ? "true" : "false"};
    for (;;) {
        PGresult *res = PQexecParams(conn, delete_sql, 3, NULL, params, NULL, NULL, 0);
        char why[1024];
        if (db_result_err(conn, res, why, sizeof why) != APP_OK) {
            PQclear(res);
            return ctl_fail("retention: %s (what was deleted before stays deleted)", why);
        }
        bool is_more = false;
        bool is_known = add_counts(res, c, &is_more);
        PQclear(res);
        if (!is_known)
            return ctl_fail("retention: PostgreSQL answered a table this binary does not know; "
                            "is frontdesk-ctl older than the schema?");
        if (is_dry_run || !is_more)
            return CTL_EXIT_OK;
    }
}

static int print_counts(const struct retention_counts *c, int days, bool is_dry_run,
                        bool is_json)
{
    if (is_json) {
        json_t *tables = json_object();
        for (int t = 0; t < TABLES; t++)
            json_object_set_new(tables, table_names[t], json_integer(c->rows[t]));
        return ctl_print_json(json_pack("{s:i, s:b, s:o}", "days", days, "dry_run", is_dry_run,
                                        is_dry_run ? "would_delete" : "deleted", tables));
    }
    for (int t = 0; t < TABLES; t++)
        printf("%s\t%lld\n", table_names[t], c->rows[t]);
    if (days == 0)
        fprintf(stderr, "retention is 0 days: everything is kept\n");
    else
        fprintf(stderr, "%s rows older than %d day%s\n", is_dry_run ? "would delete" : "deleted",
                days, days == 1 ? "" : "s");
    return CTL_EXIT_OK;
}

static int retention_run(int argc, char **argv)
{
    const char *days_arg = NULL;
    bool is_dry_run = false, is_json = false;
    for (int i = 1; i < argc;) {
        const char *arg = argv[i], *v = NULL;
        if (strcmp(arg, "--dry-run") == 0 || strcmp(arg, "--json") == 0) {
            if (strcmp(arg, "--json") == 0)
                is_json = true;
            else
                is_dry_run = true;
            i++;
            continue;
        }
        if (!ctl_opt(argc, argv, &i, "--days", &v))
            return ctl_usage_error("retention run: unknown argument '%s'", arg);
        if (v == NULL)
            return ctl_usage_error("retention run: --days needs a value");
        days_arg = v;
    }
    int days = 0;
    if (days_arg != NULL) {
        if (!config_parse_int(days_arg, 0, 36500, &days))
            return ctl_usage_error("retention run: --days needs a whole number from 0 to 36500");
    } else if (!config_parse_int(config_env_or("FRONTDESK_RETENTION_DAYS", "365"), 0, 36500,
                                 &days)) {
        fprintf(stderr, "configuration error: FRONTDESK_RETENTION_DAYS: expected a whole number "
                        "from 0 to 36500\n");
        return CTL_EXIT_USAGE;
    }
    struct retention_counts counts = {{0}};
    if (days > 0) {
        struct fd_config cfg;
        config_load_or_exit(&cfg, 0);
        char why[1024];
        PGconn *conn = db_connect_ops(cfg.database_url, why, sizeof why);
        if (conn == NULL)
            return ctl_fail("%s", why);
        int status = run(conn, days, is_dry_run, &counts);
        PQfinish(conn);
        if (status != CTL_EXIT_OK)
            return status;
    }
    return print_counts(&counts, days, is_dry_run, is_json);
}

int ctl_retention(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "run") == 0)
        return retention_run(argc - 1, argv + 1);
    return ctl_usage_error("retention: expected 'run'");
}
