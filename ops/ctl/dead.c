/* ops/ctl/dead.c: `frontdesk-ctl dead list|replay`: the events a tenant's workers gave up
 * on (lua/worker_dead_letter.lua), with their last error, and putting one back on the
 * stream once the cause is fixed. */
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "store/lua_args.h"
#include "store/lua_scripts.h"
#include "store/tenant_keys.h"

static const char *field(const redisReply *fields, const char *name)
{
    for (size_t i = 0; i + 1 < fields->elements; i += 2)
        if (strcmp(fields->element[i]->str, name) == 0)
            return fields->element[i + 1]->str;
    return "";
}

static int list(redisContext *rc, const char *business, unsigned shards)
{
    char key[FD_KEY_MAX], why[256];
    tenant_key(key, business, shards, "dead");
    const char *argv[] = {"XRANGE", key, "-", "+"};
    redisReply *r = ctl_redis_command(rc, 4, argv, why, sizeof why);
    if (r == NULL)
        return ctl_fail("cannot read %s: %s", key, why);
    printf("%-18s  %-18s  %-22s  %-36s  %-10s  %s\n", "DEAD_ID", "ENTRY", "TYPE", "EVENT_ID",
           "DELIVERIES", "ERROR");
    for (size_t i = 0; i < r->elements; i++) {
        const redisReply *e = r->element[i];
        const redisReply *fields = e->element[1];
        printf("%-18s  %-18s  %-22s  %-36s  %-10s  %s\n", e->element[0]->str, field(fields, "entry"),
               field(fields, "type"), field(fields, "eid"), field(fields, "deliveries"),
               field(fields, "error"));
    }
    freeReplyObject(r);
    return CTL_EXIT_OK;
}

static int replay(redisContext *rc, const char *business, unsigned shards, const char *dead_id)
{
    const struct lua_script *s = lua_script_find("replay_dead");
    char dead[FD_KEY_MAX], events[FD_KEY_MAX], ready[FD_KEY_MAX], lease[FD_KEY_MAX], why[256];
    tenant_key(dead, business, shards, "dead");
    tenant_events_key(events, business, shards);
    shard_ready_key(ready, tenant_shard(business, shards));
    tenant_key(lease, business, shards, "lease");
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key(&a, dead);
    lua_args_key(&a, events);
    lua_args_key(&a, ready);
    lua_args_key(&a, lease);
    lua_args_arg(&a, dead_id);
    lua_args_arg(&a, business);
    const char **argv;          /* all text: ctl_redis_command measures them */
    int argc = lua_args_command(&a, s, false, &argv, NULL);
    redisReply *r = ctl_redis_command(rc, argc, argv, why, sizeof why);
    if (r == NULL)
        return ctl_fail("replay failed: %s", why);
    int status = CTL_EXIT_OK;
    if (r->type == REDIS_REPLY_STRING)
        printf("%s\n", r->str);
    else
        status = ctl_fail("no dead entry %s for business %s", dead_id, business);
    freeReplyObject(r);
    return status;
}

int ctl_dead(int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[1], "list") != 0 && strcmp(argv[1], "replay") != 0))
        return ctl_usage_error("dead: expected 'list' or 'replay'");
    const char *business = NULL, *id = NULL;
    for (int i = 2; i < argc;) {
        if (ctl_opt(argc, argv, &i, "--business", &business) || ctl_opt(argc, argv, &i, "--id", &id))
            continue;
        return ctl_usage_error("dead: unknown option '%s'", argv[i]);
    }
    char canon[FD_UUID_LEN + 1];
    if (business == NULL || !uuid_canonical(business, strlen(business), canon))
        return ctl_usage_error("dead: --business needs the business id (a UUID)");
    bool is_replay = strcmp(argv[1], "replay") == 0;
    if (is_replay && (id == NULL || id[0] == '\0'))
        return ctl_usage_error("dead replay: --id needs a DEAD_ID from 'dead list'");
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    char why[256];
    redisContext *rc = ctl_redis_connect(&cfg, why, sizeof why);
    if (rc == NULL)
        return ctl_fail("cannot reach Redis: %s", why);
    int status = is_replay ? replay(rc, canon, (unsigned)cfg.shards, id)
                           : list(rc, canon, (unsigned)cfg.shards);
    redisFree(rc);
    return status;
}
