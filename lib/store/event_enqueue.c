/* lib/store/event_enqueue.c: see event_enqueue.h. The argument order is the script's
 * header (lua/enqueue_event.lua). */
#include "store/event_enqueue.h"

void event_enqueue_args(struct lua_args *a, struct event_keys *keys, const char *business_id,
                        unsigned shard, long long now_ms, const struct event_fields *f)
{
    lua_args_key_len(a, keys->seen, tenant_seen_key_at(keys->seen, shard, business_id, f->eid,
                                                       f->eid_len));
    lua_args_key_len(a, keys->events, tenant_key_at(keys->events, shard, business_id, "events"));
    lua_args_key_len(a, keys->ready, shard_ready_key(keys->ready, shard));
    lua_args_key_len(a, keys->lease, tenant_key_at(keys->lease, shard, business_id, "lease"));
    lua_args_arg(a, business_id);
    lua_args_int(a, now_ms);
    lua_args_int(a, f->seen_ttl_s);
    lua_args_arg(a, f->type);
    lua_args_arg_len(a, f->eid, f->eid_len);
    lua_args_arg(a, f->call);
    lua_args_arg(a, f->at);
    lua_args_arg_len(a, f->body, f->body_len);
}
