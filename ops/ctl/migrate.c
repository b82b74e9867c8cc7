/* ops/ctl/migrate.c: `frontdesk-ctl migrate` applies the migrations embedded from
 * schema/ that the database has not recorded, in order, each in its own transaction
 * together with its schema_migrations row, so a failure leaves the database at the
 * last complete version. It runs as the URL's own role (no SET ROLE): creating tables,
 * policies and roles needs the owner. Two migrate runs at once (a Kubernetes Job
 * retried while the first still runs) serialise on an advisory lock. */
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "store/db.h"
#include "store/migrations.h"
#include "core/xalloc.h"

/* Any constant works; this one spells "fdmig" so it is recognisable in pg_locks. */
#define MIGRATE_LOCK_KEY "439754942823"

static const char create_table_sql[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY,"
    " name text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now());"
    "REVOKE ALL ON schema_migrations FROM PUBLIC";

/* "relation already exists, skipping" and friends are not news to an operator. */
static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static int fail_sql(const char *what, const char *why, bool needs_owner)
{
    if (needs_owner)
        return ctl_fail("%s: %s\nmigrate needs FRONTDESK_DATABASE_URL to name the database "
                        "owner (a role that may create tables and roles)", what, why);
    return ctl_fail("%s: %s", what, why);
}

/* Reads the recorded versions into *out (owned, free()); returns their count, or -1
 * with why. */
static int read_applied(PGconn *conn, int **out, char *why, size_t why_len)
{
    PGresult *res = PQexec(conn, "SELECT version FROM schema_migrations ORDER BY version");
    if (db_result_err(conn, res, why, why_len) != APP_OK) {
        PQclear(res);
        return -1;
    }
    int n = PQntuples(res);
    *out = xcalloc((size_t)n + 1, sizeof **out);
    for (int i = 0; i < n; i++)
        (*out)[i] = atoi(PQgetvalue(res, i, 0));
    PQclear(res);
    return n;
}

static enum app_err apply_one(PGconn *conn, void *arg, char *why, size_t why_len)
{
    const struct migration *m = arg;
    int version = 0;
    char name[MIGRATION_NAME_MAX + 1], version_text[16];
    migration_parse_file(m->file, &version, name);      /* checked before */
    enum app_err err = db_exec(conn, m->sql, why, why_len);
    if (err != APP_OK)
        return err;
    snprintf(version_text, sizeof version_text, "%d", version);
    const char *params[] = {version_text, name};
    PGresult *res = PQexecParams(conn, "INSERT INTO schema_migrations (version, name) "
                                 "VALUES ($1, $2)", 2, NULL, params, NULL, NULL, 0);
    err = db_result_err(conn, res, why, why_len);
    PQclear(res);
    return err;
}

static int apply_pending(PGconn *conn, const size_t *pending, size_t npending, int napplied)
{
    char why[1024];
    if (npending == 0) {
        printf("schema is up to date (%d migration%s applied); nothing to do\n", napplied,
               napplied == 1 ? "" : "s");
        return CTL_EXIT_OK;
    }
    for (size_t i = 0; i < npending; i++) {
        const struct migration *m = &schema_migrations[pending[i]];
        if (db_in_transaction(conn, apply_one, (void *)m, why, sizeof why) != APP_OK) {
            bool is_rights = strstr(why, "permission denied") != NULL ||
                             strstr(why, "must be owner") != NULL;
            char what[128];
            snprintf(what, sizeof what, "migration %s failed (rolled back)", m->file);
            return fail_sql(what, why, is_rights);
        }
        printf("applied %s\n", m->file);
    }
    return CTL_EXIT_OK;
}

int ctl_migrate(int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return ctl_usage_error("migrate takes no arguments");
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    char why[1024];
    if (migrations_check(schema_migrations, schema_migration_count, why, sizeof why) != APP_OK)
        return ctl_fail("%s", why);

    PGconn *conn = db_connect_as(cfg.database_url, NULL, why, sizeof why);
    if (conn == NULL)
        return ctl_fail("%s", why);
    PQsetNoticeProcessor(conn, ignore_notice, NULL);
    int rc = CTL_EXIT_FAIL;
    int *applied = NULL;
    size_t *pending = xcalloc(schema_migration_count + 1, sizeof *pending);
    size_t npending = 0;
    if (db_exec(conn, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")", why, sizeof why) != APP_OK) {
        rc = ctl_fail("cannot take the migration lock: %s", why);
        goto out;
    }
    if (db_exec(conn, create_table_sql, why, sizeof why) != APP_OK) {
        rc = fail_sql("cannot create schema_migrations", why, true);
        goto out;
    }
    int napplied = read_applied(conn, &applied, why, sizeof why);
    if (napplied < 0) {
        rc = fail_sql("cannot read schema_migrations", why, strstr(why, "permission") != NULL);
        goto out;
    }
    if (migrations_plan(schema_migrations, schema_migration_count, applied, (size_t)napplied,
                        pending, &npending, why, sizeof why) != APP_OK) {
        rc = ctl_fail("%s", why);
        goto out;
    }
    rc = apply_pending(conn, pending, npending, napplied);
out:
    free(applied);
    free(pending);
    PQfinish(conn);     /* also releases the advisory lock */
    return rc;
}
