/* ops/ctl/redis_sync.c: the CLI's Redis connection (and, for commands that change both, the
 * PostgreSQL one after it). Blocking hiredis is right for a command that does a few round
 * trips and exits; timeouts keep a dead Redis from hanging an operator's shell. */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "store/db.h"

#define CTL_REDIS_TIMEOUT_MS 3000
#define CTL_SENTINEL_TIMEOUT_MS 1000

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

/* One Sentinel's answer to SENTINEL get-master-addr-by-name into host and *port. */
static bool ask_sentinel(const struct fd_config *cfg, const struct config_sentinel *s,
                         char *host, size_t host_len, int *port, char *why, size_t why_len)
{
    struct timeval tv = {CTL_SENTINEL_TIMEOUT_MS / 1000, (CTL_SENTINEL_TIMEOUT_MS % 1000) * 1000};
    redisContext *c = redisConnectWithTimeout(s->host, s->port, tv);
    redisReply *r = NULL;
    bool is_found = false;
    if (c == NULL || c->err || redisSetTimeout(c, tv) != REDIS_OK) {
        snprintf(why, why_len, "sentinel %s:%d: %s", s->host, s->port,
                 c ? c->errstr : "out of memory");
        goto out;
    }
    if (cfg->redis_sentinel_password[0] != '\0')
        freeReplyObject(redisCommand(c, "AUTH %s", cfg->redis_sentinel_password));
    r = redisCommand(c, "SENTINEL get-master-addr-by-name %s", cfg->redis_master);
    if (r == NULL || r->type == REDIS_REPLY_ERROR) {
        snprintf(why, why_len, "sentinel %s:%d: %s", s->host, s->port,
                 r ? r->str : c->errstr);
        goto out;
    }
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
        r->element[0]->type != REDIS_REPLY_STRING || r->element[1]->type != REDIS_REPLY_STRING ||
        r->element[0]->len >= host_len || !config_parse_int(r->element[1]->str, 1, 65535, port)) {
        snprintf(why, why_len, "sentinel %s:%d does not know master '%s'", s->host, s->port,
                 cfg->redis_master);
        goto out;
    }
    memcpy(host, r->element[0]->str, r->element[0]->len + 1);
    is_found = true;
out:
    freeReplyObject(r);
    redisFree(c);
    return is_found;
}

/* Where to connect: the URL's host, or through Sentinels the master the first one that
 * knows it names. */
static bool redis_address(const struct fd_config *cfg, char *host, size_t host_len, int *port,
                          char *why, size_t why_len)
{
    if (cfg->redis_sentinel_count == 0) {
        snprintf(host, host_len, "%s", cfg->redis_host);
        *port = cfg->redis_port;
        return true;
    }
    char last[512] = "";
    for (int i = 0; i < cfg->redis_sentinel_count; i++)
        if (ask_sentinel(cfg, &cfg->redis_sentinels[i], host, host_len, port, last, sizeof last))
            return true;
    snprintf(why, why_len, "no Sentinel gave the address of master '%s' (last: %s)",
             cfg->redis_master, last);
    return false;
}

/* A Sentinel's answer can be out of date during a failover: never write to a replica. */
static bool is_master(redisContext *c, char *why, size_t why_len)
{
    const char *role[] = {"ROLE"};
    redisReply *r = ctl_redis_command(c, 1, role, why, why_len);
    if (r == NULL)
        return false;
    bool is_ok = r->type == REDIS_REPLY_ARRAY && r->elements > 0 &&
                 r->element[0]->type == REDIS_REPLY_STRING &&
                 strcmp(r->element[0]->str, "master") == 0;
    if (!is_ok)
        snprintf(why, why_len, "the Redis server the Sentinels named is not the master "
                 "(a failover under way?); try again");
    freeReplyObject(r);
    return is_ok;
}

redisContext *ctl_redis_connect(const struct fd_config *cfg, char *why, size_t why_len)
{
    struct timeval tv = {CTL_REDIS_TIMEOUT_MS / 1000, (CTL_REDIS_TIMEOUT_MS % 1000) * 1000};
    char host[256];
    int port = 0;
    if (!redis_address(cfg, host, sizeof host, &port, why, why_len))
        return NULL;
    redisContext *c = redisConnectWithTimeout(host, port, tv);
    if (c == NULL || c->err) {
        snprintf(why, why_len, "cannot connect to Redis at %s:%d: %s", host, port,
                 c ? c->errstr : "out of memory");
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
        (cfg->redis_db != 0 && !run_setup(c, 2, select, why, why_len)) ||
        (cfg->redis_sentinel_count > 0 && !is_master(c, why, why_len))) {
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
