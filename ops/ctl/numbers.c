/* ops/ctl/numbers.c: `frontdesk-ctl numbers sync` (add and remove: numbers_edit.c) rebuilds
 * fd:numbers (E.164 number -> business id, what the api routes every webhook by) from
 * PostgreSQL, the source of
 * truth: after a Redis loss, after `tenant create` could not reach Redis, or to undo
 * a hand edit. Readers never see a half-built table: the new hash is built under a
 * temporary key and renamed over the old one. */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "store/db.h"
#include "store/tenant_keys.h"

#define SYNC_PAIRS_PER_HSET 500
#define SYNC_TMP_TTL_S "600"    /* a crash mid-build leaves no garbage behind */

/* True when the command succeeded; for EXEC, when every queued command did too. */
static bool redis_ok(redisContext *rc, int argc, const char **argv, char *why, size_t why_len)
{
    redisReply *r = ctl_redis_command(rc, argc, argv, why, why_len);
    bool ok = r != NULL;
    for (size_t i = 0; ok && r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
        if (r->element[i]->type == REDIS_REPLY_ERROR) {
            snprintf(why, why_len, "Redis %s failed: %s", argv[0], r->element[i]->str);
            ok = false;
        }
    }
    freeReplyObject(r);
    return ok;
}

/* Writes rows (number, business_id) into tmp in batches. */
static bool fill_tmp(redisContext *rc, const char *tmp, PGresult *rows, char *why, size_t why_len)
{
    static const char *argv[2 + 2 * SYNC_PAIRS_PER_HSET];
    int n = PQntuples(rows);
    for (int start = 0; start < n; start += SYNC_PAIRS_PER_HSET) {
        int argc = 0;
        argv[argc++] = "HSET";
        argv[argc++] = tmp;
        for (int i = start; i < n && i < start + SYNC_PAIRS_PER_HSET; i++) {
            argv[argc++] = PQgetvalue(rows, i, 0);
            argv[argc++] = PQgetvalue(rows, i, 1);
        }
        if (!redis_ok(rc, argc, argv, why, why_len))
            return false;
        if (start == 0) {
            const char *expire[] = {"EXPIRE", tmp, SYNC_TMP_TTL_S};
            if (!redis_ok(rc, 3, expire, why, why_len))
                return false;
        }
    }
    return true;
}

/* RENAME keeps the temporary key's TTL, so PERSIST must go with it, atomically.
 * (On Redis Cluster both keys would need one hash tag; fd:numbers is a single-Redis
 * key today.) With no numbers at all there is no temporary key: delete the table. */
static bool swap_in(redisContext *rc, const char *tmp, int count, char *why, size_t why_len)
{
    if (count == 0) {
        const char *del[] = {"DEL", FD_NUMBERS_KEY};
        return redis_ok(rc, 2, del, why, why_len);
    }
    const char *multi[] = {"MULTI"}, *exec[] = {"EXEC"};
    const char *rename[] = {"RENAME", tmp, FD_NUMBERS_KEY};
    const char *persist[] = {"PERSIST", FD_NUMBERS_KEY};
    return redis_ok(rc, 1, multi, why, why_len) && redis_ok(rc, 3, rename, why, why_len) &&
           redis_ok(rc, 2, persist, why, why_len) && redis_ok(rc, 1, exec, why, why_len);
}

static int sync_numbers(const struct fd_config *cfg)
{
    char why[1024];
    /* Every tenant's numbers: frontdesk_app sees one tenant at a time, and FORCE'd RLS
     * hides all rows even from a non-superuser owner, so read as frontdesk_ops, the
     * read-only role whose policies show every tenant (schema/0001_v1.sql). */
    PGconn *conn = db_connect_ops(cfg->database_url, why, sizeof why);
    if (conn == NULL)
        return ctl_fail("%s", why);
    PGresult *rows = PQexec(conn, "SELECT number, business_id FROM phone_numbers ORDER BY number");
    if (db_result_err(conn, rows, why, sizeof why) != APP_OK) {
        PQclear(rows);
        PQfinish(conn);
        return ctl_fail("cannot read phone_numbers: %s", why);
    }
    int status = CTL_EXIT_OK;
    redisContext *rc = ctl_redis_connect(cfg, why, sizeof why);
    char id[FD_UUID_LEN + 1], tmp[FD_KEY_MAX];
    uuid_generate(id);
    snprintf(tmp, sizeof tmp, "%s:rebuild:%s", FD_NUMBERS_KEY, id);
    if (rc == NULL || !fill_tmp(rc, tmp, rows, why, sizeof why) ||
        !swap_in(rc, tmp, PQntuples(rows), why, sizeof why) ||
        !ctl_numbers_changed(rc, why, sizeof why)) {
        status = ctl_fail("%s; %s is unchanged", why, FD_NUMBERS_KEY);
        if (rc != NULL) {
            const char *del[] = {"DEL", tmp};
            freeReplyObject(redisCommandArgv(rc, 2, del, NULL));
        }
    } else {
        printf("synced %d number%s to %s\n", PQntuples(rows), PQntuples(rows) == 1 ? "" : "s",
               FD_NUMBERS_KEY);
    }
    redisFree(rc);
    PQclear(rows);
    PQfinish(conn);
    return status;
}

int ctl_numbers(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "add") == 0)
        return ctl_numbers_add(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "remove") == 0)
        return ctl_numbers_remove(argc - 1, argv + 1);
    if (argc != 2 || strcmp(argv[1], "sync") != 0)
        return ctl_usage_error("usage: numbers sync | numbers add --business ID --number E164 "
                               "| numbers remove --business ID --number E164");
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    return sync_numbers(&cfg);
}
