/* ops/ctl/unrouted.c: `frontdesk-ctl unrouted list|show|replay`: the signed webhooks no
 * business owned when they came (fd:unrouted, kept by the api, which answered them 200),
 * listed, one shown with its body decoded, and one put on its business's stream once
 * its number is registered (`numbers add`), or for a Stripe event once its customer is in
 * fd:stripe:customers, as the api would have: through lua/enqueue_event.lua,
 * de-duplicated on its event id, so replaying twice adds it once. A replayed entry leaves
 * fd:unrouted. */
#include <stdlib.h>
#include <string.h>

#include "billing/stripe_webhook_event.h"
#include "core/mp_json.h"
#include "ctl.h"
#include "store/event_enqueue.h"
#include "store/lua_scripts.h"

static const char *field(const redisReply *fields, const char *name, size_t *len)
{
    for (size_t i = 0; i + 1 < fields->elements; i += 2)
        if (strcmp(fields->element[i]->str, name) == 0) {
            if (len != NULL)
                *len = fields->element[i + 1]->len;
            return fields->element[i + 1]->str;
        }
    if (len != NULL)
        *len = 0;
    return "";
}

static int list(redisContext *rc)
{
    char why[256];
    const char *argv[] = {"XRANGE", FD_UNROUTED_KEY, "-", "+"};
    redisReply *r = ctl_redis_command(rc, 4, argv, why, sizeof why);
    if (r == NULL)
        return ctl_fail("cannot read %s: %s", FD_UNROUTED_KEY, why);
    printf("%-18s  %-22s  %-16s  %-36s  %s\n", "ID", "TYPE", "NUMBER", "EVENT_ID", "AT");
    for (size_t i = 0; i < r->elements; i++) {
        const redisReply *f = r->element[i]->element[1];
        const char *route = field(f, "number", NULL);   /* a Stripe event's is its customer */
        printf("%-18s  %-22s  %-16s  %-36s  %s\n", r->element[i]->element[0]->str, field(f, "type", NULL),
               route[0] != '\0' ? route : field(f, "customer", NULL), field(f, "eid", NULL),
               field(f, "at", NULL));
    }
    freeReplyObject(r);
    return CTL_EXIT_OK;
}

/* The entry with id, or NULL (printed) when there is none. Owned: freeReplyObject. */
static redisReply *read_entry(redisContext *rc, const char *id)
{
    char why[256];
    const char *argv[] = {"XRANGE", FD_UNROUTED_KEY, id, id};
    redisReply *r = ctl_redis_command(rc, 4, argv, why, sizeof why);
    if (r == NULL) {
        ctl_fail("cannot read %s: %s", FD_UNROUTED_KEY, why);
        return NULL;
    }
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 1) {
        freeReplyObject(r);
        ctl_fail("no unrouted entry %s", id);
        return NULL;
    }
    return r;
}

static int show(redisContext *rc, const char *id)
{
    redisReply *r = read_entry(rc, id);
    if (r == NULL)
        return CTL_EXIT_FAIL;
    const redisReply *f = r->element[0]->element[1];
    json_t *out = json_pack("{s:s}", "id", id);
    for (size_t i = 0; i + 1 < f->elements; i += 2) {
        const redisReply *v = f->element[i + 1];
        json_t *value = strcmp(f->element[i]->str, "body") == 0 ? mp_json_decode(v->str, v->len) : NULL;
        if (value == NULL)
            value = json_stringn(v->str, v->len);
        json_object_set_new(out, f->element[i]->str, value ? value : json_string("(neither MessagePack nor text)"));
    }
    freeReplyObject(r);
    return ctl_print_json(out);
}

/* The stream entry's ordering key, as the api derives it (lib/telnyx/telnyx_event.c):
 * a text's other party ("sms:<number>"), else the call's first id present. */
