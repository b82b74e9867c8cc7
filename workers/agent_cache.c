/* workers/agent_cache.c: a business's receptionist configuration (lib/agent/agent_config.h)
 * as a call needs it, kept in the Redis hash fd:{sNNN}:t:B:agent (fields is_active,
 * business_name, fallback_number, config: the JSON document) so that calls go on while
 * PostgreSQL is down. PostgreSQL is the source of truth: the hash is filled from it when
 * missing and refreshed in the background every minute, and `frontdesk-ctl agent set` and
 * `tenant suspend|resume` delete it, so a change takes effect from the next call. The
 * parsed configuration and its time zone live on the tenant (t->agent.config,
 * t->agent.tz: workers/tenant.h); the small view the call flow reads (greeting, voice,
 * hours as a sentence) is derived from it.
 *
 * The business's billing state (businesses.billing_state, past_due_since,
 * billing_state_at) and its first number come with it, into t->billing: a Stripe event
 * changes them through the outbox (workers/stripe_events.c), so after one commits the
 * configuration is loaded again from PostgreSQL once the outbox has written its row. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"
#include "billing/billing_state.h"
#include "core/log.h"
#include "calendar/tz_cache.h"
#include "store/outbox_drain.h"
#include "store/pg_conn.h"
#include "store/redis_conn.h"
#include "tenant.h"
#include "worker.h"

#define REFRESH_MS 60000
#define REDIS_TIMEOUT_MS 2000
#define PG_TIMEOUT_MS 5000
/* How long a reload after a Stripe event waits for the outbox to write its row: past
 * it (PostgreSQL down), what PostgreSQL has is read, and the minute's refresh follows. */
#define BILLING_RELOAD_WAIT_MS 5000

/* Indexed like struct tm's tm_wday: 0 = Sunday. */
static const char *const day_names[] = {"Sunday", "Monday", "Tuesday", "Wednesday",
                                        "Thursday", "Friday", "Saturday"};

static void set(char *dst, size_t size, const char *value)
{
    snprintf(dst, size, "%s", value ? value : "");
}

/* Fills the view from a business's row and its active agent's config (may be NULL). */
static void view_from(struct agent_view *v, const char *name, const char *fallback,
                      bool is_active, const char *config_json)
{
    memset(v, 0, sizeof *v);
    set(v->business_name, sizeof v->business_name, name);
    set(v->fallback_number, sizeof v->fallback_number, fallback);
    v->is_active = is_active;
    json_t *cfg = config_json ? json_loads(config_json, 0, NULL) : NULL;
    set(v->greeting, sizeof v->greeting, json_string_value(json_object_get(cfg, "greeting")));
    if (v->greeting[0] == '\0')
        snprintf(v->greeting, sizeof v->greeting, "Thank you for calling %s. How can I help you today?", name);
    set(v->voice, sizeof v->voice, json_string_value(json_object_get(cfg, "voice")));
    set(v->language, sizeof v->language, json_string_value(json_object_get(cfg, "language")));
    json_decref(cfg);
}

/* "Monday to Friday from 09:00 to 17:00, Saturday to Sunday closed" from the parsed
 * hours; weekdays in the order people say them. */
static void hours_from_config(const struct agent_config *c, char *out, size_t len)
{
    static const int order[] = {1, 2, 3, 4, 5, 6, 0};
    char ranges[7][128];
    for (int i = 0; i < 7; i++) {
        const struct agent_day *d = agent_config_hours(c, order[i]);
        size_t used = 0;
        ranges[i][0] = '\0';
        for (size_t r = 0; d != NULL && r < d->nranges; r++) {
            int n = snprintf(ranges[i] + used, sizeof ranges[i] - used, "%s%02u:%02u to %02u:%02u",
                             r ? " and " : "", d->ranges[r].open_minute / 60u, d->ranges[r].open_minute % 60u,
                             d->ranges[r].close_minute / 60u, d->ranges[r].close_minute % 60u);
            if (n < 0 || (size_t)n >= sizeof ranges[i] - used)
                break;
            used += (size_t)n;
        }
    }
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < 7;) {
        int end = i;
        while (end + 1 < 7 && strcmp(ranges[end + 1], ranges[i]) == 0)
            end++;
        const char *first = day_names[order[i]];
        const char *last = day_names[order[end]];
        int n = end == i
                    ? snprintf(out + used, len - used, "%s%s %s%s", used ? ", " : "", first,
                               ranges[i][0] ? "from " : "closed", ranges[i])
                    : snprintf(out + used, len - used, "%s%s to %s %s%s", used ? ", " : "", first, last,
                               ranges[i][0] ? "from " : "closed", ranges[i]);
        if (n < 0 || (size_t)n >= len - used)
            break;
        used += (size_t)n;
        i = end + 1;
    }
}

