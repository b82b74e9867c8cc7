/* workers/tenant.c: the lifetime of an owned tenant, and its key names. Callbacks of
 * Redis, PostgreSQL and Telnyx requests hold a reference, so a tenant dropped while they
 * are in flight (lease lost, released) is freed only when the last of them has returned;
 * each of them checks tenant_is_owned() before acting. */
#include <stdio.h>
#include <stdlib.h>

#include "agent/agent_config.h"
#include "calendar/wall_clock.h"
#include "tenant.h"
#include "worker.h"

void tenant_keys_make(struct tenant_keys *k, const char *business_id, unsigned shards)
{
    unsigned shard = tenant_shard(business_id, shards);
    tenant_events_key(k->events, business_id, shards);
    tenant_key(k->lease, business_id, shards, "lease");
    tenant_key(k->epoch, business_id, shards, "epoch");
    tenant_key(k->outbox, business_id, shards, "outbox");
    tenant_key(k->timers, business_id, shards, "timers");
    tenant_key(k->attempts, business_id, shards, "attempts");
    tenant_key(k->dead, business_id, shards, "dead");
    tenant_key(k->agent, business_id, shards, "agent");
    tenant_key(k->sms, business_id, shards, "sms");
    tenant_key(k->sms_optout, business_id, shards, "sms_optout");
    tenant_key(k->sms_later, business_id, shards, "sms_later");
    tenant_key(k->sms_once, business_id, shards, "sms_once");
    tenant_key(k->sms_ids, business_id, shards, "sms_ids");
    snprintf(k->owned, FD_KEY_MAX, "fd:{s%03u}:owned", shard);
    shard_ready_key(k->ready, shard);
    snprintf(k->alive, FD_KEY_MAX, "fd:{s%03u}:alive", shard);
    snprintf(k->owners, FD_KEY_MAX, "fd:{s%03u}:owners", shard);
}

const char *tenant_fence_value(const struct tenant *t)
{
    /* no lease value is empty, so a fenced script answers FENCED */
    return liveness_holds(t->w, t->shard, worker_mono_ms()) ? t->lease.value : "";
}

struct booking_tenant tenant_booking_view(const struct tenant *t)
{
    const struct worker *w = t->w;
    return (struct booking_tenant){t->id, (unsigned)w->cfg.shards, tenant_fence_value(t),
                                   worker_now_ms() - wall_clock_now_ms(w->clock)};
}

void tenant_ref(struct tenant *t)
{
    t->refs++;
}

void tenant_unref(struct tenant *t)
{
    if (--t->refs > 0)
        return;
    call_runner_free_all(t);
    agent_config_free(t->agent.config);
    agent_config_free(t->agent.pending);
    free(t);
}

static void unlink_tenant(struct tenant *t)
{
    struct worker *w = t->w;
    for (struct tenant **pp = &w->tenants; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == t) {
            *pp = t->next;
            w->owned--;
            return;
        }
    }
}

void tenant_drop(struct tenant *t)
{
    if (t->lease.mode == TENANT_LOST)
        return;
    t->lease.mode = TENANT_LOST;
    unlink_tenant(t);
    tenant_unref(t);   /* the owner's reference */
}

