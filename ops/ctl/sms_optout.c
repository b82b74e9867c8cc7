/* ops/ctl/sms_optout.c: `frontdesk-ctl optout add|lift|list --business ID [--number E164]`,
 * for the opt-outs that reach a business some other way than a text: a caller who asks
 * on the phone, by letter, or through the business's staff never to be texted again,
 * and an operator lifting one at the caller's written request.
 *
 * The durable record comes first (sms_opt_outs with how 'operator', or its
 * sms_opt_out_lifts row, written as frontdesk_app under the business's own RLS scope),
 * then the opt-out the workers check at send time (fd:{sNNN}:t:B:sms_optout, read by
 * lua/sms_take.lua before every caller's text). Both steps are idempotent: after a Redis
 * failure the same command run again finishes the job. A number that opted out by
 * STOP is already out: add changes nothing and says so. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/det_uuid.h"
#include "ctl.h"
#include "store/db.h"
#include "store/lua_args.h"
#include "store/lua_scripts.h"
#include "store/tenant_keys.h"

#define UTC_TEXT(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

struct optout_change {
    const char *business, *number;
    char id[37];                    /* in: a new opt-out's id (add); out: the opt-out's */
    long long at_ms;                /* out: when it began (add) */
    bool is_business_found, is_new, is_found;
};

static long long wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static PGresult *run(PGconn *conn, const char *sql, int n, const char *const *params, char *why,
                    size_t why_len, enum app_err *err)
{
    PGresult *res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
    *err = db_result_err(conn, res, why, why_len);
    if (*err == APP_OK)
        return res;
    PQclear(res);
    return NULL;
}

/* The number's opt-out still in force, or a new one by the operator. */
static enum app_err record_opt_out(PGconn *conn, void *arg, char *why, size_t why_len)
{
    struct optout_change *c = arg;
    static const char business_sql[] = "SELECT 1 FROM businesses WHERE id = $1::uuid";
    static const char standing_sql[] =
        "SELECT id::text, (extract(epoch FROM opted_out_at) * 1000)::bigint FROM sms_opt_outs "
        "WHERE business_id = $1::uuid AND number = $2 AND lifted_at IS NULL "
        "ORDER BY opted_out_at DESC LIMIT 1";
    static const char insert_sql[] =
        "INSERT INTO sms_opt_outs (id, business_id, number, how, opted_out_at) "
        "VALUES ($3::uuid, $1::uuid, $2, 'operator', now()) "
        "RETURNING id::text, (extract(epoch FROM opted_out_at) * 1000)::bigint";
    const char *params[] = {c->business, c->number, c->id};
    enum app_err err;
    PGresult *res = run(conn, business_sql, 1, params, why, why_len, &err);
    if (res == NULL)
        return err;
    c->is_business_found = PQntuples(res) == 1;
    PQclear(res);
    if (!c->is_business_found)
        return APP_OK;
    if ((res = run(conn, standing_sql, 2, params, why, why_len, &err)) == NULL)
        return err;
    c->is_new = PQntuples(res) == 0;
    if (c->is_new) {
        PQclear(res);
        if ((res = run(conn, insert_sql, 3, params, why, why_len, &err)) == NULL)
            return err;
    }
    c->is_found = true;
    snprintf(c->id, sizeof c->id, "%s", PQgetvalue(res, 0, 0));
    c->at_ms = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
    PQclear(res);
    return APP_OK;
}

/* The lift of opt-out c->id (idempotent by its id: one lift per opt-out). */
static enum app_err record_lift(PGconn *conn, void *arg, char *why, size_t why_len)
{
    struct optout_change *c = arg;
    char lift_id[37];
    det_uuid2(lift_id, "sms_opt_out_lifts", c->business, c->id);
    static const char sql[] =
        "INSERT INTO sms_opt_out_lifts (id, business_id, opt_out_id, how, lifted_at) "
        "VALUES ($1::uuid, $2::uuid, $3::uuid, 'operator', now()) ON CONFLICT (id) DO NOTHING";
    const char *params[] = {lift_id, c->business, c->id};
    PGresult *res = PQexecParams(conn, sql, 3, NULL, params, NULL, NULL, 0);
    enum app_err err = db_result_err(conn, res, why, why_len);
    PQclear(res);
    return err;
}

