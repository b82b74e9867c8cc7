/* lib/store/event_enqueue.h: the keys and arguments of lua/enqueue_event.lua, which puts
 * one event on a tenant's stream (de-duplicated on its event id, appended, the tenant
 * marked ready when no worker owns it, its owner notified). Every producer of events
 * builds its call here: the webhook front end (api/webhook.c) for Telnyx's events, and
 * frontdesk-web for the owner API's requests to the owning worker. */
#ifndef FD_EVENT_ENQUEUE_H
#define FD_EVENT_ENQUEUE_H
#include <stddef.h>

#include "store/lua_args.h"
#include "store/tenant_keys.h"

/* How long an event id is remembered beyond the window in which its sender's signature
 * is accepted: a sender's retries (Telnyx's within a minute, Stripe's each freshly
 * signed) fall inside it, and a captured request replayed after it is refused by its
 * stale timestamp, so remembering longer only costs Redis memory. */
#define EVENT_SEEN_MARGIN_S 600

/* The stream entry's fields (docs/design.md, "Stream entry fields"), all borrowed. */
struct event_fields {
    const char *type;               /* "call.initiated", "owner.booking_cancel", ... */
    const char *eid;                /* the id the event is de-duplicated on */
    size_t eid_len;
    const char *call;               /* the ordering key; "" for none */
    const char *at;                 /* ISO 8601 */
    const char *body;               /* MessagePack */
    size_t body_len;
    int seen_ttl_s;                 /* how long eid is remembered: the sender's signature
                                       tolerance + EVENT_SEEN_MARGIN_S */
};

/* The script's keys, written by event_enqueue_args in the caller's storage. */
struct event_keys {
    char seen[FD_KEY_MAX], events[FD_KEY_MAX], ready[FD_KEY_MAX], lease[FD_KEY_MAX];
};

/* Appends to a (just initialised) the keys and arguments that enqueue f for
 * business_id (canonical) in shard `shard` (tenant_shard), received at now_ms. keys and
 * f's strings must outlive the send (lua_args borrows them). */
void event_enqueue_args(struct lua_args *a, struct event_keys *keys, const char *business_id,
                        unsigned shard, long long now_ms, const struct event_fields *f);

#endif
