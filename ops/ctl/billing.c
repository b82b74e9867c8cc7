/* ops/ctl/billing.c: `frontdesk-ctl billing reconcile|jobs|retry`, the operator's view of
 * what frontdesk owes Stripe (docs/billing.md, "Outbound").
 *
 * reconcile runs stripe_billing_reconcile() (schema/0011_billing_credits.sql) as
 * frontdesk_ops: every business's bookings against its meter jobs and what they reported,
 * one line per difference; --repair creates the missing jobs and marks what was sent.
 * jobs lists stripe_jobs (read as frontdesk_ops). retry gives a failed job a new
 * Idempotency-Key (its key with -r<n>) and makes it due now: Stripe stored the refusal
 * under the old key, so only a new one is sent anew; it is written as frontdesk_app under
 * the job's own tenant. */
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "store/db.h"

#define UTC_TEXT(col) "coalesce(to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '')"

static const char reconcile_sql[] =
    "SELECT business_id::text, kind, coalesce(booking_id::text, ''), problem, repaired "
    "FROM stripe_billing_reconcile($1::uuid, $2::boolean)";

static const char jobs_sql[] =
    "SELECT id::text, business_id::text, kind, coalesce(booking_id::text, ''), status, "
    "attempts, idempotency_key, coalesce(result_id, ''), " UTC_TEXT("next_attempt_at") ", "
    "coalesce(last_error, ''), " UTC_TEXT("created_at") " "
    "FROM stripe_jobs WHERE ($1::uuid IS NULL OR business_id = $1::uuid) "
    "AND ($2::text IS NULL OR status = $2) ORDER BY created_at DESC, id LIMIT $3::integer";
enum { J_ID, J_BUSINESS, J_KIND, J_BOOKING, J_STATUS, J_ATTEMPTS, J_KEY, J_RESULT, J_NEXT,
       J_ERROR, J_CREATED, J_NCOLS };

static const char job_business_sql[] =
    "SELECT business_id::text, status FROM stripe_jobs WHERE id = $1::uuid";

/* The base key (signup-<id>, meter-<id>, credit-<id>) with the next -r<n>. */
static const char retry_sql[] =
    "UPDATE stripe_jobs SET idempotency_key = regexp_replace(idempotency_key, '-r[0-9]+$', '') "
    "|| '-r' || (coalesce(substring(idempotency_key FROM '-r([0-9]+)$')::integer, 0) + 1), "
    "status = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL, "
    "claimed_by = NULL, lease_until = NULL, updated_at = now() "
    "WHERE id = $1::uuid AND status = 'failed' RETURNING idempotency_key";

static PGconn *connect_ops(char *why, size_t why_len)
{
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    return db_connect_ops(cfg.database_url, why, why_len);
}

static PGresult *query(PGconn *conn, const char *sql, int n, const char *const *params, char *why,
                       size_t why_len)
{
    PGresult *res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
    if (db_result_err(conn, res, why, why_len) != APP_OK) {
        PQclear(res);
        return NULL;
    }
    return res;
}

/* --business ID into id (canonical); false (usage printed into *status) when malformed. */
static bool read_business(const char *v, const char *what, char id[FD_UUID_LEN + 1], int *status)
{
    if (v == NULL || !uuid_canonical(v, strlen(v), id)) {
        *status = ctl_usage_error("%s: --business needs the business id (a UUID)", what);
        return false;
    }
    return true;
}

/* ---- reconcile ---- */

static int print_differences(PGresult *res, bool is_json, bool is_repair)
{
    int n = PQntuples(res), left = 0;
    json_t *list = is_json ? json_array() : NULL;
    for (int i = 0; i < n; i++) {
        bool is_repaired = strcmp(PQgetvalue(res, i, 4), "t") == 0;
        left += !is_repaired;
        if (is_json) {
            json_t *o = json_pack("{s:s, s:s, s:s?, s:s, s:b}", "business_id", PQgetvalue(res, i, 0),
                                  "kind", PQgetvalue(res, i, 1), "booking_id",
                                  PQgetvalue(res, i, 2)[0] ? PQgetvalue(res, i, 2) : NULL,
                                  "problem", PQgetvalue(res, i, 3), "repaired", is_repaired);
            json_array_append_new(list, o);
        } else {
            printf("%s\t%s\t%s\t%s%s\n", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
                   PQgetvalue(res, i, 2)[0] ? PQgetvalue(res, i, 2) : "-", PQgetvalue(res, i, 3),
                   is_repaired ? "\t(repaired)" : "");
        }
    }
    if (is_json && ctl_print_json(list) != CTL_EXIT_OK)
        return CTL_EXIT_FAIL;
    if (n == 0)
        fprintf(stderr, "billing agrees with the bookings: no difference\n");
    else if (left == 0)
        fprintf(stderr, "%d difference(s), all repaired\n", n);
    else
        fprintf(stderr, "%d difference(s), %d left%s\n", n, left,
                is_repair ? " for an operator (frontdesk-ctl billing retry for a failed job)"
                          : "; --repair fixes what it can");
    return left == 0 ? CTL_EXIT_OK : CTL_EXIT_FAIL;
}

