/* workers/agent_cache.c: what a call needs of its business's receptionist (greeting,
 * voice, hours, fallback number), kept in the Redis hash fd:{sNNN}:t:B:agent so that
 * calls go on while PostgreSQL is down. PostgreSQL is the source of truth: the hash is
 * filled from it when missing and refreshed in the background every minute, so a
 * change takes effect from the next call. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pg_conn.h"
#include "redis_conn.h"
#include "worker.h"

#define REFRESH_MS 60000
#define REDIS_TIMEOUT_MS 2000
#define PG_TIMEOUT_MS 5000

static const char *const day_keys[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
static const char *const day_names[] = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                        "Friday", "Saturday", "Sunday"};

/* A day's ranges as text ("09:00 to 17:00"), "" when closed. */
static void day_ranges(json_t *hours, int day, char *out, size_t len)
{
    out[0] = '\0';
    json_t *ranges = json_object_get(hours, day_keys[day]);
    size_t i;
    json_t *r;
    size_t used = 0;
    json_array_foreach(ranges, i, r) {
        const char *open = json_string_value(json_object_get(r, "open"));
        const char *close = json_string_value(json_object_get(r, "close"));
        if (open == NULL || close == NULL)
            continue;
        int n = snprintf(out + used, len - used, "%s%s to %s", used ? " and " : "", open, close);
        if (n < 0 || (size_t)n >= len - used)
            break;
        used += (size_t)n;
    }
}

/* "Monday to Friday from 09:00 to 17:00, closed Saturday and Sunday" style text. */
static void hours_sentence(json_t *hours, char *out, size_t len)
{
    char ranges[7][128];
    for (int d = 0; d < 7; d++)
        day_ranges(hours, d, ranges[d], sizeof ranges[d]);
    size_t used = 0;
    out[0] = '\0';
    for (int d = 0; d < 7;) {
        int end = d;
        while (end + 1 < 7 && strcmp(ranges[end + 1], ranges[d]) == 0)
            end++;
        const char *what = ranges[d][0] ? ranges[d] : NULL;
        int n;
        if (end == d)
            n = snprintf(out + used, len - used, "%s%s %s%s", used ? ", " : "",
                         day_names[d], what ? "from " : "closed", what ? what : "");
        else
            n = snprintf(out + used, len - used, "%s%s to %s %s%s", used ? ", " : "",
                         day_names[d], day_names[end], what ? "from " : "closed", what ? what : "");
        if (n < 0 || (size_t)n >= len - used)
            break;
        used += (size_t)n;
        d = end + 1;
    }
}

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
    json_t *hours = json_object_get(cfg, "hours");
    if (json_is_object(hours))
        hours_sentence(hours, v->hours_text, sizeof v->hours_text);
    json_decref(cfg);
}

static void on_cached(const redisReply *reply, enum app_err err, void *arg)
{
    struct tenant *t = arg;
    (void)reply;
    (void)err;
    tenant_unref(t);
}

static void store_in_redis(struct tenant *t)
{
    const struct agent_view *v = &t->agent;
    const char *argv[] = {"HSET", t->key_agent, "is_active", v->is_active ? "1" : "0",
                          "business_name", v->business_name, "greeting", v->greeting,
                          "voice", v->voice, "language", v->language,
                          "fallback_number", v->fallback_number, "hours_text", v->hours_text};
    size_t len[16];
    for (int i = 0; i < 16; i++)
        len[i] = strlen(argv[i]);
    tenant_ref(t);
    redis_conn_command(t->w->redis, REDIS_TIMEOUT_MS, on_cached, t, 16, argv, len);
}

static void on_pg_loaded(PGresult *res, enum app_err err, const char *why, void *arg)
{
    struct tenant *t = arg;
    t->is_agent_loading = false;
    if (tenant_is_owned(t)) {
        if (err != APP_OK || res == NULL || PQntuples(res) != 1) {
            log_msg(LOG_WARN, "agent not loaded from PostgreSQL", "error",
                    err != APP_OK ? why : "business not found");
        } else {
            view_from(&t->agent, PQgetvalue(res, 0, 0),
                      PQgetisnull(res, 0, 1) ? NULL : PQgetvalue(res, 0, 1),
                      !PQgetisnull(res, 0, 2) && strcmp(PQgetvalue(res, 0, 2), "t") == 0,
                      PQgetisnull(res, 0, 3) ? NULL : PQgetvalue(res, 0, 3));
            t->has_agent = true;
            t->agent_loaded_ms = worker_mono_ms();
            store_in_redis(t);
        }
    }
    tenant_unref(t);
}

