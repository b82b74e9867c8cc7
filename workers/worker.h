/* workers/worker.h: the state of one frontdesk-worker process, shared by its files.
 *
 * A worker owns some tenants through fenced leases (ownership.c), reads each owned
 * tenant's stream in rounds of at most a quantum of events (reader.c), hands events to
 * their call, where they are applied one at a time in stream order (call_runner.c), and
 * commits each event's Redis effects in one fenced script. Nothing here is needed after
 * a crash: everything a replacement needs is in Redis. */
#ifndef FD_WORKER_H
#define FD_WORKER_H
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "billing/stripe_config.h"
#include "core/config.h"
#include "core/metrics.h"
#include "store/tenant_keys.h"

struct event_base;
struct event;
struct evhttp;
struct conn_guards;
struct redis_conn;
struct redis_sub;
struct telnyx_client;
struct pg_conn;
struct outbox_drain;
struct lua_script;
struct llm_turns;
struct number_orders;
struct billing_jobs;
struct retention_daily;
struct tz_cache;
struct wall_clock;

struct worker_config {
    char worker_id[128];          /* FRONTDESK_WORKER_ID: host name and a boot nonce */
    char listen_host[64];         /* FRONTDESK_WORKER_LISTEN, default 127.0.0.1:9090 */
    int listen_port;
    char telnyx_api_url[512];     /* FRONTDESK_TELNYX_API_URL */
    char telnyx_api_key[512];     /* FRONTDESK_TELNYX_API_KEY */
    /* number provisioning (workers/number_orders.c): both set, or none ("" = off) */
    char telnyx_connection_id[128];        /* FRONTDESK_TELNYX_CONNECTION_ID */
    char telnyx_messaging_profile_id[128]; /* FRONTDESK_TELNYX_MESSAGING_PROFILE_ID */
    int number_lease_ms;          /* FRONTDESK_NUMBER_LEASE_MS, default 60000 */
    int billing_lease_ms;         /* FRONTDESK_BILLING_LEASE_MS: a claimed Stripe job, 60000 */
    int retention_days;           /* FRONTDESK_RETENTION_DAYS: transcripts and texts kept, 365;
                                     0 keeps them forever (workers/retention_daily.c) */
    char transcription_engine[32];/* FRONTDESK_TRANSCRIPTION_ENGINE, default Google */
    int liveness_ms;              /* FRONTDESK_LIVENESS_MS, default 1000 */
    int quantum;                  /* FRONTDESK_QUANTUM: events per tenant per round, 32 */
    int max_deliveries;           /* FRONTDESK_MAX_DELIVERIES, default 5 */
    int silence_ms;               /* FRONTDESK_SILENCE_MS, default 8000 */
    int idle_release_ms;          /* FRONTDESK_IDLE_RELEASE_MS, default 30000 */
    int call_state_ttl_s;         /* FRONTDESK_CALL_STATE_TTL_S, default 3600 */
    int sms_idle_s;               /* FRONTDESK_SMS_IDLE_S: a text conversation's idle life, 86400 */
    int sms_gather_ms;            /* FRONTDESK_SMS_GATHER_MS: texts answered together, 2000 */
    int sms_quiet_ms;             /* FRONTDESK_SMS_QUIET_MS: quiet this long, a conversation is
                                     analysed (once), 900000 */
    /* One business's outbox must not fill Redis for all (docs/design.md, "Bounded stores") */
    int outbox_high_water;        /* FRONTDESK_OUTBOX_HIGH_WATER: entries; alerted, 20000 */
    int outbox_max;               /* FRONTDESK_OUTBOX_MAX: entries past which the business
                                     waits while Redis is short of room, 200000; 0 never */
    int outbox_reserve_pct;       /* FRONTDESK_OUTBOX_RESERVE_PCT: share of maxmemory kept for
                                     businesses under the cap, 20 */
    /* model mode (workers/llm_turns.c): all three set, or none ("" = off) */
    char llm_url[512];            /* FRONTDESK_LLM_URL, e.g. https://api.openai.com/v1 */
    char llm_api_key[512];        /* FRONTDESK_LLM_API_KEY */
    char llm_model[128];          /* FRONTDESK_LLM_MODEL */
    int llm_budget_ms;            /* FRONTDESK_LLM_BUDGET_MS, default 2500 */
};