static void ordering_key(const char *type, const json_t *body, char *out, size_t len)
{
    const char *v = NULL;
    if (strncmp(type, STRIPE_STREAM_TYPE_PREFIX, strlen(STRIPE_STREAM_TYPE_PREFIX)) == 0) {
        snprintf(out, len, "%s", STRIPE_STREAM_CALL);
        return;
    }
    if (strcmp(type, "message.received") == 0) {
        v = json_string_value(json_object_get(body, "from"));
    } else if (strncmp(type, "message.", 8) == 0) {
        v = json_string_value(json_array_get(json_object_get(body, "to"), 0));
    } else {
        static const char *const ids[] = {"call_control_id", "call_leg_id", "call_session_id"};
        for (size_t i = 0; i < sizeof ids / sizeof ids[0] && (v == NULL || v[0] == '\0'); i++)
            v = json_string_value(json_object_get(body, ids[i]));
        snprintf(out, len, "%s", v ? v : "");
        return;
    }
    if (v != NULL && v[0] != '\0')
        snprintf(out, len, "sms:%s", v);
    else
        out[0] = '\0';
}

static int enqueue(redisContext *rc, const char *business, unsigned shards, const redisReply *f,
                   const char **new_id)
{
    size_t eid_len = 0, body_len = 0;
    const char *type = field(f, "type", NULL), *eid = field(f, "eid", &eid_len);
    const char *body = field(f, "body", &body_len);
    json_t *decoded = mp_json_decode(body, body_len);
    char call[192];
    ordering_key(type, decoded, call, sizeof call);
    json_decref(decoded);
    struct event_fields ev = {.type = type, .eid = eid, .eid_len = eid_len, .call = call,
                              .at = field(f, "at", NULL), .body = body, .body_len = body_len,
                              .seen_ttl_s = EVENT_SEEN_MARGIN_S};
    struct event_keys keys;
    struct lua_args a;
    lua_args_init(&a);
    char now_ms[32];
    const char *time_argv[] = {"TIME"};
    char why[256];
    redisReply *t = ctl_redis_command(rc, 1, time_argv, why, sizeof why);
    if (t == NULL)
        return ctl_fail("cannot read Redis's clock: %s", why);
    snprintf(now_ms, sizeof now_ms, "%lld", strtoll(t->element[0]->str, NULL, 10) * 1000 +
                                                strtoll(t->element[1]->str, NULL, 10) / 1000);
    freeReplyObject(t);
    event_enqueue_args(&a, &keys, business, tenant_shard(business, shards), strtoll(now_ms, NULL, 10), &ev);
    const char **argv;
    const size_t *lens;
    int argc = lua_args_command(&a, lua_script_find("enqueue_event"), false, &argv, &lens);
    if (argc == 0)
        return ctl_fail("the event does not fit one script call");
    redisReply *r = redisCommandArgv(rc, argc, argv, lens);
    if (r == NULL || r->type == REDIS_REPLY_ERROR) {
        int status = ctl_fail("cannot enqueue: %s", r ? r->str : rc->errstr);
        freeReplyObject(r);
        return status;
    }
    *new_id = r->type == REDIS_REPLY_STRING ? "added" : "already there (its event id was seen)";
    freeReplyObject(r);
    return CTL_EXIT_OK;
}

/* The business of a Stripe event's entry, by the api's rule (api/stripe_webhook.c): the
 * customer's in fd:stripe:customers, which must agree with the business the event names,
 * else the one it names. False with why when there is none (yet). */
