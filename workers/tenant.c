/* workers/tenant.c: the lifetime of an owned tenant. Callbacks of Redis, PostgreSQL
 * and Telnyx requests hold a reference, so a tenant dropped while they are in flight
 * (lease lost, released) is freed only when the last of them has returned; each of them
 * checks tenant_is_owned() before acting. */
#include <stdlib.h>

#include "agent/agent_config.h"
#include "worker.h"

void tenant_ref(struct tenant *t)
{
    t->refs++;
}

void tenant_unref(struct tenant *t)
{
    if (--t->refs > 0)
        return;
    call_runner_free_all(t);
    agent_config_free(t->config);
    agent_config_free(t->config_pending);
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
    if (t->mode == TENANT_LOST)
        return;
    t->mode = TENANT_LOST;
    unlink_tenant(t);
    tenant_unref(t);   /* the owner's reference */
}

