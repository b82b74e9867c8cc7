/* ops/ctl/tenant_leave.c: a business that leaves. `frontdesk-ctl tenant export --business
 * ID` prints every row PostgreSQL holds of it as JSON lines ({"table": T, "row": {...}}),
 * read in its own RLS scope, so nothing of another business can appear; password hashes
 * and sessions are left out (secrets, of no use elsewhere). `tenant delete --business ID
 * --confirm ID` then removes every row and key of it: its numbers from fd:numbers first
 * (calls stop routing to it; an api's cache may still route one for 10 s), then the
 * business row (every other table follows by ON DELETE CASCADE), then every Redis key
 * under fd:{sNNN}:t:<id>: and its place in the shard's ready and owned sets. A worker
 * holding its lease finds the lease gone at its next fenced step and lets go. Running
 * delete again finishes what a failure left (each step is idempotent). */
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "store/db.h"

/* Every table holding a business's rows, and what of each is exported. A table added
 * by a migration must be added here: tests/integration/test_tenant_leave.py compares
 * this list with the database's. */
static const struct {
    const char *table;
    const char *select;             /* $1: the business id */
} exported[] = {
    {"businesses", "SELECT to_jsonb(t) FROM businesses t WHERE id = $1"},
    {"users", "SELECT to_jsonb(t) - 'password_hash' FROM users t WHERE business_id = $1"},
    {"ai_agents", "SELECT to_jsonb(t) FROM ai_agents t WHERE business_id = $1"},
    {"phone_numbers", "SELECT to_jsonb(t) FROM phone_numbers t WHERE business_id = $1"},
    {"number_requests", "SELECT to_jsonb(t) FROM number_requests t WHERE business_id = $1"},
    {"call_logs", "SELECT to_jsonb(t) FROM call_logs t WHERE business_id = $1"},
    {"call_conversations", "SELECT to_jsonb(t) FROM call_conversations t WHERE business_id = $1"},
    {"conversation_history", "SELECT to_jsonb(t) FROM conversation_history t WHERE business_id = $1"},
    {"bookings", "SELECT to_jsonb(t) FROM bookings t WHERE business_id = $1"},
    {"booking_cancellations", "SELECT to_jsonb(t) FROM booking_cancellations t WHERE business_id = $1"},
    {"usage_events", "SELECT to_jsonb(t) FROM usage_events t WHERE business_id = $1"},
    {"messages", "SELECT to_jsonb(t) FROM messages t WHERE business_id = $1"},
    {"message_handlings", "SELECT to_jsonb(t) FROM message_handlings t WHERE business_id = $1"},
    {"lead_scores", "SELECT to_jsonb(t) FROM lead_scores t WHERE business_id = $1"},
    {"upsell_opportunities", "SELECT to_jsonb(t) FROM upsell_opportunities t WHERE business_id = $1"},
    {"daily_figures", "SELECT to_jsonb(t) FROM daily_figures t WHERE business_id = $1"},
    {"daily_bookings", "SELECT to_jsonb(t) FROM daily_bookings t WHERE business_id = $1"},
    {"sms_messages", "SELECT to_jsonb(t) FROM sms_messages t WHERE business_id = $1"},
    {"sms_status_reports", "SELECT to_jsonb(t) FROM sms_status_reports t WHERE business_id = $1"},
    {"sms_opt_outs", "SELECT to_jsonb(t) FROM sms_opt_outs t WHERE business_id = $1"},
    {"sms_opt_out_lifts", "SELECT to_jsonb(t) FROM sms_opt_out_lifts t WHERE business_id = $1"},
    {"stripe_jobs", "SELECT to_jsonb(t) FROM stripe_jobs t WHERE business_id = $1"},
    {"stripe_events", "SELECT to_jsonb(t) FROM stripe_events t WHERE business_id = $1"},
};

struct export_run {
    const char *id;
    long long rows;                 /* out */
};