/* The standing opt-out's id in PostgreSQL, for a lift when Redis has none. */
static enum app_err find_standing(PGconn *conn, void *arg, char *why, size_t why_len)
{
    struct optout_change *c = arg;
    static const char sql[] =
        "SELECT id::text FROM sms_opt_outs WHERE business_id = $1::uuid AND number = $2 "
        "AND lifted_at IS NULL ORDER BY opted_out_at DESC LIMIT 1";
    const char *params[] = {c->business, c->number};
    PGresult *res = PQexecParams(conn, sql, 2, NULL, params, NULL, NULL, 0);
    enum app_err err = db_result_err(conn, res, why, why_len);
    if (err == APP_OK && PQntuples(res) == 1) {
        c->is_found = true;
        snprintf(c->id, sizeof c->id, "%s", PQgetvalue(res, 0, 0));
    }
    PQclear(res);
    return err;
}

static int add(redisContext *rc, PGconn *conn, const char *key, struct optout_change *c)
{
    char why[1024], at[24], value[80];
    snprintf(at, sizeof at, "operator %lld", wall_ms());
    const char *parts[] = {c->business, c->number, at};
    det_uuid(c->id, "sms_opt_outs", 3, parts);
    if (db_with_tenant(conn, c->business, record_opt_out, c, why, sizeof why) != APP_OK)
        return ctl_fail("cannot record the opt-out: %s; nothing changed", why);
    if (!c->is_business_found)
        return ctl_fail("no business %s", c->business);
    snprintf(value, sizeof value, "%s %lld", c->id, c->at_ms);
    const char *argv[] = {"HSETNX", key, c->number, value};
    redisReply *r = ctl_redis_command(rc, 4, argv, why, sizeof why);
    if (r == NULL)
        return ctl_fail("the opt-out %s is recorded, but the workers cannot see it yet: %s\n"
                        "run the same command again", c->id, why);
    freeReplyObject(r);
    printf("%s %s opted out of business %s's texts%s\n", c->number, c->is_new ? "is" : "was already",
           c->business, c->is_new ? "" : " (nothing changed)");
    return CTL_EXIT_OK;
}

static int lift(redisContext *rc, PGconn *conn, const char *key, struct optout_change *c)
{
    char why[1024], value[128] = "";
    const char *get[] = {"HGET", key, c->number};
    redisReply *r = ctl_redis_command(rc, 3, get, why, sizeof why);
    if (r == NULL)
        return ctl_fail("cannot read the opt-outs: %s; nothing changed", why);
    if (r->type == REDIS_REPLY_STRING) {
        snprintf(value, sizeof value, "%s", r->str);
        c->is_found = sscanf(value, "%36s", c->id) == 1 && uuid_is_valid(c->id, strlen(c->id));
    }
    freeReplyObject(r);
    if (!c->is_found && db_with_tenant(conn, c->business, find_standing, c, why, sizeof why) != APP_OK)
        return ctl_fail("cannot read the opt-outs: %s; nothing changed", why);
    if (!c->is_found) {
        printf("%s is not opted out of business %s's texts (nothing changed)\n", c->number, c->business);
        return CTL_EXIT_OK;
    }
    if (db_with_tenant(conn, c->business, record_lift, c, why, sizeof why) != APP_OK)
        return ctl_fail("cannot record the lift: %s; nothing changed", why);
    if (value[0] != '\0') {
        struct lua_args a;
        lua_args_init(&a);
        lua_args_key(&a, key);
        lua_args_arg(&a, c->number);
        lua_args_arg(&a, value);
        const char **argv;
        int argc = lua_args_command(&a, lua_script_find("sms_optout_lift"), false, &argv, NULL);
        r = ctl_redis_command(rc, argc, argv, why, sizeof why);
        if (r == NULL)
            return ctl_fail("the lift is recorded, but the workers still see the opt-out: %s\n"
                            "run the same command again", why);
        bool is_lifted = r->type == REDIS_REPLY_INTEGER && r->integer == 1;
        freeReplyObject(r);
        if (!is_lifted)
            return ctl_fail("%s texted STOP again meanwhile: that opt-out stands", c->number);
    }
    printf("%s may be texted by business %s again\n", c->number, c->business);
    return CTL_EXIT_OK;
}