static int billing_reconcile(int argc, char **argv)
{
    const char *business = NULL;
    bool is_repair = false, is_json = false;
    char id[FD_UUID_LEN + 1];
    int status = CTL_EXIT_OK;
    for (int i = 1; i < argc;) {
        const char *v = NULL;
        if (strcmp(argv[i], "--repair") == 0) {
            is_repair = true;
            i++;
        } else if (strcmp(argv[i], "--json") == 0) {
            is_json = true;
            i++;
        } else if (ctl_opt(argc, argv, &i, "--business", &v)) {
            if (!read_business(v, "billing reconcile", id, &status))
                return status;
            business = id;
        } else {
            return ctl_usage_error("billing reconcile: unknown argument '%s'", argv[i]);
        }
    }
    char why[1024];
    PGconn *conn = connect_ops(why, sizeof why);
    if (conn == NULL)
        return ctl_fail("%s", why);
    const char *params[] = {business, is_repair ? "true" : "false"};
    PGresult *res = query(conn, reconcile_sql, 2, params, why, sizeof why);
    if (res == NULL)
        status = ctl_fail("cannot reconcile billing: %s", why);
    else
        status = print_differences(res, is_json, is_repair);
    PQclear(res);
    PQfinish(conn);
    return status;
}

/* ---- jobs ---- */

static void print_jobs_table(const PGresult *res)
{
    printf("%-36s  %-36s  %-8s  %-7s  %8s  %-20s  %s\n", "JOB", "BUSINESS", "KIND", "STATUS",
           "ATTEMPTS", "NEXT ATTEMPT", "RESULT / LAST ERROR");
    for (int i = 0; i < PQntuples(res); i++) {
        const char *result = PQgetvalue(res, i, J_RESULT);
        const char *error = PQgetvalue(res, i, J_ERROR);
        printf("%-36s  %-36s  %-8s  %-7s  %8s  %-20s  %s%s%s\n", PQgetvalue(res, i, J_ID),
               PQgetvalue(res, i, J_BUSINESS), PQgetvalue(res, i, J_KIND),
               PQgetvalue(res, i, J_STATUS), PQgetvalue(res, i, J_ATTEMPTS),
               strcmp(PQgetvalue(res, i, J_STATUS), "pending") == 0 ? PQgetvalue(res, i, J_NEXT)
                                                                     : "-",
               result, result[0] && error[0] ? " / " : "", error);
    }
}

static int print_jobs_json(const PGresult *res)
{
    static const char *const names[J_NCOLS] = {
        "id", "business_id", "kind", "booking_id", "status", "attempts", "idempotency_key",
        "result_id", "next_attempt_at", "last_error", "created_at",
    };
    json_t *list = json_array();
    for (int i = 0; i < PQntuples(res); i++) {
        json_t *o = json_object();
        for (int c = 0; c < J_NCOLS; c++) {
            const char *v = PQgetvalue(res, i, c);
            json_object_set_new(o, names[c], c == J_ATTEMPTS ? json_integer(atoll(v))
                                             : v[0] ? json_string(v) : json_null());
        }
        json_array_append_new(list, o);
    }
    return ctl_print_json(list);
}

