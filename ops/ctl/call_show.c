/* ops/ctl/call_show.c: `frontdesk-ctl call show --business ID --call CALL_ID`: one call as
 * the workers keep it in Redis (fd:{sNNN}:t:B:call:<id>), every field, as JSON: the
 * receptionist's memory (`rx`, MessagePack), model mode's conversation (`llm`, JSON) and
 * the Telnyx commands committed and not yet all sent (`commands`, JSON) decoded, and who
 * owns the business now. For an operator looking into one live call. */
#include <stdlib.h>
#include <string.h>

#include "core/mp_json.h"
#include "ctl.h"

static json_t *field_value(const char *name, const redisReply *v)
{
    json_t *out = NULL;
    if (strcmp(name, "rx") == 0)
        out = mp_json_decode(v->str, v->len);
    else if (strcmp(name, "llm") == 0 || strcmp(name, "commands") == 0)
        out = json_loadb(v->str, v->len, 0, NULL);
    if (out == NULL)
        out = json_stringn(v->str, v->len);
    return out ? out : json_string("(not text)");
}

static int show(redisContext *rc, const char *business, unsigned shards, const char *call)
{
    char key[FD_KEY_MAX], lease[FD_KEY_MAX], suffix[FD_KEY_MAX], why[256];
    snprintf(suffix, sizeof suffix, "call:%s", call);
    tenant_key(key, business, shards, suffix);
    tenant_key(lease, business, shards, "lease");
    const char *hgetall[] = {"HGETALL", key}, *get[] = {"GET", lease};
    redisReply *h = ctl_redis_command(rc, 2, hgetall, why, sizeof why);
    if (h == NULL)
        return ctl_fail("cannot read %s: %s", key, why);
    if (h->type != REDIS_REPLY_ARRAY || h->elements == 0) {
        freeReplyObject(h);
        return ctl_fail("no call %s of business %s in Redis (ended calls leave after "
                        "FRONTDESK_CALL_STATE_TTL_S; their records are in PostgreSQL)", call, business);
    }
    json_t *state = json_object();
    for (size_t i = 0; i + 1 < h->elements; i += 2)
        json_object_set_new(state, h->element[i]->str, field_value(h->element[i]->str, h->element[i + 1]));
    freeReplyObject(h);
    redisReply *owner = ctl_redis_command(rc, 2, get, why, sizeof why);
    json_t *out = json_pack("{s:s, s:s, s:o, s:o}", "business_id", business, "call", call, "owner",
                            owner && owner->type == REDIS_REPLY_STRING ? json_string(owner->str) : json_null(),
                            "state", state);
    freeReplyObject(owner);
    return ctl_print_json(out);
}

int ctl_call(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "show") != 0)
        return ctl_usage_error("call: expected 'show --business ID --call CALL_ID'");
    const char *business = NULL, *call = NULL;
    for (int i = 2; i < argc;) {
        if (ctl_opt(argc, argv, &i, "--business", &business) || ctl_opt(argc, argv, &i, "--call", &call))
            continue;
        return ctl_usage_error("call show: unknown option '%s'", argv[i]);
    }
    char canon[FD_UUID_LEN + 1];
    if (business == NULL || !uuid_canonical(business, strlen(business), canon))
        return ctl_usage_error("call show: --business needs the business id (a UUID)");
    if (call == NULL || call[0] == '\0' || strlen(call) > 200)
        return ctl_usage_error("call show: --call needs the call's call_control_id (see 'calls')");
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    char why[256];
    redisContext *rc = ctl_redis_connect(&cfg, why, sizeof why);
    if (rc == NULL)
        return ctl_fail("cannot reach Redis: %s", why);
    int status = show(rc, canon, (unsigned)cfg.shards, call);
    redisFree(rc);
    return status;
}
