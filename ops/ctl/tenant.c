/* ops/ctl/tenant.c: `frontdesk-ctl tenant create` (list and show: tenant_view.c; suspend and
 * resume: tenant_suspend.c; export and delete: tenant_leave.c) makes a business ready to
 * take calls at once: the business and an active agent with a default configuration
 * (lib/owner/business_create.c, shared with sign-up), and its numbers, in one transaction
 * run as frontdesk_app under the new tenant's RLS scope, then the number routes in Redis
 * (fd:numbers), which the api reads for every webhook. */
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"
#include "ctl.h"
#include "store/db.h"
#include "core/e164.h"
#include "store/tenant_keys.h"
#include "core/xalloc.h"
#include "owner/business_create.h"
#include "owner/owner_query.h"

#define TENANT_NAME_MAX 200
#define TENANT_NUMBERS_MAX 32

struct tenant_spec {
    const char *name;
    const char *fallback;                       /* NULL: none */
    const char *numbers[TENANT_NUMBERS_MAX];
    size_t nnumbers;
    char id[FD_UUID_LEN + 1];
    char *agent_config;                         /* owned: JSON text (agent_config_default) */
    const char *taken_number;                   /* set when a number is someone else's */
};

static enum app_err insert_tenant(PGconn *conn, void *arg, char *why, size_t why_len)
{
    struct tenant_spec *t = arg;
    struct business_new business = {.id = t->id, .name = t->name, .fallback_number = t->fallback};
    enum app_err err = business_create(conn, &business, t->agent_config, why, why_len);
    for (size_t i = 0; err == APP_OK && i < t->nnumbers; i++) {
        const char *number[] = {t->id, t->numbers[i]};
        err = owner_exec(conn, "INSERT INTO phone_numbers (business_id, number) "
                         "VALUES ($1, $2)", 2, number, why, why_len);
        if (err == APP_ECONFLICT)
            t->taken_number = t->numbers[i];
    }
    return err;
}

static enum app_err route_numbers(redisContext *rc, const struct tenant_spec *t, char *why,
                                  size_t why_len)
{
    const char *argv[2 + 2 * TENANT_NUMBERS_MAX] = {"HSET", FD_NUMBERS_KEY};
    int argc = 2;
    for (size_t i = 0; i < t->nnumbers; i++) {
        argv[argc++] = t->numbers[i];
        argv[argc++] = t->id;
    }
    redisReply *r = ctl_redis_command(rc, argc, argv, why, why_len);
    freeReplyObject(r);
    return r != NULL && ctl_numbers_changed(rc, why, why_len) ? APP_OK : APP_EUNAVAIL;
}

static int parse_create(int argc, char **argv, struct tenant_spec *t)
{
    for (int i = 2; i < argc;) {
        const char *arg = argv[i], *v = NULL;
        bool is_number = false;
        if (ctl_opt(argc, argv, &i, "--name", &v))
            t->name = v;
        else if (ctl_opt(argc, argv, &i, "--fallback", &v))
            t->fallback = v;
        else if (ctl_opt(argc, argv, &i, "--number", &v))
            is_number = true;
        else
            return ctl_usage_error("tenant create: unknown argument '%s'", arg);
        if (v == NULL)
            return ctl_usage_error("tenant create: %s needs a value", arg);
        if (is_number && t->nnumbers == TENANT_NUMBERS_MAX)
            return ctl_usage_error("at most %d numbers per command", TENANT_NUMBERS_MAX);
        if (is_number)
            t->numbers[t->nnumbers++] = v;
    }
    if (t->name == NULL || t->name[0] == '\0' || strlen(t->name) > TENANT_NAME_MAX)
        return ctl_usage_error("tenant create needs --name NAME (1 to %d bytes)", TENANT_NAME_MAX);
    /* The name is also the default configuration's business_name, which refuses what a
     * receptionist cannot say: control characters, blank names, text that is not UTF-8. */
    char *probe = agent_config_default(t->name);
    if (probe == NULL)
        return ctl_usage_error("--name must be UTF-8 text without control characters");
    free(probe);
    if (t->nnumbers == 0)
        return ctl_usage_error("tenant create needs at least one --number E164");
    for (size_t i = 0; i < t->nnumbers; i++) {
        if (!e164_is_valid(t->numbers[i], strlen(t->numbers[i])))
            return ctl_usage_error("'%s' is not an E.164 number (like +13125550100)",
                                   t->numbers[i]);
        for (size_t j = 0; j < i; j++)
            if (strcmp(t->numbers[i], t->numbers[j]) == 0)
                return ctl_usage_error("number %s is given twice", t->numbers[i]);
    }
    if (t->fallback != NULL && !e164_is_valid(t->fallback, strlen(t->fallback)))
        return ctl_usage_error("--fallback '%s' is not an E.164 number", t->fallback);
    return CTL_EXIT_OK;
}

static int create_tenant(const struct fd_config *cfg, struct tenant_spec *t)
{
    char why[1024];
    redisContext *rc;
    PGconn *conn;
    int status = ctl_connect_for_change(cfg, "nothing created", &rc, &conn);
    if (status != CTL_EXIT_OK)
        return status;
    uuid_generate(t->id);
    t->agent_config = agent_config_default(t->name);   /* not NULL: parse_create checked */
    enum app_err err = db_with_tenant(conn, t->id, insert_tenant, t, why, sizeof why);
    if (err == APP_ECONFLICT && t->taken_number != NULL) {
        status = ctl_fail("number %s already belongs to another business; nothing created",
                          t->taken_number);
    } else if (err != APP_OK) {
        status = ctl_fail("cannot create the business: %s; nothing created", why);
    } else {
        printf("%s\n", t->id);
        if (route_numbers(rc, t, why, sizeof why) != APP_OK)
            status = ctl_fail("business %s is created in PostgreSQL but its numbers are not "
                              "routed: %s\nrun 'frontdesk-ctl numbers sync' once Redis is back",
                              t->id, why);
    }
    free(t->agent_config);
    PQfinish(conn);
    redisFree(rc);
    return status;
}

int ctl_tenant(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
    } others[] = {
        {"list", ctl_tenant_list}, {"show", ctl_tenant_show},
        {"suspend", ctl_tenant_suspend}, {"resume", ctl_tenant_suspend},
        {"export", ctl_tenant_export}, {"delete", ctl_tenant_delete},
    };
    for (size_t i = 0; argc >= 2 && i < sizeof others / sizeof others[0]; i++)
        if (strcmp(argv[1], others[i].name) == 0)
            return others[i].run(argc - 1, argv + 1);
    if (argc < 2 || strcmp(argv[1], "create") != 0)
        return ctl_usage_error("usage: tenant create --name NAME --number E164 [--number E164 ...] "
                               "[--fallback E164] | tenant list [--json] | tenant show --business "
                               "ID [--json] | tenant suspend|resume|export --business ID | "
                               "tenant delete --business ID --confirm ID");
    struct tenant_spec t = {0};
    int status = parse_create(argc, argv, &t);
    if (status != CTL_EXIT_OK)
        return status;
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    return create_tenant(&cfg, &t);
}