/* Takes a business's row and its active agent's document (config_json may be NULL):
 * parses the document into t->agent.pending and derives the call flow's view. A document
 * that does not parse (saved before validation existed) still yields a view, read
 * leniently. */
static void apply(struct tenant *t, const char *name, const char *fallback, bool is_active,
                  const char *config_json)
{
    view_from(&t->agent.view, name, fallback, is_active, config_json);
    struct agent_config *parsed = NULL;
    char why[256] = "";
    if (config_json != NULL && config_json[0] != '\0' &&
        agent_config_parse(config_json, strlen(config_json), &parsed, why, sizeof why) != APP_OK) {
        struct log_line l;
        if (log_begin(&l, LOG_ERROR, "agent configuration does not validate; using what can be read")) {
            log_str(&l, "business_id", t->id);
            log_str(&l, "error", why);
            log_end(&l);
        }
    }
    if (parsed != NULL)
        hours_from_config(parsed, t->agent.view.hours_text, sizeof t->agent.view.hours_text);
    agent_config_free(t->agent.pending);
    t->agent.pending = parsed;
    t->agent.is_loaded = true;
    agent_cache_settle(t);
}

/* Calls in the middle of an event point into the configuration (a tool in flight), so
 * a new one takes the place of the old only when no event is being handled. */
void agent_cache_settle(struct tenant *t)
{
    if (t->agent.handling > 0 || t->agent.pending == NULL)
        return;
    agent_config_free(t->agent.config);
    t->agent.config = t->agent.pending;
    t->agent.pending = NULL;
    const char *why = NULL;
    t->agent.tz = tz_cache_get(t->w->tzs, t->agent.config->timezone, &why);
}

static long long ms_or_zero(const char *text)
{
    return text != NULL && text[0] != '\0' ? strtoll(text, NULL, 10) : 0;
}

/* The business's billing as read (from PostgreSQL or the Redis hash; NULLs and fields a
 * cache of an older build lacks read as none). The owner's past_due text is owed once
 * per episode: a state read while past due means it was sent with the event that began
 * it; any other state, read when no Stripe event waits for its row, ends the episode. */
static void apply_billing(struct tenant *t, const char *state, const char *since_ms, const char *at_ms,
                          const char *number)
{
    struct tenant_billing *b = &t->billing;
    if (!billing_state_parse(state, &b->state))
        b->state = BILLING_NONE;
    b->past_due_since_ms = ms_or_zero(since_ms);
    b->state_at_ms = ms_or_zero(at_ms);
    set(b->number, sizeof b->number, number);
    if (b->state == BILLING_PAST_DUE)
        b->is_past_due_noticed = true;
    else if (!b->is_reload_wanted)
        b->is_past_due_noticed = false;
}

static void on_cached(const redisReply *reply, enum app_err err, void *arg)
{
    struct tenant *t = arg;
    (void)reply;
    (void)err;
    tenant_unref(t);
}

static void store_in_redis(struct tenant *t, const char *config_json)
{
    const struct agent_view *v = &t->agent.view;
    const struct tenant_billing *b = &t->billing;
    char since[24], at[24];
    snprintf(since, sizeof since, "%lld", b->past_due_since_ms);
    snprintf(at, sizeof at, "%lld", b->state_at_ms);
    const char *argv[] = {"HSET", t->keys.agent, "is_active", v->is_active ? "1" : "0",
                          "business_name", v->business_name, "fallback_number", v->fallback_number,
                          "config", config_json ? config_json : "",
                          "billing_state", billing_state_name(b->state), "past_due_since_ms", since,
                          "billing_state_at_ms", at, "number", b->number};
    enum { NARGS = sizeof argv / sizeof argv[0] };
    size_t len[NARGS];
    for (int i = 0; i < NARGS; i++)
        len[i] = strlen(argv[i]);
    tenant_ref(t);
    redis_conn_command(t->w->redis, REDIS_TIMEOUT_MS, on_cached, t, NARGS, argv, len);
}

static void on_pg_loaded(PGresult *res, enum app_err err, const char *why, void *arg)
{
    struct tenant *t = arg;
    t->agent.is_loading = false;
    if (tenant_is_owned(t)) {
        if (err != APP_OK || res == NULL || PQntuples(res) != 1) {
            log_msg(LOG_WARN, "agent not loaded from PostgreSQL", "error",
                    err != APP_OK ? why : "business not found");
        } else {
            const char *config = PQgetisnull(res, 0, 3) ? NULL : PQgetvalue(res, 0, 3);
            apply_billing(t, PQgetvalue(res, 0, 4), PQgetvalue(res, 0, 5), PQgetvalue(res, 0, 6),
                          PQgetvalue(res, 0, 7));
            apply(t, PQgetvalue(res, 0, 0), PQgetisnull(res, 0, 1) ? NULL : PQgetvalue(res, 0, 1),
                  !PQgetisnull(res, 0, 2) && strcmp(PQgetvalue(res, 0, 2), "t") == 0, config);
            t->agent.loaded_ms = worker_mono_ms();
            store_in_redis(t, config);
        }
    }
    tenant_unref(t);
}