static int billing_jobs(int argc, char **argv)
{
    const char *business = NULL, *status_filter = NULL, *limit = "100";
    bool is_json = false;
    char id[FD_UUID_LEN + 1];
    int status = CTL_EXIT_OK;
    for (int i = 1; i < argc;) {
        const char *v = NULL;
        if (strcmp(argv[i], "--json") == 0) {
            is_json = true;
            i++;
        } else if (ctl_opt(argc, argv, &i, "--business", &v)) {
            if (!read_business(v, "billing jobs", id, &status))
                return status;
            business = id;
        } else if (ctl_opt(argc, argv, &i, "--status", &v)) {
            if (v == NULL || (strcmp(v, "pending") && strcmp(v, "done") && strcmp(v, "failed")))
                return ctl_usage_error("billing jobs: --status is pending, done or failed");
            status_filter = v;
        } else if (ctl_opt(argc, argv, &i, "--limit", &v)) {
            if (v == NULL || atoi(v) < 1 || atoi(v) > 100000)
                return ctl_usage_error("billing jobs: --limit is 1 to 100000");
            limit = v;
        } else {
            return ctl_usage_error("billing jobs: unknown argument '%s'", argv[i]);
        }
    }
    char why[1024];
    PGconn *conn = connect_ops(why, sizeof why);
    if (conn == NULL)
        return ctl_fail("%s", why);
    const char *params[] = {business, status_filter, limit};
    PGresult *res = query(conn, jobs_sql, 3, params, why, sizeof why);
    if (res == NULL) {
        status = ctl_fail("cannot list the Stripe jobs: %s", why);
    } else if (is_json) {
        status = print_jobs_json(res);
    } else {
        print_jobs_table(res);
        status = CTL_EXIT_OK;
    }
    PQclear(res);
    PQfinish(conn);
    return status;
}

/* ---- retry ---- */

struct retry {
    const char *job_id;
    char key[300];                  /* out: the new key; "" when the job was not failed */
};

static enum app_err rekey(PGconn *conn, void *arg, char *why, size_t why_len)
{
    struct retry *r = arg;
    const char *params[] = {r->job_id};
    PGresult *res = PQexecParams(conn, retry_sql, 1, NULL, params, NULL, NULL, 0);
    enum app_err err = db_result_err(conn, res, why, why_len);
    if (err == APP_OK && PQntuples(res) == 1)
        snprintf(r->key, sizeof r->key, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return err;
}

static int billing_retry(int argc, char **argv)
{
    const char *job = NULL;
    for (int i = 1; i < argc;) {
        const char *v = NULL;
        if (ctl_opt(argc, argv, &i, "--job", &v))
            job = v;
        else if (argv[i][0] != '-' && job == NULL)
            job = argv[i++];
        else
            return ctl_usage_error("billing retry: unknown argument '%s'", argv[i]);
    }
    char id[FD_UUID_LEN + 1];
    if (job == NULL || !uuid_canonical(job, strlen(job), id))
        return ctl_usage_error("billing retry: give the job's id (a UUID; see billing jobs)");
    char why[1024];
    PGconn *ops = connect_ops(why, sizeof why);
    if (ops == NULL)
        return ctl_fail("%s", why);
    const char *params[] = {id};
    PGresult *res = query(ops, job_business_sql, 1, params, why, sizeof why);
    PQfinish(ops);
    if (res == NULL)
        return ctl_fail("cannot read job %s: %s", id, why);
    int status = CTL_EXIT_FAIL;
    if (PQntuples(res) == 0) {
        ctl_fail("no Stripe job %s", id);
    } else if (strcmp(PQgetvalue(res, 0, 1), "failed") != 0) {
        ctl_fail("job %s is %s, not failed: only a failed job is retried with a new key", id,
                 PQgetvalue(res, 0, 1));
    } else {
        struct fd_config cfg;
        config_load_or_exit(&cfg, 0);
        PGconn *conn = db_connect(cfg.database_url, why, sizeof why);
        struct retry r = {.job_id = id};
        enum app_err err = conn == NULL ? APP_EUNAVAIL
                                        : db_with_tenant(conn, PQgetvalue(res, 0, 0), rekey, &r,
                                                         why, sizeof why);
        if (err != APP_OK)
            ctl_fail("cannot retry job %s: %s; nothing changed", id, why);
        else if (r.key[0] == '\0')
            ctl_fail("job %s is no longer failed; nothing changed", id);
        else {
            fprintf(stderr, "job %s is due now with the new Idempotency-Key %s\n", id, r.key);
            status = CTL_EXIT_OK;
        }
        PQfinish(conn);
    }
    PQclear(res);
    return status;
}

int ctl_billing(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "reconcile") == 0)
        return billing_reconcile(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "jobs") == 0)
        return billing_jobs(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "retry") == 0)
        return billing_retry(argc - 1, argv + 1);
    return ctl_usage_error("billing: expected reconcile, jobs or retry");
}
