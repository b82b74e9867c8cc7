/* bench/web_query_floor.c: the owner API's queries straight on PostgreSQL, the reference
 * bench/run-web-bench.sh sets beside frontdesk-web's answers. It runs the very functions
 * of lib/owner/ that the routes call (calls_list_json, analytics_json), each in its own
 * transaction as frontdesk_app in the business's RLS scope and time zone, as a database
 * thread of frontdesk-web runs them, but without HTTP, the session check or the pools.
 *
 * Usage (FRONTDESK_DATABASE_URL names the database):
 *   web_query_floor cursor BUSINESS KEY ID
 *       prints the cursor of GET /api/v1/calls (no filters) naming the row ID that
 *       started KEY µs after 1970: its next page is the calls before that one
 *   web_query_floor calls BUSINESS SECONDS CONNS [CURSOR]
 *       the first page of calls (50 rows), or the page after CURSOR
 *   web_query_floor analytics BUSINESS SECONDS CONNS FROM TO
 *       the figures of the local days FROM..TO (YYYY-MM-DD)
 * CONNS connections, one thread each, run the query one after another for SECONDS.
 * Prints one line starting with "FLOOR" (counts, p50/p90/p99/max in µs); the first
 * failure goes to stderr. Exit status 1 when anything failed. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latency.h"
#include "owner/analytics.h"
#include "owner/calls_query.h"
#include "owner/owner_list.h"
#include "owner/owner_query.h"
#include "store/db.h"

#define FLOOR_CONNS_MAX 64
#define FLOOR_ZONE_MAX 64

struct floor_query {
    const char *url;
    const char *business;
    char timezone[FLOOR_ZONE_MAX + 1];
    bool is_analytics;
    struct owner_page page;             /* calls */
    struct date_range range;            /* analytics */
    double deadline_s;
};

struct floor_thread {
    const struct floor_query *q;        /* borrowed */
    pthread_t thread;
    struct latency_log latency;
    long errors;
    char why[512];                      /* the first failure */
};

/* The scope web/list_query.c gives the calls list without filters: from, to, outcome
 * and a number, all absent. */
static void calls_page_init(struct owner_page *page, const char *business)
{
    const char *const no_filters[4] = {NULL, NULL, NULL, NULL};
    owner_page_init(page, "calls", business, no_filters, 4);
}

static enum app_err run_query(PGconn *conn, const struct floor_query *q, char *why,
                              size_t why_len)
{
    const char *tenant[] = {q->business, q->timezone};
    json_t *out = NULL;
    enum app_err err = owner_exec(conn, "SELECT set_config('app.business_id', $1, true), "
                                  "set_config('TimeZone', $2, true)", 2, tenant, why, why_len);
    if (err != APP_OK)
        return err;
    if (q->is_analytics) {
        err = analytics_json(conn, q->business, &q->range, &out, why, why_len);
    } else {
        struct calls_filter none = {0};
        err = calls_list_json(conn, &none, &q->page, &out, why, why_len);
    }
    json_decref(out);
    return err;
}

static void *run_thread(void *arg)
{
    struct floor_thread *t = arg;
    PGconn *conn = db_connect(t->q->url, t->why, sizeof t->why);
    if (conn == NULL) {
        t->errors++;
        return NULL;
    }
    char why[512];
    while (latency_now_s() < t->q->deadline_s) {
        double start = latency_now_s();
        enum app_err err = db_exec(conn, "BEGIN", why, sizeof why);
        if (err == APP_OK)
            err = run_query(conn, t->q, why, sizeof why);
        if (err == APP_OK)
            err = db_exec(conn, "COMMIT", why, sizeof why);
        if (err != APP_OK) {
            if (t->errors++ == 0)
                snprintf(t->why, sizeof t->why, "%s", why);
            (void)db_exec(conn, "ROLLBACK", why, sizeof why);
            continue;
        }
        latency_log_add(&t->latency, (latency_now_s() - start) * 1e6);
    }
    PQfinish(conn);
    return NULL;
}

static enum app_err read_timezone(PGconn *conn, void *arg, char *why, size_t why_len)
{
    struct floor_query *q = arg;
    const char *params[] = {q->business};
    PGresult *res = NULL;
    enum app_err err = owner_query(conn, "SELECT timezone FROM businesses WHERE id = $1::uuid",
                                   1, params, &res, why, why_len);
    if (err == APP_OK && !owner_copy_text(q->timezone, sizeof q->timezone, res, 0)) {
        snprintf(why, why_len, "no business %s", q->business);
        err = APP_ENOTFOUND;
    }
    PQclear(res);
    return err;
}