static enum app_err export_rows(PGconn *conn, void *arg, char *why, size_t why_len)
{
    struct export_run *x = arg;
    const char *params[] = {x->id};
    for (size_t i = 0; i < sizeof exported / sizeof exported[0]; i++) {
        PGresult *res = PQexecParams(conn, exported[i].select, 1, NULL, params, NULL, NULL, 0);
        enum app_err err = db_result_err(conn, res, why, why_len);
        for (int r = 0; err == APP_OK && r < PQntuples(res); r++, x->rows++)
            printf("{\"table\":\"%s\",\"row\":%s}\n", exported[i].table, PQgetvalue(res, r, 0));
        PQclear(res);
        if (err != APP_OK)
            return err;
    }
    return APP_OK;
}

int ctl_tenant_export(int argc, char **argv)
{
    struct ctl_target t;
    int status = ctl_parse_target(argc, argv, "tenant export", CTL_TARGET_BUSINESS, &t);
    if (status != CTL_EXIT_OK)
        return status;
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    char why[1024];
    PGconn *conn = db_connect(cfg.database_url, why, sizeof why);
    if (conn == NULL)
        return ctl_fail("%s", why);
    struct export_run x = {.id = t.id};
    /* One transaction: the export is one consistent picture of the business. */
    if (db_with_tenant(conn, t.id, export_rows, &x, why, sizeof why) != APP_OK)
        status = ctl_fail("cannot export business %s: %s", t.id, why);
    else if (x.rows == 0)
        status = ctl_fail("no business %s", t.id);
    else
        fprintf(stderr, "exported %lld rows of business %s\n", x.rows, t.id);
    PQfinish(conn);
    return status;
}

/* ---- delete ---- */

static enum app_err delete_business(PGconn *conn, void *arg, char *why, size_t why_len)
{
    const char *params[] = {arg};
    PGresult *res = PQexecParams(conn, "DELETE FROM businesses WHERE id = $1", 1, NULL, params,
                                 NULL, NULL, 0);
    enum app_err err = db_result_err(conn, res, why, why_len);
    PQclear(res);
    return err;
}

/* HDELs each number of fd:numbers that routes to id. */
static bool unroute_numbers(redisContext *rc, const char *id, long long *removed, char *why, size_t why_len)
{
    char cursor[32] = "0";
    do {
        const char *argv[] = {"HSCAN", FD_NUMBERS_KEY, cursor, "COUNT", "1000"};
        redisReply *r = ctl_redis_command(rc, 5, argv, why, why_len);
        if (r == NULL)
            return false;
        snprintf(cursor, sizeof cursor, "%s", r->element[0]->str);
        const redisReply *pairs = r->element[1];
        for (size_t i = 0; i + 1 < pairs->elements; i += 2) {
            if (strcmp(pairs->element[i + 1]->str, id) != 0)
                continue;
            const char *del[] = {"HDEL", FD_NUMBERS_KEY, pairs->element[i]->str};
            redisReply *d = ctl_redis_command(rc, 3, del, why, why_len);
            if (d == NULL) {
                freeReplyObject(r);
                return false;
            }
            *removed += d->integer;
            freeReplyObject(d);
        }
        freeReplyObject(r);
    } while (strcmp(cursor, "0") != 0);
    return true;
}

