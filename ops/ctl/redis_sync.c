/* ops/ctl/redis_sync.c: the CLI's Redis connection (and, for commands that change both, the
 * PostgreSQL one after it). Blocking hiredis is right for a command that does a few round
 * trips and exits; timeouts keep a dead Redis from hanging an operator's shell. */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "store/db.h"

#define CTL_REDIS_TIMEOUT_MS 3000

redisReply *ctl_redis_command(redisContext *c, int argc, const char **argv, char *why,
                              size_t why_len)
{
    redisReply *r = redisCommandArgv(c, argc, argv, NULL);
    if (r == NULL) {
        snprintf(why, why_len, "Redis %s failed: %s", argv[0],
                 c->errstr[0] ? c->errstr : "connection lost");
        return NULL;
    }
    if (r->type == REDIS_REPLY_ERROR) {
        snprintf(why, why_len, "Redis %s failed: %.*s", argv[0], (int)r->len, r->str);
        freeReplyObject(r);
        return NULL;
    }
    return r;
}

bool ctl_numbers_changed(redisContext *c, char *why, size_t why_len)
{
    const char *incr[] = {"INCR", FD_NUMBERS_VERSION_KEY};
    redisReply *r = ctl_redis_command(c, 2, incr, why, why_len);
    freeReplyObject(r);
    return r != NULL;
}

static bool run_setup(redisContext *c, int argc, const char **argv, char *why, size_t why_len)
{
    redisReply *r = ctl_redis_command(c, argc, argv, why, why_len);
    freeReplyObject(r);
    return r != NULL;
}

redisContext *ctl_redis_connect(const struct fd_config *cfg, char *why, size_t why_len)
{
    struct timeval tv = {CTL_REDIS_TIMEOUT_MS / 1000, (CTL_REDIS_TIMEOUT_MS % 1000) * 1000};
    redisContext *c = redisConnectWithTimeout(cfg->redis_host, cfg->redis_port, tv);
    if (c == NULL || c->err) {
        snprintf(why, why_len, "cannot connect to Redis at %s:%d: %s", cfg->redis_host,
                 cfg->redis_port, c ? c->errstr : "out of memory");
        redisFree(c);
        return NULL;
    }
    if (redisSetTimeout(c, tv) != REDIS_OK) {
        snprintf(why, why_len, "cannot set the Redis timeout: %s", c->errstr);
        redisFree(c);
        return NULL;
    }
    char db[16];
    snprintf(db, sizeof db, "%d", cfg->redis_db);
    const char *auth[] = {"AUTH", cfg->redis_user[0] ? cfg->redis_user : cfg->redis_password,
                          cfg->redis_password};
    const char *select[] = {"SELECT", db};
    if ((cfg->redis_password[0] != '\0' &&
         !run_setup(c, cfg->redis_user[0] ? 3 : 2, auth, why, why_len)) ||
        (cfg->redis_db != 0 && !run_setup(c, 2, select, why, why_len))) {
        redisFree(c);
        return NULL;
    }
    return c;
}

int ctl_connect_for_change(const struct fd_config *cfg, const char *unchanged,
                           redisContext **rc, PGconn **conn)
{
    char why[1024];
    *conn = NULL;
    *rc = ctl_redis_connect(cfg, why, sizeof why);
    if (*rc == NULL)
        return ctl_fail("%s; %s", why, unchanged);
    *conn = db_connect(cfg->database_url, why, sizeof why);
    if (*conn == NULL) {
        redisFree(*rc);
        *rc = NULL;
        return ctl_fail("%s; %s", why, unchanged);
    }
    return CTL_EXIT_OK;
}