/* Reads the worker's own variables; prints the reason and exits 2 when one is wrong. */
void worker_config_load_or_exit(struct worker_config *out);

struct worker_metrics {
    unsigned long long events[2][64];      /* [ok|failed][type slot] */
    struct metrics_histogram handler_latency;
    struct metrics_histogram turn_latency;  /* a transcription's arrival to our speak request */
    unsigned long long dead_letters;
    unsigned long long fenced;
    unsigned long long outbox_full;        /* commits put off: outbox at its cap, Redis short */
    unsigned long long leases_acquired, leases_lost, leases_released;
    unsigned long long redis_failures;
    /* What callers got, counted when the event that did it commits. */
    unsigned long long calls_ended[5];      /* by outcome: worker_metrics.c's call_outcomes */
    unsigned long long transfers, bookings, messages, texts;
};

struct tenant;                  /* an owned tenant: tenant.h */

#define WORKER_MAX_CANDIDATES 64

struct candidate {
    char id[FD_UUID_LEN + 1];
    long long since_ms;
};

struct worker {
    struct fd_config cfg;
    struct worker_config wcfg;
    struct stripe_config stripe;   /* billing's settings (lib/billing/stripe_config.h) */
    struct event_base *base;
    struct redis_conn *redis;
    struct redis_sub *sub;
    struct telnyx_client *telnyx;
    struct pg_conn *pg;
    struct outbox_drain *drain;
    struct evhttp *http;
    struct conn_guards *http_guards;  /* bounds the metrics listener's clients */
    struct tz_cache *tzs;          /* time zones of the businesses, loaded once each */
    struct wall_clock *clock;      /* the receptionist's clock (FRONTDESK_NOW) */
    struct llm_turns *llm;         /* model mode (workers/llm_turns.c), NULL when off */
    struct number_orders *numbers; /* provisioning (workers/number_orders.c), NULL when off */
    struct billing_jobs *billing;  /* Stripe jobs (workers/billing_jobs.c), NULL when off */
    struct retention_daily *retention; /* workers/retention_daily.c, NULL when off */
    struct worker_metrics metrics;
    const struct lua_script *acquire_script, *alive_script, *release_script, *commit_script,
        *dead_letter_script, *count_delivery_script, *read_script, *commands_sent_script;
    struct tenant *tenants;        /* owned tenants, a list */
    struct tenant *unreleased;     /* given up, their release unanswered: sent again */
    int owned;
    int claiming;                  /* acquire scripts in flight */
    int fair_share;                /* tenants this worker should own at most */
    struct candidate candidates[WORKER_MAX_CANDIDATES];   /* notified, unowned, to claim soon */
    int ncandidates;
    int live_workers;
    long long backlog_events;      /* gauges for autoscaling, from the last survey */
    long long backlog_tenants;
    long long oldest_wait_ms;
    bool is_draining;
    struct event *tick;            /* 100 ms housekeeping */
    struct event *drain_poll;      /* after SIGTERM: leaves once events in hand committed */
    long long last_heartbeat_ms, last_survey_ms, last_scan_ms;
    char boot_nonce[33];           /* random per process: tells our liveness from a
                                      predecessor's that had the same worker id */
    long long last_alive_ms;       /* when worker_alive.lua last went out */
    bool has_left;                 /* stopping: out of every shard, renews no more */
    long long *alive_until_ms;     /* per shard: until when (monotonic ms) our liveness
                                      there is certain; 0 before the first renewal */
    struct {                       /* Redis's memory, read every second (redis_room.c) */
        long long used, max;       /* bytes; max 0: no maxmemory */
        bool is_short;             /* within FRONTDESK_OUTBOX_RESERVE_PCT of max */
        bool is_asking;
        long long last_ms;
    } room;
};

/* redis_room.c */
/* Reads Redis's used memory and maxmemory once a second. */
void redis_room_tick(struct worker *w, long long now_ms);
/* False while t's outbox holds FRONTDESK_OUTBOX_MAX entries or more and Redis is short of
 * room: its events wait (worker_commit.lua would refuse them), so that nothing is sent to
 * Telnyx for a step that cannot be committed. */