/* DELs every key under the tenant's prefix, and its members of the shard's sets. */
static bool delete_keys(redisContext *rc, const char *id, unsigned shards, long long *removed,
                        char *why, size_t why_len)
{
    char pattern[FD_KEY_MAX], events[FD_KEY_MAX], cursor[32] = "0";
    tenant_events_key(events, id, shards);
    snprintf(pattern, sizeof pattern, "%.*s*", (int)(strlen(events) - strlen("events")), events);
    do {
        const char *argv[] = {"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"};
        redisReply *r = ctl_redis_command(rc, 6, argv, why, why_len);
        if (r == NULL)
            return false;
        snprintf(cursor, sizeof cursor, "%s", r->element[0]->str);
        for (size_t i = 0; i < r->element[1]->elements; i++) {
            const char *del[] = {"DEL", r->element[1]->element[i]->str};
            redisReply *d = ctl_redis_command(rc, 2, del, why, why_len);
            if (d == NULL) {
                freeReplyObject(r);
                return false;
            }
            *removed += d->integer;
            freeReplyObject(d);
        }
        freeReplyObject(r);
    } while (strcmp(cursor, "0") != 0);
    char ready[FD_KEY_MAX], owned[FD_KEY_MAX], owners[FD_KEY_MAX];
    shard_ready_key(ready, tenant_shard(id, shards));
    int tag_len = (int)(strlen(ready) - strlen("ready"));
    snprintf(owned, sizeof owned, "%.*sowned", tag_len, ready);
    snprintf(owners, sizeof owners, "%.*sowners", tag_len, ready);
    const char *zrem_ready[] = {"ZREM", ready, id}, *zrem_owned[] = {"ZREM", owned, id};
    const char *hdel_owner[] = {"HDEL", owners, id};
    redisReply *a = ctl_redis_command(rc, 3, zrem_ready, why, why_len);
    redisReply *b = a ? ctl_redis_command(rc, 3, zrem_owned, why, why_len) : NULL;
    redisReply *c = b ? ctl_redis_command(rc, 3, hdel_owner, why, why_len) : NULL;
    bool is_ok = a != NULL && b != NULL && c != NULL;
    freeReplyObject(a);
    freeReplyObject(b);
    freeReplyObject(c);
    return is_ok;
}

int ctl_tenant_delete(int argc, char **argv)
{
    const char *confirm = NULL;
    char *rest[8];
    int nrest = 0;
    for (int i = 0; i < argc;) {       /* --confirm is ours; the rest ctl_parse_target's */
        if (i > 0 && ctl_opt(argc, argv, &i, "--confirm", &confirm))
            continue;
        if (nrest == (int)(sizeof rest / sizeof rest[0]))
            return ctl_usage_error("tenant delete: too many arguments");
        rest[nrest++] = argv[i++];
    }
    struct ctl_target t;
    int status = ctl_parse_target(nrest, rest, "tenant delete", CTL_TARGET_BUSINESS, &t);
    if (status != CTL_EXIT_OK)
        return status;
    char confirmed[FD_UUID_LEN + 1];
    if (confirm == NULL || !uuid_canonical(confirm, strlen(confirm), confirmed) ||
        strcmp(confirmed, t.id) != 0)
        return ctl_usage_error("tenant delete: removes every record of the business for good; "
                               "export it first (tenant export), then repeat its id with --confirm");
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    redisContext *rc;
    PGconn *conn;
    if ((status = ctl_connect_for_change(&cfg, "nothing deleted", &rc, &conn)) != CTL_EXIT_OK)
        return status;
    char why[1024];
    long long numbers = 0, keys = 0;
    if (!unroute_numbers(rc, t.id, &numbers, why, sizeof why))
        status = ctl_fail("cannot remove the numbers of %s from fd:numbers: %s; nothing else "
                          "deleted", t.id, why);
    else if (db_with_tenant(conn, t.id, delete_business, t.id, why, sizeof why) != APP_OK)
        status = ctl_fail("cannot delete business %s from PostgreSQL: %s; its numbers no longer "
                          "route, run delete again", t.id, why);
    else if (!delete_keys(rc, t.id, (unsigned)cfg.shards, &keys, why, sizeof why))
        status = ctl_fail("business %s is deleted from PostgreSQL but not all its Redis keys: %s; "
                          "run delete again", t.id, why);
    else
        fprintf(stderr, "deleted business %s: its rows, %lld number route(s), %lld Redis key(s)\n",
                t.id, numbers, keys);
    PQfinish(conn);
    redisFree(rc);
    return status;
}