static bool stripe_business(redisContext *rc, const redisReply *f, char out[FD_UUID_LEN + 1],
                            char *why, size_t why_len)
{
    size_t body_len = 0;
    const char *body = field(f, "body", &body_len);
    json_t *decoded = mp_json_decode(body, body_len);
    const json_t *raw = json_object_get(decoded, STRIPE_STREAM_BODY_EVENT);
    struct stripe_webhook_event ev;
    const char *bad = "no event in its body";
    char mapped[FD_UUID_LEN + 1] = "";
    bool is_found = false;
    if (!json_is_string(raw) || stripe_webhook_event_parse(json_string_value(raw),
                                                           json_string_length(raw), &ev,
                                                           &bad) != APP_OK) {
        snprintf(why, why_len, "its body is not a Stripe event (%s)", bad);
        goto out_decref;
    }
    if (ev.customer[0] != '\0') {
        const char *hget[] = {"HGET", FD_STRIPE_CUSTOMERS_KEY, ev.customer};
        char rwhy[192];
        redisReply *r = ctl_redis_command(rc, 3, hget, rwhy, sizeof rwhy);
        if (r == NULL) {
            snprintf(why, why_len, "cannot read %s: %s", FD_STRIPE_CUSTOMERS_KEY, rwhy);
            goto out_decref;
        }
        if (r->type != REDIS_REPLY_STRING || !uuid_canonical(r->str, r->len, mapped))
            mapped[0] = '\0';
        freeReplyObject(r);
    }
    if (mapped[0] != '\0' && ev.business_id[0] != '\0' && strcmp(mapped, ev.business_id) != 0) {
        snprintf(why, why_len, "it names business %s but customer %s is business %s's",
                 ev.business_id, ev.customer, mapped);
    } else if (mapped[0] != '\0' || ev.business_id[0] != '\0') {
        memcpy(out, mapped[0] != '\0' ? mapped : ev.business_id, FD_UUID_LEN + 1);
        is_found = true;
    } else {
        snprintf(why, why_len, "no business has customer '%s' yet (%s)", ev.customer,
                 FD_STRIPE_CUSTOMERS_KEY);
    }
out_decref:
    json_decref(decoded);
    return is_found;
}

static int replay(redisContext *rc, unsigned shards, const char *id)
{
    redisReply *r = read_entry(rc, id);
    if (r == NULL)
        return CTL_EXIT_FAIL;
    const redisReply *f = r->element[0]->element[1];
    const char *number = field(f, "number", NULL);
    char why[384];
    int status = CTL_EXIT_OK;
    const char *what = NULL;
    char business[FD_UUID_LEN + 1];
    redisReply *owner = NULL;
    if (strncmp(field(f, "type", NULL), STRIPE_STREAM_TYPE_PREFIX,
                strlen(STRIPE_STREAM_TYPE_PREFIX)) == 0) {
        if (!stripe_business(rc, f, business, why, sizeof why))
            status = ctl_fail("%s; entry %s stays", why, id);
    } else {
        const char *hget[] = {"HGET", FD_NUMBERS_KEY, number};
        owner = ctl_redis_command(rc, 3, hget, why, sizeof why);
        if (owner == NULL || owner->type != REDIS_REPLY_STRING ||
            !uuid_canonical(owner->str, owner->len, business))
            status = ctl_fail("no business has number '%s' yet: register it (numbers add) and "
                              "replay again; entry %s stays", number, id);
    }
    if (status == CTL_EXIT_OK && (status = enqueue(rc, business, shards, f, &what)) == CTL_EXIT_OK) {
        const char *xdel[] = {"XDEL", FD_UNROUTED_KEY, id};
        redisReply *d = ctl_redis_command(rc, 3, xdel, why, sizeof why);
        freeReplyObject(d);
        printf("%s: %s to business %s\n", id, what, business);
    }
    freeReplyObject(owner);
    freeReplyObject(r);
    return status;
}

int ctl_unrouted(int argc, char **argv)
{
    static const char *const verbs[] = {"list", "show", "replay"};
    size_t verb = sizeof verbs / sizeof verbs[0];
    for (size_t v = 0; argc >= 2 && v < sizeof verbs / sizeof verbs[0]; v++)
        if (strcmp(argv[1], verbs[v]) == 0)
            verb = v;
    if (verb == sizeof verbs / sizeof verbs[0])
        return ctl_usage_error("unrouted: expected 'list', 'show --id ID' or 'replay --id ID'");
    const char *id = NULL;
    for (int i = 2; i < argc;) {
        if (ctl_opt(argc, argv, &i, "--id", &id))
            continue;
        return ctl_usage_error("unrouted: unknown option '%s'", argv[i]);
    }
    if (verb != 0 && (id == NULL || id[0] == '\0'))
        return ctl_usage_error("unrouted %s: --id needs an ID from 'unrouted list'", verbs[verb]);
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    char why[256];
    redisContext *rc = ctl_redis_connect(&cfg, why, sizeof why);
    if (rc == NULL)
        return ctl_fail("cannot reach Redis: %s", why);
    int status = verb == 0 ? list(rc) : verb == 1 ? show(rc, id) : replay(rc, (unsigned)cfg.shards, id);
    redisFree(rc);
    return status;
}
