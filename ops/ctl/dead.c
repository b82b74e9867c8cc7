/* ops/ctl/dead.c: `frontdesk-ctl dead list|show|replay|purge`: the events a tenant's
 * workers gave up on (lua/worker_dead_letter.lua), with their last error; one shown
 * whole, its body decoded; putting one (or all) back on the stream once the cause is
 * fixed; and dropping those older than a date once they are dealt with. With --outbox,
 * the same for the tenant's dead outbox: the records PostgreSQL kept refusing
 * (lua/outbox_refuse.lua), with the error and SQLSTATE, replayed into the outbox
 * (lua/outbox_replay_dead.lua). */
#include <stdlib.h>
#include <string.h>

#include "calendar/wall_clock.h"
#include "core/mp_json.h"
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

/* The events' dead stream, or the outbox's. */
struct dead_kind {
    const char *key_suffix;         /* of the dead stream's key */
    const char *target_suffix;      /* of the stream a replay puts an entry back on */
    const char *script;             /* the replay */
    const char *packed_field;       /* MessagePack, decoded by show */
    const char *noun;               /* "no dead <noun> <id>" */
    const char *purged_noun;        /* "purged N dead <purged_noun>(s)" */
};

static const struct dead_kind dead_events = {"dead", "events", "replay_dead", "body", "entry",
                                             "event"};
static const struct dead_kind dead_outbox = {"outbox_dead", "outbox", "outbox_replay_dead", "row",
                                             "outbox record", "outbox record"};

static void print_outbox_entry(const redisReply *e)
{
    const redisReply *fields = e->element[1];
    printf("%-18s  %-18s  %-22s  %-36s  %-8s  %-8s  %s\n", e->element[0]->str,
           field(fields, "entry"), field(fields, "table"), field(fields, "key"),
           field(fields, "sqlstate"), field(fields, "refusals"), field(fields, "error"));
}

static int list(redisContext *rc, const char *business, unsigned shards, const struct dead_kind *k)
{
    char key[FD_KEY_MAX], why[256];
    tenant_key(key, business, shards, k->key_suffix);
    const char *argv[] = {"XRANGE", key, "-", "+"};
    redisReply *r = ctl_redis_command(rc, 4, argv, why, sizeof why);
    if (r == NULL)
        return ctl_fail("cannot read %s: %s", key, why);
    if (k == &dead_outbox) {
        printf("%-18s  %-18s  %-22s  %-36s  %-8s  %-8s  %s\n", "DEAD_ID", "ENTRY", "TABLE", "KEY",
               "SQLSTATE", "REFUSALS", "ERROR");
        for (size_t i = 0; i < r->elements; i++)
            print_outbox_entry(r->element[i]);
        freeReplyObject(r);
        return CTL_EXIT_OK;
    }
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

/* One entry, every field, the MessagePack body (or row) decoded, as JSON on stdout. */
static int show(redisContext *rc, const char *business, unsigned shards, const char *dead_id,
                const struct dead_kind *k)
{
    char key[FD_KEY_MAX], why[256];
    tenant_key(key, business, shards, k->key_suffix);
    const char *argv[] = {"XRANGE", key, dead_id, dead_id};
    redisReply *r = ctl_redis_command(rc, 4, argv, why, sizeof why);
    if (r == NULL)
        return ctl_fail("cannot read %s: %s", key, why);
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 1) {
        freeReplyObject(r);
        return ctl_fail("no dead %s %s for business %s", k->noun, dead_id, business);
    }
    const redisReply *fields = r->element[0]->element[1];
    json_t *out = json_pack("{s:s}", "dead_id", r->element[0]->element[0]->str);
    for (size_t i = 0; i + 1 < fields->elements; i += 2) {
        const redisReply *name = fields->element[i], *v = fields->element[i + 1];
        json_t *value = NULL;
        if (strcmp(name->str, k->packed_field) == 0)
            value = mp_json_decode(v->str, v->len);
        if (value == NULL)
            value = json_stringn(v->str, v->len);
        json_object_set_new(out, name->str, value ? value : json_string("(neither MessagePack nor text)"));
    }
    freeReplyObject(r);
    return ctl_print_json(out);
}

