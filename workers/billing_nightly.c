/* workers/billing_nightly.c: the nightly billing reconciliation (billing_jobs.h). Once a
 * minute every worker with billing on asks Redis for today's key (SET NX, UTC date, kept
 * two days); the one that gets it runs stripe_billing_repair_all() (schema/
 * 0011_billing_credits.sql): the jobs missing are created, the usage events sent but not
 * marked are marked, and what needs an operator (a failed job) is logged for
 * `frontdesk-ctl billing reconcile`. A worker that dies mid-run leaves the rest to the
 * next night or to the operator; the run itself is one statement, so it is never half
 * done. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "billing_jobs.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "store/pg_conn.h"
#include "store/redis_conn.h"
#include "store/tenant_keys.h"
#include "worker.h"

#define CHECK_EVERY_MS 60000
#define RUN_TIMEOUT_MS 120000           /* every business's usage events, once a day */
#define REDIS_TIMEOUT_MS 2000
#define KEY_TTL_S "172800"

struct billing_nightly {
    struct worker *w;                   /* borrowed */
    bool is_busy;
    long long next_check_ms;
    unsigned long long differences;
};

static void on_repaired(PGresult *res, enum app_err err, const char *why, void *arg)
{
    struct billing_nightly *n = arg;
    n->is_busy = false;
    if (err != APP_OK) {
        /* unavailable: the connection dropped or the worker is exiting; tomorrow's run,
         * or the operator's, covers it */
        log_msg(err == APP_EUNAVAIL ? LOG_WARN : LOG_ERROR, "nightly billing reconciliation "
                "failed; run frontdesk-ctl billing reconcile --repair", "error", why);
        return;
    }
    long long found = 0, repaired = 0;
    for (int i = 0; i < PQntuples(res); i++) {
        long long f = atoll(PQgetvalue(res, i, 1)), r = atoll(PQgetvalue(res, i, 2));
        found += f;
        repaired += r;
        struct log_line l;
        if (log_begin(&l, LOG_WARN, f > r ? "billing difference left for an operator"
                                           : "billing difference repaired")) {
            log_str(&l, "problem", PQgetvalue(res, i, 0));
            log_int(&l, "found", f);
            log_int(&l, "repaired", r);
            log_end(&l);
        }
    }
    n->differences += (unsigned long long)found;
    struct log_line l;
    if (log_begin(&l, LOG_INFO, "nightly billing reconciliation done")) {
        log_int(&l, "differences", found);
        log_int(&l, "repaired", repaired);
        log_end(&l);
    }
}

static void on_key(const redisReply *reply, enum app_err err, void *arg)
{
    struct billing_nightly *n = arg;
    if (err != APP_OK || reply == NULL || reply->type != REDIS_REPLY_STATUS) {
        n->is_busy = false;             /* another worker's today, or Redis is away */
        return;
    }
    pg_conn_query_long(n->w->pg, "SELECT problem, found, repaired FROM stripe_billing_repair_all()",
                       0, NULL, RUN_TIMEOUT_MS, on_repaired, n);
}

void billing_nightly_tick(struct billing_nightly *n, long long now_ms)
{
    if (n == NULL || n->is_busy || now_ms < n->next_check_ms)
        return;
    n->next_check_ms = now_ms + CHECK_EVERY_MS;
    char key[64];
    time_t now = (time_t)(worker_now_ms() / 1000);
    struct tm day;
    gmtime_r(&now, &day);
    strftime(key, sizeof key, FD_BILLING_RECONCILED_PREFIX "%Y-%m-%d", &day);
    const char *argv[] = {"SET", key, n->w->wcfg.worker_id, "NX", "EX", KEY_TTL_S};
    size_t len[6];
    for (int i = 0; i < 6; i++)
        len[i] = strlen(argv[i]);
    n->is_busy = true;
    redis_conn_command(n->w->redis, REDIS_TIMEOUT_MS, on_key, n, 6, argv, len);
}

struct billing_nightly *billing_nightly_create(struct worker *w)
{
    struct billing_nightly *n = xcalloc(1, sizeof *n);
    n->w = w;
    return n;
}

void billing_nightly_free(struct billing_nightly *n)
{
    free(n);
}

unsigned long long billing_nightly_differences(const struct billing_nightly *n)
{
    return n != NULL ? n->differences : 0;
}
