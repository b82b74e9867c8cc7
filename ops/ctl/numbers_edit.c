/* ops/ctl/numbers_edit.c: `frontdesk-ctl numbers add|remove --business ID --number E164`: an
 * operator gives a business a number (one bought by hand, or one whose order the
 * provisioning job could not confirm) or takes one away. PostgreSQL first, in the
 * business's RLS scope, then fd:numbers, which the api routes every webhook by: a number
 * added routes at once; a number removed is routed no more (each api keeps a route it
 * looked up for up to FD_NUMBER_TTL_MS, lib/store/number_cache.h). The number stays the
 * account's at Telnyx: releasing it there is not in frontdesk's Telnyx subset. */
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "store/db.h"
#include "store/number_cache.h"

struct number_change {
    const char *id, *number;
    bool is_add;
    bool is_missing_business;       /* out */
    bool is_elsewhere;              /* out: add: another business has it; remove: not ours */
};

static enum app_err exec_rows(PGconn *conn, const char *sql, int n, const char *const *params,
                              int *rows, char *why, size_t why_len)
{
    PGresult *res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
    enum app_err err = db_result_err(conn, res, why, why_len);
    if (err == APP_OK)
        *rows = PQresultStatus(res) == PGRES_TUPLES_OK ? PQntuples(res) : atoi(PQcmdTuples(res));
    else if (db_result_is(res, "23503"))
        err = APP_ENOTFOUND;        /* the foreign key: no such business */
    PQclear(res);
    return err;
}

/* Add: insert unless it exists; the business's policies show only its own numbers, so a
 * number still unseen after the insert is another business's. Remove: delete it if the
 * business has it. */
static enum app_err change_number(PGconn *conn, void *arg, char *why, size_t why_len)
{
    struct number_change *c = arg;
    const char *pair[] = {c->id, c->number}, *one[] = {c->number};
    int rows = 0;
    enum app_err err;
    if (c->is_add) {
        err = exec_rows(conn, "INSERT INTO phone_numbers (business_id, number) VALUES ($1, $2) "
                        "ON CONFLICT (number) DO NOTHING", 2, pair, &rows, why, why_len);
        if (err == APP_OK)
            err = exec_rows(conn, "SELECT 1 FROM phone_numbers WHERE number = $1", 1, one, &rows,
                            why, why_len);
    } else {
        err = exec_rows(conn, "SELECT 1 FROM businesses WHERE id = $1", 1, pair, &rows, why,
                        why_len);
        if (err == APP_OK && rows == 0)
            err = APP_ENOTFOUND;
        if (err == APP_OK)
            err = exec_rows(conn, "DELETE FROM phone_numbers WHERE business_id = $1 "
                            "AND number = $2", 2, pair, &rows, why, why_len);
    }
    c->is_missing_business = err == APP_ENOTFOUND;
    c->is_elsewhere = err == APP_OK && rows == 0;
    return err == APP_OK && c->is_elsewhere ? APP_ECONFLICT : err;
}

/* fd:numbers: HSET on add; on remove HDEL, unless the route already names another
 * business (a hand edit): that one is not ours to drop. */
static bool route(redisContext *rc, const struct number_change *c, char *why, size_t why_len)
{
    if (c->is_add) {
        const char *hset[] = {"HSET", FD_NUMBERS_KEY, c->number, c->id};
        redisReply *r = ctl_redis_command(rc, 4, hset, why, why_len);
        freeReplyObject(r);
        return r != NULL && ctl_numbers_changed(rc, why, why_len);
    }
    const char *hget[] = {"HGET", FD_NUMBERS_KEY, c->number};
    redisReply *r = ctl_redis_command(rc, 3, hget, why, why_len);
    bool is_ours = r != NULL && r->type == REDIS_REPLY_STRING && strcmp(r->str, c->id) == 0;
    bool ok = r != NULL;
    freeReplyObject(r);
    if (ok && is_ours) {
        const char *hdel[] = {"HDEL", FD_NUMBERS_KEY, c->number};
        r = ctl_redis_command(rc, 3, hdel, why, why_len);
        ok = r != NULL;
        freeReplyObject(r);
        ok = ok && ctl_numbers_changed(rc, why, why_len);
    }
    return ok;
}

static int report(const struct number_change *c, const char *why)
{
    if (c->is_missing_business)
        return ctl_fail("no business %s; nothing changed", c->id);
    if (c->is_elsewhere && c->is_add)
        return ctl_fail("number %s already belongs to another business; nothing changed",
                        c->number);
    if (c->is_elsewhere)
        return ctl_fail("number %s is not business %s's; nothing changed", c->number, c->id);
    return ctl_fail("cannot %s number %s: %s; nothing changed", c->is_add ? "add" : "remove",
                    c->number, why);
}

static int change(int argc, char **argv, bool is_add)
{
    struct ctl_target t;
    int status = ctl_parse_target(argc, argv, is_add ? "numbers add" : "numbers remove",
                                  CTL_TARGET_BUSINESS | CTL_TARGET_NUMBER, &t);
    if (status != CTL_EXIT_OK)
        return status;
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    redisContext *rc;
    PGconn *conn;
    if ((status = ctl_connect_for_change(&cfg, "nothing changed", &rc, &conn)) != CTL_EXIT_OK)
        return status;
    char why[1024];
    struct number_change c = {.id = t.id, .number = t.number, .is_add = is_add};
    enum app_err err = db_with_tenant(conn, t.id, change_number, &c, why, sizeof why);
    if (err != APP_OK)
        status = report(&c, why);
    else if (!route(rc, &c, why, sizeof why))
        status = ctl_fail("number %s is %s in PostgreSQL but fd:numbers is unchanged: %s\nrun "
                          "'frontdesk-ctl numbers sync' once Redis is back", t.number,
                          is_add ? "added" : "removed", why);
    else if (is_add)
        fprintf(stderr, "number %s routes to business %s\n", t.number, t.id);
    else
        fprintf(stderr, "number %s no longer routes to business %s (an api that looked it up "
                "in the last %d s may still use its cached route until then)\n", t.number, t.id,
                FD_NUMBER_TTL_MS / 1000);
    PQfinish(conn);
    redisFree(rc);
    return status;
}

int ctl_numbers_add(int argc, char **argv)
{
    return change(argc, argv, true);
}

int ctl_numbers_remove(int argc, char **argv)
{
    return change(argc, argv, false);
}