/* Drops the entries older than before (ISO 8601): dead ids are Redis times in ms. */
static int purge(redisContext *rc, const char *business, unsigned shards, const char *before,
                 const struct dead_kind *k)
{
    int64_t ms = 0;
    const char *bad = NULL;
    if (!wall_clock_parse_iso8601(before, &ms, &bad))
        return ctl_usage_error("dead purge: --before %s: %s", before, bad);
    char key[FD_KEY_MAX], why[256], min_id[32];
    tenant_key(key, business, shards, k->key_suffix);
    snprintf(min_id, sizeof min_id, "%lld-0", (long long)ms);
    const char *argv[] = {"XTRIM", key, "MINID", min_id};
    redisReply *r = ctl_redis_command(rc, 4, argv, why, sizeof why);
    if (r == NULL)
        return ctl_fail("cannot trim %s: %s", key, why);
    printf("purged %lld dead %s(s) older than %s\n", r->type == REDIS_REPLY_INTEGER ? r->integer : 0,
           k->purged_noun, before);
    freeReplyObject(r);
    return CTL_EXIT_OK;
}

static int replay(redisContext *rc, const char *business, unsigned shards, const char *dead_id,
                  const struct dead_kind *k)
{
    const struct lua_script *s = lua_script_find(k->script);
    char dead[FD_KEY_MAX], target[FD_KEY_MAX], ready[FD_KEY_MAX], lease[FD_KEY_MAX], why[256];
    tenant_key(dead, business, shards, k->key_suffix);
    tenant_key(target, business, shards, k->target_suffix);
    shard_ready_key(ready, tenant_shard(business, shards));
    tenant_key(lease, business, shards, "lease");
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key(&a, dead);
    lua_args_key(&a, target);
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
        status = ctl_fail("no dead %s %s for business %s", k->noun, dead_id, business);
    freeReplyObject(r);
    return status;
}

/* Replays every entry, oldest first; stops at the first that fails. */
static int replay_all(redisContext *rc, const char *business, unsigned shards,
                      const struct dead_kind *k)
{
    char key[FD_KEY_MAX], why[256];
    tenant_key(key, business, shards, k->key_suffix);
    const char *argv[] = {"XRANGE", key, "-", "+"};
    redisReply *r = ctl_redis_command(rc, 4, argv, why, sizeof why);
    if (r == NULL)
        return ctl_fail("cannot read %s: %s", key, why);
    int status = CTL_EXIT_OK;
    for (size_t i = 0; i < r->elements && status == CTL_EXIT_OK; i++)
        status = replay(rc, business, shards, r->element[i]->element[0]->str, k);
    freeReplyObject(r);
    return status;
}

int ctl_dead(int argc, char **argv)
{
    static const char *const verbs[] = {"list", "show", "replay", "purge"};
    size_t verb = sizeof verbs / sizeof verbs[0];
    for (size_t v = 0; argc >= 2 && v < sizeof verbs / sizeof verbs[0]; v++)
        if (strcmp(argv[1], verbs[v]) == 0)
            verb = v;
    if (verb == sizeof verbs / sizeof verbs[0])
        return ctl_usage_error("dead: expected 'list', 'show', 'replay' or 'purge'");
    const char *business = NULL, *id = NULL, *before = NULL;
    bool is_all = false;
    const struct dead_kind *kind = &dead_events;
    for (int i = 2; i < argc;) {
        if (ctl_opt(argc, argv, &i, "--business", &business) || ctl_opt(argc, argv, &i, "--id", &id) ||
            ctl_opt(argc, argv, &i, "--before", &before))
            continue;
        if (strcmp(argv[i], "--all") == 0) {
            is_all = true;
            i++;
            continue;
        }
        if (strcmp(argv[i], "--outbox") == 0) {
            kind = &dead_outbox;
            i++;
            continue;
        }
        return ctl_usage_error("dead: unknown option '%s'", argv[i]);
    }
    char canon[FD_UUID_LEN + 1];
    if (business == NULL || !uuid_canonical(business, strlen(business), canon))
        return ctl_usage_error("dead: --business needs the business id (a UUID)");
    bool has_id = id != NULL && id[0] != '\0';
    if (verb == 1 && !has_id)
        return ctl_usage_error("dead show: --id needs a DEAD_ID from 'dead list'");
    if (verb == 2 && has_id == is_all)
        return ctl_usage_error("dead replay: --id DEAD_ID (from 'dead list') or --all");
    if (verb == 3 && (before == NULL || before[0] == '\0'))
        return ctl_usage_error("dead purge: --before needs a date (ISO 8601, e.g. 2026-03-01T00:00:00Z)");
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    char why[256];
    redisContext *rc = ctl_redis_connect(&cfg, why, sizeof why);
    if (rc == NULL)
        return ctl_fail("cannot reach Redis: %s", why);
    unsigned shards = (unsigned)cfg.shards;
    int status = verb == 0 ? list(rc, canon, shards, kind)
               : verb == 1 ? show(rc, canon, shards, id, kind)
               : verb == 3 ? purge(rc, canon, shards, before, kind)
               : is_all    ? replay_all(rc, canon, shards, kind)
                           : replay(rc, canon, shards, id, kind);
    redisFree(rc);
    return status;
}
