/* ops/ctl/calls.c: `frontdesk-ctl calls --business ID`: the tenant's calls as the
 * workers keep them in Redis (fd:{sNNN}:t:B:call:<id>), one line each, decoded; and who
 * owns the tenant now (its lease). For an operator following a live call. */
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "store/tenant_keys.h"

static const char *field(const redisReply *h, const char *name)
{
    for (size_t i = 0; i + 1 < h->elements; i += 2)
        if (strcmp(h->element[i]->str, name) == 0)
            return h->element[i + 1]->str;
    return "";
}

static void print_call(redisContext *rc, const char *key)
{
    char why[256];
    const char *argv[] = {"HGETALL", key};
    redisReply *h = ctl_redis_command(rc, 2, argv, why, sizeof why);
    if (h == NULL)
        return;
    printf("%-46s  %-12s  %-16s  %-16s  %-24s  %5s  %s\n", field(h, "call_control_id"),
           field(h, "phase"), field(h, "from"), field(h, "to"), field(h, "started_at"),
           field(h, "turns"), field(h, "outcome"));
    freeReplyObject(h);
}

int ctl_calls(int argc, char **argv)
{
    const char *business = NULL;
    for (int i = 1; i < argc;) {
        if (ctl_opt(argc, argv, &i, "--business", &business))
            continue;
        return ctl_usage_error("calls: unknown option '%s'", argv[i]);
    }
    char canon[FD_UUID_LEN + 1];
    if (business == NULL || !uuid_canonical(business, strlen(business), canon))
        return ctl_usage_error("calls: --business needs the business id (a UUID)");
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    char why[256], lease[FD_KEY_MAX], pattern[FD_KEY_MAX];
    redisContext *rc = ctl_redis_connect(&cfg, why, sizeof why);
    if (rc == NULL)
        return ctl_fail("cannot reach Redis: %s", why);
    tenant_key(lease, canon, (unsigned)cfg.shards, "lease");
    const char *get[] = {"GET", lease};
    redisReply *owner = ctl_redis_command(rc, 2, get, why, sizeof why);
    printf("owner: %s\n", owner != NULL && owner->type == REDIS_REPLY_STRING ? owner->str : "(none)");
    freeReplyObject(owner);
    tenant_key(pattern, canon, (unsigned)cfg.shards, "call:*");
    printf("%-46s  %-12s  %-16s  %-16s  %-24s  %5s  %s\n", "CALL", "PHASE", "FROM", "TO", "STARTED",
           "TURNS", "OUTCOME");
    char cursor[32] = "0";
    do {
        const char *scan[] = {"SCAN", cursor, "MATCH", pattern, "COUNT", "500"};
        redisReply *r = ctl_redis_command(rc, 6, scan, why, sizeof why);
        if (r == NULL) {
            redisFree(rc);
            return ctl_fail("SCAN failed: %s", why);
        }
        snprintf(cursor, sizeof cursor, "%s", r->element[0]->str);
        for (size_t i = 0; i < r->element[1]->elements; i++)
            print_call(rc, r->element[1]->element[i]->str);
        freeReplyObject(r);
    } while (strcmp(cursor, "0") != 0);
    redisFree(rc);
    return CTL_EXIT_OK;
}
