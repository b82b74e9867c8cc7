/* ops/ctl/tenant_suspend.c: `frontdesk-ctl tenant suspend|resume --business ID`. A suspended
 * business keeps everything; its calls take the path of a business with no active
 * receptionist (its fallback number, or a short "we cannot take your call") from its next
 * call on: businesses.suspended_at is set in the business's own RLS scope, then the
 * worker's cached configuration (fd:{sNNN}:t:B:agent) is dropped, which the worker checks
 * at every call's start (workers/agent_cache.c). Suspending twice keeps the first time. */
#include <string.h>

#include "ctl.h"
#include "store/db.h"

struct suspension {
    const char *id;
    bool is_suspend;
    bool is_found;                  /* out */
    char since[40];                 /* out: suspended_at, UTC */
    char fallback[24];              /* out: "" when none */
};

static enum app_err set_suspension(PGconn *conn, void *arg, char *why, size_t why_len)
{
    struct suspension *s = arg;
    static const char suspend_sql[] =
        "UPDATE businesses SET suspended_at = coalesce(suspended_at, now()) WHERE id = $1 "
        "RETURNING to_char(suspended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS\"Z\"'), "
        "coalesce(fallback_number, '')";
    static const char resume_sql[] =
        "UPDATE businesses SET suspended_at = NULL WHERE id = $1 "
        "RETURNING '', coalesce(fallback_number, '')";
    const char *params[] = {s->id};
    PGresult *res = PQexecParams(conn, s->is_suspend ? suspend_sql : resume_sql, 1, NULL, params,
                                 NULL, NULL, 0);
    enum app_err err = db_result_err(conn, res, why, why_len);
    if (err == APP_OK && PQntuples(res) == 1) {
        s->is_found = true;
        snprintf(s->since, sizeof s->since, "%s", PQgetvalue(res, 0, 0));
        snprintf(s->fallback, sizeof s->fallback, "%s", PQgetvalue(res, 0, 1));
    }
    PQclear(res);
    return err;
}

static void print_done(const struct suspension *s)
{
    if (!s->is_suspend)
        fprintf(stderr, "business %s takes calls again from its next call\n", s->id);
    else if (s->fallback[0] != '\0')
        fprintf(stderr, "business %s is suspended since %s: its calls go to its fallback "
                "number %s\n", s->id, s->since, s->fallback);
    else
        fprintf(stderr, "business %s is suspended since %s: its callers hear that it cannot "
                "take calls (it has no fallback number)\n", s->id, s->since);
}

int ctl_tenant_suspend(int argc, char **argv)
{
    bool is_suspend = strcmp(argv[0], "suspend") == 0;
    struct ctl_target t;
    int status = ctl_parse_target(argc, argv, is_suspend ? "tenant suspend" : "tenant resume",
                                  CTL_TARGET_BUSINESS, &t);
    if (status != CTL_EXIT_OK)
        return status;
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    redisContext *rc;
    PGconn *conn;
    if ((status = ctl_connect_for_change(&cfg, "nothing changed", &rc, &conn)) != CTL_EXIT_OK)
        return status;
    char why[1024];
    struct suspension s = {.id = t.id, .is_suspend = is_suspend};
    enum app_err err = db_with_tenant(conn, t.id, set_suspension, &s, why, sizeof why);
    char key[FD_KEY_MAX];
    tenant_key(key, t.id, (unsigned)cfg.shards, "agent");
    const char *del[] = {"DEL", key};
    redisReply *r = NULL;
    if (err != APP_OK)
        status = ctl_fail("cannot change business %s: %s; nothing changed", t.id, why);
    else if (!s.is_found)
        status = ctl_fail("no business %s", t.id);
    else if ((r = ctl_redis_command(rc, 2, del, why, sizeof why)) == NULL)
        status = ctl_fail("business %s is changed in PostgreSQL, but the workers' cached copy "
                          "%s could not be dropped: %s\nthey pick the change up within a minute",
                          t.id, key, why);
    else
        print_done(&s);
    freeReplyObject(r);
    PQfinish(conn);
    redisFree(rc);
    return status;
}