/* One transaction under the tenant's RLS scope. A suspended business (businesses.
 * suspended_at, `frontdesk-ctl tenant suspend`) reads as one without an active
 * receptionist, so its calls take the same path: its fallback number, or a short "cannot
 * take your call". Times come as Unix milliseconds (NULL: ""). */
static void load_from_pg(struct tenant *t)
{
    static const char sql[] =
        "SELECT b.name, b.fallback_number, a.is_active AND b.suspended_at IS NULL, a.config::text, "
        "b.billing_state, (extract(epoch FROM b.past_due_since) * 1000)::bigint, "
        "(extract(epoch FROM b.billing_state_at) * 1000)::bigint, "
        "(SELECT p.number FROM phone_numbers p WHERE p.business_id = b.id ORDER BY p.number LIMIT 1) "
        "FROM businesses b LEFT JOIN ai_agents a ON a.business_id = b.id AND a.is_active "
        "WHERE b.id = $1::uuid";
    const char *params[] = {t->id};
    const struct pg_stmt stmt = {sql, 1, params};
    t->agent.is_loading = true;
    tenant_ref(t);
    pg_conn_transaction(t->w->pg, t->id, &stmt, 1, PG_TIMEOUT_MS, on_pg_loaded, t);
}

/* The value of a field of an HGETALL reply, or NULL. */
static const char *field(const redisReply *r, const char *name)
{
    for (size_t i = 0; i + 1 < r->elements; i += 2)
        if (strcmp(r->element[i]->str, name) == 0)
            return r->element[i + 1]->str;
    return NULL;
}

static void on_redis_loaded(const redisReply *reply, enum app_err err, void *arg)
{
    struct tenant *t = arg;
    if (tenant_is_owned(t)) {
        const char *config = NULL;
        if (err == APP_OK && reply != NULL && reply->type == REDIS_REPLY_ARRAY)
            config = field(reply, "config");   /* a cache without it is of an older build */
        if (config != NULL) {
            const char *active = field(reply, "is_active");
            const char *name = field(reply, "business_name");
            apply_billing(t, field(reply, "billing_state"), field(reply, "past_due_since_ms"),
                          field(reply, "billing_state_at_ms"), field(reply, "number"));
            apply(t, name ? name : "", field(reply, "fallback_number"),
                  active != NULL && strcmp(active, "1") == 0, config);
            t->agent.is_loading = false;
            load_from_pg(t);   /* refresh in the background; the cached copy serves now */
        } else if (err == APP_OK) {
            load_from_pg(t);
        } else {
            t->agent.is_loading = false;
        }
    }
    tenant_unref(t);
}

void agent_cache_ensure(struct tenant *t)
{
    if (t->agent.is_loading)
        return;
    struct tenant_billing *b = &t->billing;
    if (b->is_reload_wanted && (outbox_drain_is_settled(t->w->drain, t->id) ||
                                worker_mono_ms() - b->reload_asked_ms >= BILLING_RELOAD_WAIT_MS)) {
        b->is_reload_wanted = false;
        t->agent.loaded_ms = worker_mono_ms();
        load_from_pg(t);
        return;
    }
    if (t->agent.is_loaded && worker_mono_ms() - t->agent.loaded_ms < REFRESH_MS)
        return;
    if (t->agent.is_loaded) {    /* stale: refresh from PostgreSQL, keep serving */
        t->agent.loaded_ms = worker_mono_ms();
        load_from_pg(t);
        return;
    }
    t->agent.is_loading = true;
    t->agent.loaded_ms = worker_mono_ms();
    const char *argv[] = {"HGETALL", t->keys.agent};
    size_t len[] = {7, strlen(t->keys.agent)};
    tenant_ref(t);
    redis_conn_command(t->w->redis, REDIS_TIMEOUT_MS, on_redis_loaded, t, 2, argv, len);
}

/* The cached copy is replaced by the reload, not deleted first as `frontdesk-ctl agent
 * set` does: a Stripe event comes unasked, maybe while PostgreSQL is away, and a call
 * must never wait for a configuration it cannot load (the state cannot change before
 * the row is written anyway). */
void agent_cache_reload_after_drain(struct tenant *t)
{
    t->billing.is_reload_wanted = true;
    t->billing.reload_asked_ms = worker_mono_ms();
    outbox_drain_tenant(t->w->drain, t->id);
}