static const char list_sql[] =
    "SELECT number, how, coalesce(keyword, ''), " UTC_TEXT("opted_out_at") ", "
    "coalesce(" UTC_TEXT("lifted_at") ", ''), coalesce(lifted_how, '') FROM sms_opt_outs "
    "WHERE business_id = $1::uuid ORDER BY opted_out_at DESC, number";

static enum app_err print_list(PGconn *conn, void *arg, char *why, size_t why_len)
{
    const struct ctl_target *t = arg;
    const char *params[] = {t->id};
    PGresult *res = PQexecParams(conn, list_sql, 1, NULL, params, NULL, NULL, 0);
    enum app_err err = db_result_err(conn, res, why, why_len);
    if (err == APP_OK) {
        json_t *rows = json_array();
        for (int i = 0; i < PQntuples(res); i++) {
            if (t->is_json) {
                json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}",
                    "number", PQgetvalue(res, i, 0), "how", PQgetvalue(res, i, 1),
                    "keyword", PQgetvalue(res, i, 2), "opted_out_at", PQgetvalue(res, i, 3),
                    "lifted_at", PQgetvalue(res, i, 4), "lifted_how", PQgetvalue(res, i, 5)));
            } else {
                const char *lifted = PQgetvalue(res, i, 4);
                printf("%-16s %-8s %-12s %s", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
                       PQgetvalue(res, i, 2), PQgetvalue(res, i, 3));
                if (lifted[0] != '\0')
                    printf("  lifted %s (%s)", lifted, PQgetvalue(res, i, 5));
                printf("\n");
            }
        }
        if (t->is_json)
            ctl_print_json(rows);
        else
            json_decref(rows);
    }
    PQclear(res);
    return err;
}

int ctl_optout(int argc, char **argv)
{
    if (argc < 2)
        return ctl_usage_error("optout needs add, lift or list");
    bool is_add = strcmp(argv[1], "add") == 0, is_lift = strcmp(argv[1], "lift") == 0;
    if (!is_add && !is_lift && strcmp(argv[1], "list") != 0)
        return ctl_usage_error("unknown optout command %s", argv[1]);
    struct ctl_target t;
    int status = ctl_parse_target(argc - 1, argv + 1, is_add ? "optout add" : is_lift ? "optout lift" : "optout list",
                                  is_add || is_lift ? CTL_TARGET_BUSINESS | CTL_TARGET_NUMBER
                                                    : CTL_TARGET_BUSINESS | CTL_TARGET_JSON, &t);
    if (status != CTL_EXIT_OK)
        return status;
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    redisContext *rc;
    PGconn *conn;
    if ((status = ctl_connect_for_change(&cfg, "nothing changed", &rc, &conn)) != CTL_EXIT_OK)
        return status;
    char key[FD_KEY_MAX], why[1024];
    tenant_key(key, t.id, (unsigned)cfg.shards, "sms_optout");
    struct optout_change c = {.business = t.id, .number = t.number};
    if (is_add)
        status = add(rc, conn, key, &c);
    else if (is_lift)
        status = lift(rc, conn, key, &c);
    else if (db_with_tenant(conn, t.id, print_list, &t, why, sizeof why) != APP_OK)
        status = ctl_fail("cannot list the opt-outs: %s", why);
    PQfinish(conn);
    redisFree(rc);
    return status;
}
