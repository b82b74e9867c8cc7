/* ops/ctl/outbox.c: `frontdesk-ctl outbox --business ID [--limit N]`: the records of one
 * business waiting in Redis for PostgreSQL (fd:{sNNN}:t:B:outbox, oldest first), as JSON:
 * how many there are, and the first N (default 20) with their row decoded. A record that
 * stays at the head while the count grows is the one PostgreSQL refuses (the workers'
 * log says why). */
#include <stdlib.h>
#include <string.h>

#include "core/mp_json.h"
#include "ctl.h"

static json_t *entry_json(const redisReply *e)
{
    const redisReply *fields = e->element[1];
    json_t *out = json_pack("{s:s}", "entry", e->element[0]->str);
    for (size_t i = 0; i + 1 < fields->elements; i += 2) {
        const redisReply *v = fields->element[i + 1];
        json_t *value = strcmp(fields->element[i]->str, "row") == 0 ? mp_json_decode(v->str, v->len) : NULL;
        if (value == NULL)
            value = json_stringn(v->str, v->len);
        json_object_set_new(out, fields->element[i]->str, value ? value : json_string("(not text)"));
    }
    return out;
}

int ctl_outbox(int argc, char **argv)
{
    const char *business = NULL, *limit_text = "20";
    for (int i = 1; i < argc;) {
        if (ctl_opt(argc, argv, &i, "--business", &business) || ctl_opt(argc, argv, &i, "--limit", &limit_text))
            continue;
        return ctl_usage_error("outbox: unknown option '%s'", argv[i]);
    }
    char canon[FD_UUID_LEN + 1];
    int limit = 0;
    if (business == NULL || !uuid_canonical(business, strlen(business), canon))
        return ctl_usage_error("outbox: --business needs the business id (a UUID)");
    if (limit_text == NULL || !config_parse_int(limit_text, 1, 10000, &limit))
        return ctl_usage_error("outbox: --limit takes a count from 1 to 10000");
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    char why[256], key[FD_KEY_MAX], count[16];
    redisContext *rc = ctl_redis_connect(&cfg, why, sizeof why);
    if (rc == NULL)
        return ctl_fail("cannot reach Redis: %s", why);
    tenant_key(key, canon, (unsigned)cfg.shards, "outbox");
    snprintf(count, sizeof count, "%d", limit);
    const char *xlen[] = {"XLEN", key}, *xrange[] = {"XRANGE", key, "-", "+", "COUNT", count};
    redisReply *n = ctl_redis_command(rc, 2, xlen, why, sizeof why);
    redisReply *r = n ? ctl_redis_command(rc, 6, xrange, why, sizeof why) : NULL;
    int status;
    if (r == NULL) {
        status = ctl_fail("cannot read %s: %s", key, why);
    } else {
        json_t *entries = json_array();
        for (size_t i = 0; i < r->elements; i++)
            json_array_append_new(entries, entry_json(r->element[i]));
        status = ctl_print_json(json_pack("{s:s, s:I, s:o}", "business_id", canon, "length",
                                          (json_int_t)n->integer, "first", entries));
    }
    freeReplyObject(n);
    freeReplyObject(r);
    redisFree(rc);
    return status;
}
