/* lib/store/outbox_refusal.c: see outbox_refusal.h. Refusals are rare (a bug in a record
 * or a schema that disagrees with the worker), so a round trip per refusal is cheap. */
#include "store/outbox_refusal.h"

#include <stdio.h>
#include <string.h>

#include "store/lua_args.h"
#include "store/lua_scripts.h"
#include "store/tenant_keys.h"

bool outbox_refusal_is_data_error(const char *sqlstate)
{
    return sqlstate != NULL && strlen(sqlstate) == 5 &&
           (strncmp(sqlstate, "22", 2) == 0 || strncmp(sqlstate, "23", 2) == 0 ||
            strncmp(sqlstate, "42", 2) == 0);
}

void outbox_refusal_count(struct redis_conn *redis, unsigned shards, const char *business_id,
                          const char *entry_id, const char *why, const char *sqlstate,
                          int max_refusals, int timeout_ms, redis_reply_fn cb, void *arg)
{
    char outbox[FD_KEY_MAX], counts[FD_KEY_MAX], dead[FD_KEY_MAX];
    tenant_key(outbox, business_id, shards, "outbox");
    tenant_key(counts, business_id, shards, "outbox_refusals");
    tenant_key(dead, business_id, shards, "outbox_dead");
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key(&a, outbox);
    lua_args_key(&a, counts);
    lua_args_key(&a, dead);
    lua_args_arg(&a, entry_id);
    lua_args_arg(&a, why);
    lua_args_arg(&a, sqlstate);
    lua_args_int(&a, max_refusals);
    lua_args_int(&a, OUTBOX_REFUSAL_TTL_MS);
    lua_args_send(&a, redis, lua_script_find("outbox_refuse"), timeout_ms, cb, arg);
}

bool outbox_refusal_read(const redisReply *reply, long long *refusals, char *dead_id,
                         size_t dead_id_len)
{
    if (reply == NULL || reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 ||
        reply->element[0]->type != REDIS_REPLY_INTEGER ||
        reply->element[1]->type != REDIS_REPLY_STRING)
        return false;
    *refusals = reply->element[0]->integer;
    snprintf(dead_id, dead_id_len, "%s", reply->element[1]->str);
    return true;
}