static void on_tenant_reset(PGresult *res, enum app_err err, const char *why, void *arg)
{
    (void)res;
    (void)err;
    (void)why;
    tenant_unref(arg);
}

/* Three jobs back to back on the FIFO connection: declare the tenant for the session
 * (RLS), read, and clear the declaration again. A transaction would scope the setting
 * better, but pg_conn_transaction reports COMMIT's result, not the SELECT's. */
static void load_from_pg(struct tenant *t)
{
    static const char sql[] =
        "SELECT b.name, b.fallback_number, a.is_active, a.config::text "
        "FROM businesses b LEFT JOIN ai_agents a ON a.business_id = b.id AND a.is_active "
        "WHERE b.id = $1::uuid";
    const char *params[] = {t->id};
    const char *empty[] = {""};
    t->is_agent_loading = true;
    tenant_ref(t);
    pg_conn_query(t->w->pg, "SELECT set_config('app.business_id', $1, false)", 1, params,
                  PG_TIMEOUT_MS, on_tenant_reset, t);
    tenant_ref(t);
    pg_conn_query(t->w->pg, sql, 1, params, PG_TIMEOUT_MS, on_pg_loaded, t);
    tenant_ref(t);
    pg_conn_query(t->w->pg, "SELECT set_config('app.business_id', $1, false)", 1, empty,
                  PG_TIMEOUT_MS, on_tenant_reset, t);
}

static const char *field(const redisReply *r, const char *name)
{
    for (size_t i = 0; i + 1 < r->elements; i += 2)
        if (strcmp(r->element[i]->str, name) == 0)
            return r->element[i + 1]->str;
    return "";
}

static void on_redis_loaded(const redisReply *reply, enum app_err err, void *arg)
{
    struct tenant *t = arg;
    if (tenant_is_owned(t)) {
        if (err == APP_OK && reply != NULL && reply->type == REDIS_REPLY_ARRAY && reply->elements > 0) {
            struct agent_view *v = &t->agent;
            v->is_active = strcmp(field(reply, "is_active"), "1") == 0;
            set(v->business_name, sizeof v->business_name, field(reply, "business_name"));
            set(v->greeting, sizeof v->greeting, field(reply, "greeting"));
            set(v->voice, sizeof v->voice, field(reply, "voice"));
            set(v->language, sizeof v->language, field(reply, "language"));
            set(v->fallback_number, sizeof v->fallback_number, field(reply, "fallback_number"));
            set(v->hours_text, sizeof v->hours_text, field(reply, "hours_text"));
            t->has_agent = true;
            t->is_agent_loading = false;
            load_from_pg(t);   /* refresh in the background; the cached view serves now */
        } else if (err == APP_OK) {
            load_from_pg(t);
        } else {
            t->is_agent_loading = false;
        }
    }
    tenant_unref(t);
}

void agent_cache_ensure(struct tenant *t)
{
    if (t->is_agent_loading)
        return;
    if (t->has_agent && worker_mono_ms() - t->agent_loaded_ms < REFRESH_MS)
        return;
    if (t->has_agent) {          /* stale: refresh from PostgreSQL, keep serving */
        t->agent_loaded_ms = worker_mono_ms();
        load_from_pg(t);
        return;
    }
    t->is_agent_loading = true;
    t->agent_loaded_ms = worker_mono_ms();
    const char *argv[] = {"HGETALL", t->key_agent};
    size_t len[] = {7, strlen(t->key_agent)};
    tenant_ref(t);
    redis_conn_command(t->w->redis, REDIS_TIMEOUT_MS, on_redis_loaded, t, 2, argv, len);
}