bool redis_room_lets(const struct tenant *t);

/* ownership.c */
void ownership_tick(struct worker *w, long long now_ms);
void ownership_try_claim(struct worker *w, const char *business_id);
void ownership_note_unowned(struct worker *w, const char *business_id);
void ownership_release_all(struct worker *w);
void ownership_free_unreleased(struct worker *w);   /* at exit */
/* Gives the tenant up: releases its lease (if still ours) and drops it here. Every
 * path that stops owning a tenant goes through it: a lease has no expiry, so one left
 * behind by a live worker would never be freed. */
void ownership_release(struct tenant *t, const char *why);
void ownership_leave(struct worker *w);        /* out of fd:workers, when stopping */
struct tenant *worker_find_tenant(struct worker *w, const char *business_id);

/* liveness.c */
/* Renews this worker's liveness in every shard several times a second (also while
 * draining) and frees dead workers' tenants; drops the tenants of a shard where our own
 * liveness lapsed. */
void liveness_tick(struct worker *w, long long now_ms);
/* Whether our liveness in shard is certain at now_ms (monotonic): false once it may have
 * lapsed, when another worker may own our tenants there. */
bool liveness_holds(const struct worker *w, unsigned shard, long long now_ms);
void liveness_leave(struct worker *w);          /* out of every shard, when stopping */

/* reader.c */
void reader_want(struct tenant *t);            /* read the stream soon */
void reader_tick(struct worker *w, long long now_ms);
void reader_event_done(struct tenant *t);      /* an event was committed or dead-lettered */
/* The stream has pending entries and we hold none: a read reply was lost, or a fault
 * left them there. Replays them (only when nothing is in hand). */
void reader_replay_pending(struct tenant *t);

/* call_runner.c */
struct stream_event {
    char entry_id[64];
    char type[65], eid[129], call[192], at[64];
    char *body;                    /* owned */
    size_t body_len;
    int deliveries;
    int unavailable_tries;             /* failures of a dependency, not counted */
    bool is_timer;
    bool is_agent_checked;         /* call.initiated: the configuration cache was checked */
    long long timer_due_ms;
    struct timespec handle_start;  /* when its handling began, for the latency histogram */
};
void call_runner_dispatch(struct tenant *t, struct stream_event *ev);   /* takes ownership */
void call_runner_load_timers(struct tenant *t);
bool call_runner_has_live_calls(const struct tenant *t);
bool call_runner_is_sending(const struct tenant *t);       /* a Telnyx command on its way */
void call_runner_free_all(struct tenant *t);

/* agent_cache.c */
void agent_cache_ensure(struct tenant *t);     /* loads the agent if missing or stale */
/* Swaps in a configuration that arrived while events were being handled. */
void agent_cache_settle(struct tenant *t);
/* A Stripe event committed: drains the tenant's outbox now and loads the configuration
 * (and billing state) again from PostgreSQL once the drain has written the event's row,
 * replacing the cached copy in memory and in Redis. */
void agent_cache_reload_after_drain(struct tenant *t);

/* sms_sender.c: sends the texts owned tenants' events queued, each once */
void sms_sender_tick(struct worker *w);
/* Sends what the tenant's commits queued now, rather than at the next tick (a commit
 * that queued texts, a batch answered). */
void sms_sender_kick(struct tenant *t);

/* worker_metrics.c */
void worker_metrics_init(struct worker_metrics *m);
void worker_metrics_count_event(struct worker *w, const char *type, bool is_ok);
void worker_http_attach(struct worker *w);
void worker_http_free(struct worker *w);   /* the listener and its guard */

long long worker_now_ms(void);                 /* wall clock, epoch ms */
/* Counts one caller turn answered: from the transcription's arrival in Redis (the time
 * part of its stream entry id) to now, when the speak request goes out. */
void worker_metrics_observe_turn(struct worker *w, const char *entry_id);
/* Counts a call that ended with outcome (call_logs.outcome). */
void worker_metrics_count_call_end(struct worker *w, const char *outcome);
long long worker_mono_ms(void);

#endif
