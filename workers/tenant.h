/* workers/tenant.h: one tenant this worker owns, in parts, each written by one file and
 * read by the few that need it:
 *
 *   keys     the names of its Redis keys          made by ownership.c at the claim
 *   lease    its fenced lease and upkeep          ownership.c (tenant.c drops it)
 *   reading  its stream reads, events in hand     reader.c; the call runner counts parked
 *   agent    its receptionist configuration       agent_cache.c; the call runner counts
 *                                                 handling; calls and tools read it
 *   billing  its billing state, as last loaded    agent_cache.c; stripe_events.c applies
 *                                                 Stripe's events; billing_gate.c reads it
 *   sms      the texts its commits queued         sms_sender.c; call_commit.c says some wait
 *   calls    its calls                            call_list.c
 *
 * A tenant is created by ownership.c when a claim succeeds and freed by tenant_unref
 * when the last asynchronous operation that points at it has returned (tenant.c). */
#ifndef FD_TENANT_H
#define FD_TENANT_H
#include <stdbool.h>

#include "billing/billing_state.h"
#include "booking/booking_hold.h"
#include "call/call_flow.h"
#include "store/tenant_keys.h"

struct worker;
struct call_ctx;
struct agent_config;
struct tz;

/* The names of the tenant's keys, all in its shard's hash tag but owned and ready,
 * which are its shard's (docs/design.md, docs/worker.md). */
struct tenant_keys {
    char events[FD_KEY_MAX], lease[FD_KEY_MAX], outbox[FD_KEY_MAX], timers[FD_KEY_MAX],
        attempts[FD_KEY_MAX], dead[FD_KEY_MAX], agent[FD_KEY_MAX], owned[FD_KEY_MAX],
        ready[FD_KEY_MAX], epoch[FD_KEY_MAX], sms[FD_KEY_MAX], sms_optout[FD_KEY_MAX],
        sms_later[FD_KEY_MAX], sms_once[FD_KEY_MAX], sms_ids[FD_KEY_MAX], alive[FD_KEY_MAX], owners[FD_KEY_MAX];
};

/* Fills k for business_id on a deployment of shards shards. */
void tenant_keys_make(struct tenant_keys *k, const char *business_id, unsigned shards);

enum tenant_mode { TENANT_ACTIVE, TENANT_SHEDDING, TENANT_LOST };

struct tenant_lease {
    char value[192];               /* sent with every fenced script */
    enum tenant_mode mode;         /* LOST once dropped: every callback checks it */
    long long last_trim_ms;
    bool is_handover;              /* released: for another worker to take at once */
};

struct tenant_reading {
    bool is_reading;               /* an XREADGROUP is in flight */
    bool is_wanted;                /* read again when the current read returns */
    bool is_replaying;             /* the next read replays our pending entries ... */
    char replay_after[64];         /* ... those after this id ("0" at first) */
    int inflight;                  /* events read and not yet committed */
    int parked;                    /* ... of which failed and waiting for a retry */
    long long last_activity_ms;
    long long next_read_ms;        /* poll time when no notification comes */
};

struct tenant_agent {
    struct agent_view view;        /* what the call flow reads, derived from config */
    struct agent_config *config;   /* owned: the parsed document, NULL if none or invalid */
    const struct tz *tz;           /* the business's time zone, borrowed from w->tzs */
    struct agent_config *pending;  /* owned: arrived while calls used config */
    int handling;                  /* events being handled; config swaps wait for 0 */
    bool is_loaded;                /* from Redis or PostgreSQL */
    bool is_loading;
    long long loaded_ms;
};

/* The business's billing (docs/billing.md, "States"), loaded with its configuration from
 * businesses (billing_state, past_due_since, billing_state_at) and its first number. */
struct tenant_billing {
    enum billing_state state;
    long long past_due_since_ms;   /* 0: not past due */
    long long state_at_ms;         /* Stripe's `created` of the event that set state; 0: none */
    char number[32];               /* the business's number, texts to the owner come from it */
    /* A Stripe event committed: the configuration is loaded again once the outbox has
     * written its row (the row's trigger moves the state), or after a bound. */
    bool is_reload_wanted;
    long long reload_asked_ms;     /* worker_mono_ms() */
    bool is_past_due_noticed;      /* the owner has been texted in this past_due episode */
};

struct tenant_sms {
    bool has_waiting;              /* texts may be waiting in keys.sms */
    bool is_listing;               /* an XRANGE of keys.sms is out */
    int in_flight;                 /* texts of the batch not done with yet */
    bool is_backing_off;           /* a send failed: the next batch waits for the tick */
    int later;                     /* texts waiting for their time (sms_later), as last seen */
    long long later_due_ms;        /* when the first of them is due (the receptionist's clock) */
};

struct tenant {
    struct worker *w;
    char id[FD_UUID_LEN + 1];
    unsigned shard;
    struct tenant_keys keys;
    struct tenant_lease lease;
    struct tenant_reading reading;
    struct tenant_agent agent;
    struct tenant_billing billing;
    struct tenant_sms sms;
    struct call_ctx *calls;        /* calls with work or live state, a list */
    int refs;                      /* async operations that point at this tenant, +1
                                      while owned; freed at 0 (tenant_unref) */
    struct tenant *next;           /* the worker's list of owned tenants */
    struct tenant *next_unreleased;    /* the worker's list of releases to send again */
};

void tenant_ref(struct tenant *t);
void tenant_unref(struct tenant *t);              /* frees a dropped tenant at 0 */
void tenant_drop(struct tenant *t);            /* forget locally (lease lost or released) */
static inline bool tenant_is_owned(const struct tenant *t) { return t->lease.mode != TENANT_LOST; }
/* The lease value a fenced script is to compare: ours while our liveness in the shard is
 * certain, else one no lease equals, so that a worker woken from a pause past its
 * liveness is refused (FENCED) before it changes anything. Borrowed from t. */
const char *tenant_fence_value(const struct tenant *t);
/* The tenant as the booking scripts see it (lib/booking/booking_hold.h): its id, the
 * shard count, our lease and the expiry shift of the receptionist's clock. Borrows t. */
struct booking_tenant tenant_booking_view(const struct tenant *t);

/* billing_gate.c */
/* Whether the business takes new bookings at now_ms (the receptionist's clock): its
 * billing state, past_due counting as unpaid once FRONTDESK_BILLING_GRACE_DAYS passed. */
bool tenant_takes_bookings(const struct tenant *t, long long now_ms);
/* cfg as the receptionist must read it while the business takes no bookings: the same
 * configuration with booking disabled, in out (a shallow copy: it borrows cfg's parts
 * and lives no longer than cfg). */
void tenant_config_without_bookings(const struct agent_config *cfg, struct agent_config *out);

#endif