/* Runs q on conns threads until its deadline and prints the FLOOR line; 0 when
 * nothing failed. */
static int measure(const struct floor_query *q, int conns)
{
    static struct floor_thread threads[FLOOR_CONNS_MAX];
    struct latency_log all = {0};
    long errors = 0;
    int started = 0;
    for (; started < conns; started++) {
        threads[started].q = q;
        if (pthread_create(&threads[started].thread, NULL, run_thread, &threads[started]) != 0)
            break;
    }
    for (int i = 0; i < started; i++) {
        pthread_join(threads[i].thread, NULL);
        latency_log_append(&all, &threads[i].latency);
        latency_log_free(&threads[i].latency);
        if (threads[i].errors > 0 && errors == 0)
            fprintf(stderr, "web_query_floor: %s\n", threads[i].why);
        errors += threads[i].errors;
    }
    latency_log_sort(&all);
    printf("FLOOR conns=%d requests=%ld errors=%ld p50_us=%.0f p90_us=%.0f p99_us=%.0f "
           "max_us=%.0f\n", started, all.n, errors, latency_log_percentile(&all, 50),
           latency_log_percentile(&all, 90), latency_log_percentile(&all, 99),
           latency_log_max(&all));
    int rc = errors == 0 && started == conns && all.n > 0 ? 0 : 1;
    latency_log_free(&all);
    return rc;
}

static int print_cursor(const char *business, const char *key, const char *id)
{
    struct owner_page page;
    struct list_position pos = {.key = strtoll(key, NULL, 10)};
    char text[LIST_CURSOR_LEN + 1];
    calls_page_init(&page, business);
    snprintf(pos.id, sizeof pos.id, "%s", id);
    if (!list_cursor_encode(&pos, page.scope, text)) {
        fprintf(stderr, "web_query_floor: %s is not a UUID\n", id);
        return 1;
    }
    printf("%s\n", text);
    return 0;
}

static void print_problem(void *arg, const char *path, const char *message)
{
    (void)arg;
    fprintf(stderr, "web_query_floor: %s %s\n", path, message);
}

/* Reads the arguments after BUSINESS SECONDS CONNS into q; false when they do not fit. */
static bool read_query_args(struct floor_query *q, const char *kind, int argc, char **argv)
{
    static const struct date_range_rules rules = {.is_required = true,
                                                  .max_days = ANALYTICS_DAYS_MAX};
    if (strcmp(kind, "analytics") == 0) {
        q->is_analytics = true;
        return argc == 7 && date_range_parse(argv[5], argv[6], &rules, &q->range,
                                              print_problem, NULL);
    }
    if (strcmp(kind, "calls") != 0 || argc > 6)
        return false;
    calls_page_init(&q->page, q->business);
    if (argc == 6) {
        q->page.has_after = list_cursor_decode(argv[5], q->page.scope, &q->page.after);
        return q->page.has_after;
    }
    return true;
}

static int usage(void)
{
    fprintf(stderr, "usage: web_query_floor cursor BUSINESS KEY ID\n"
                    "       web_query_floor calls BUSINESS SECONDS CONNS [CURSOR]\n"
                    "       web_query_floor analytics BUSINESS SECONDS CONNS FROM TO\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "cursor") == 0)
        return print_cursor(argv[2], argv[3], argv[4]);
    static struct floor_query q;
    q.url = getenv("FRONTDESK_DATABASE_URL");
    q.business = argc > 2 ? argv[2] : "";
    int conns = argc > 4 ? atoi(argv[4]) : 0;
    double seconds = argc > 3 ? atof(argv[3]) : 0;
    if (q.url == NULL || argc < 5 || conns < 1 || conns > FLOOR_CONNS_MAX || seconds <= 0 ||
        !read_query_args(&q, argv[1], argc, argv))
        return usage();
    char why[512];
    PGconn *conn = db_connect(q.url, why, sizeof why);
    if (conn == NULL || db_with_tenant(conn, q.business, read_timezone, &q, why,
                                       sizeof why) != APP_OK) {
        fprintf(stderr, "web_query_floor: %s\n", why);
        PQfinish(conn);
        return 1;
    }
    PQfinish(conn);
    q.deadline_s = latency_now_s() + seconds;
    return measure(&q, conns);
}
