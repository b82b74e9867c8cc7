/* workers/retention_daily.c: the daily retention run (retention_daily.h). Once a minute
 * every worker with retention on asks Redis for today's key (SET NX, the UTC date of the
 * wall clock, kept two days), so one worker a day runs it whatever their number; that one
 * calls retention_delete() (schema/0014_retention.sql) a batch at a time, each its own
 * transaction, until no table has a whole batch left, and logs the rows deleted. The
 * limit is computed by PostgreSQL from its own clock, never the receptionist's. A worker
 * that stops mid-run leaves the rest to tomorrow's run or to `frontdesk-ctl retention
 * run`: every batch it finished is committed, and the next run starts with the oldest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "retention_daily.h"
#include "store/pg_conn.h"
#include "store/redis_conn.h"
#include "store/tenant_keys.h"
#include "worker.h"

#define CHECK_EVERY_MS 60000
#define BATCH_TIMEOUT_MS 60000
#define REDIS_TIMEOUT_MS 2000
#define KEY_TTL_S "172800"
#define BATCH_ROWS 5000
#define BATCH_ROWS_TEXT "5000"

static const char delete_sql[] =
    "SELECT what, rows FROM retention_delete($1::integer, $2::integer, false)";

struct retention_daily {
    struct worker *w;                   /* borrowed */
    bool is_busy;
    bool is_stopping;
    long long next_check_ms;
    long long deleted;                  /* rows deleted by this day's run so far */
    int batches;
};

static void run_batch(struct retention_daily *r);

static void on_batch(PGresult *res, enum app_err err, const char *why, void *arg)
{
    struct retention_daily *r = arg;
    if (err != APP_OK) {
        r->is_busy = false;
        log_msg(err == APP_EUNAVAIL ? LOG_WARN : LOG_ERROR, "retention run stopped; what it "
                "deleted stays deleted, run frontdesk-ctl retention run for the rest",
                "error", why);
        return;
    }
    bool is_more = false;
    for (int i = 0; i < PQntuples(res); i++) {
        long long n = atoll(PQgetvalue(res, i, 1));
        r->deleted += n;
        is_more = is_more || n >= BATCH_ROWS;
    }
    r->batches++;
    if (is_more && !r->is_stopping) {
        run_batch(r);
        return;
    }
    r->is_busy = false;
    struct log_line l;
    if (log_begin(&l, LOG_INFO, "retention run done")) {
        log_int(&l, "days", r->w->wcfg.retention_days);
        log_int(&l, "deleted", r->deleted);
        log_int(&l, "batches", r->batches);
        log_end(&l);
    }
}

static void run_batch(struct retention_daily *r)
{
    char days[16];
    snprintf(days, sizeof days, "%d", r->w->wcfg.retention_days);
    const char *params[] = {days, BATCH_ROWS_TEXT};
    pg_conn_query_long(r->w->pg, delete_sql, 2, params, BATCH_TIMEOUT_MS, on_batch, r);
}

static void on_key(const redisReply *reply, enum app_err err, void *arg)
{
    struct retention_daily *r = arg;
    if (err != APP_OK || reply == NULL || reply->type != REDIS_REPLY_STATUS || r->is_stopping) {
        r->is_busy = false;             /* another worker's today, or Redis is away */
        return;
    }
    r->deleted = 0;
    r->batches = 0;
    run_batch(r);
}

void retention_daily_tick(struct retention_daily *r, long long now_ms)
{
    /* without PostgreSQL the day's key would be taken for a run that cannot happen */
    if (r == NULL || r->is_busy || r->is_stopping || now_ms < r->next_check_ms ||
        !pg_conn_is_ready(r->w->pg))
        return;
    r->next_check_ms = now_ms + CHECK_EVERY_MS;
    char key[64];
    time_t now = (time_t)(worker_now_ms() / 1000);
    struct tm day;
    gmtime_r(&now, &day);
    strftime(key, sizeof key, FD_RETENTION_RAN_PREFIX "%Y-%m-%d", &day);
    const char *argv[] = {"SET", key, r->w->wcfg.worker_id, "NX", "EX", KEY_TTL_S};
    size_t len[6];
    for (int i = 0; i < 6; i++)
        len[i] = strlen(argv[i]);
    r->is_busy = true;
    redis_conn_command(r->w->redis, REDIS_TIMEOUT_MS, on_key, r, 6, argv, len);
}

struct retention_daily *retention_daily_create(struct worker *w)
{
    if (w->wcfg.retention_days == 0)
        return NULL;
    struct retention_daily *r = xcalloc(1, sizeof *r);
    r->w = w;
    return r;
}

void retention_daily_stop(struct retention_daily *r)
{
    if (r != NULL)
        r->is_stopping = true;
}

void retention_daily_free(struct retention_daily *r)
{
    free(r);
}
