/* lib/booking/caller_bookings.c: see caller_bookings.h. */
#include "booking/caller_bookings.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/det_uuid.h"
#include "core/e164.h"
#include "store/lua_args.h"
#include "store/lua_scripts.h"
#include "store/redis_conn.h"
#include "store/redis_failure.h"
#include "store/tenant_keys.h"
#include "core/xalloc.h"

bool caller_booking_format(const struct caller_booking *b, char *out, size_t len)
{
    if (b->nslots < 1 || b->nslots > BOOKING_HOLD_SLOTS_MAX || b->step_ms <= 0 ||
        b->end_ms <= b->start_ms || b->service[0] == '\0' || strchr(b->service, '\n') != NULL)
        return false;
    int n = snprintf(out, len, "%" PRId64 " %" PRId64 " %" PRId64 " %d %s %s", b->start_ms,
                     b->end_ms, b->step_ms, b->nslots,
                     b->cancelled_by[0] ? b->cancelled_by : "-", b->service);
    return n > 0 && (size_t)n < len;
}

bool caller_booking_parse(const char *id, size_t id_len, const char *line, size_t len,
                          struct caller_booking *out)
{
    char text[CALLER_BOOKING_LINE_MAX + 1], by[40];
    int used = 0;
    memset(out, 0, sizeof *out);
    if (len > CALLER_BOOKING_LINE_MAX || !uuid_canonical(id, id_len, out->id))
        return false;
    memcpy(text, line, len);
    text[len] = '\0';
    if (sscanf(text, "%" SCNd64 " %" SCNd64 " %" SCNd64 " %d %39s %n", &out->start_ms,
               &out->end_ms, &out->step_ms, &out->nslots, by, &used) != 5 || used == 0)
        return false;
    snprintf(out->service, sizeof out->service, "%s", text + used);
    if (strcmp(by, "-") != 0 && !uuid_canonical(by, strlen(by), out->cancelled_by))
        return false;
    return out->nslots >= 1 && out->nslots <= BOOKING_HOLD_SLOTS_MAX && out->step_ms > 0 &&
           out->end_ms > out->start_ms && out->service[0] != '\0';
}

const struct caller_booking *caller_bookings_pick(const struct caller_booking *list, size_t n,
                                                  int64_t now_ms, const char *by)
{
    const struct caller_booking *best = NULL;
    for (size_t i = 0; i < n; i++) {
        const struct caller_booking *b = &list[i];
        if (b->cancelled_by[0] != '\0') {
            if (by != NULL && strcmp(b->cancelled_by, by) == 0)
                return b;               /* this call cancelled it: a replay */
            continue;
        }
        if (b->start_ms > now_ms && (best == NULL || b->start_ms < best->start_ms))
            best = b;
    }
    return best;
}

const struct caller_booking *caller_bookings_find(const struct caller_booking *list, size_t n,
                                                  const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i].id, id) == 0)
            return &list[i];
    return NULL;
}

void caller_bookings_by(char out[37], const char *business_id, const char *call_control_id)
{
    det_uuid2(out, "caller_bookings.cancelled_by", business_id, call_control_id);
}

static bool args_are_valid(const struct booking_tenant *t, const char *caller)
{
    return t != NULL && t->business_id != NULL && t->lease_value != NULL && t->shards > 0 &&
           uuid_is_valid(t->business_id, strlen(t->business_id)) && caller != NULL &&
           e164_is_valid(caller, strlen(caller));
}

static size_t caller_key(char *out, const struct booking_tenant *t, const char *caller)
{
    char suffix[40];
    snprintf(suffix, sizeof suffix, "caller:%s", caller);
    return tenant_key(out, t->business_id, t->shards, suffix);
}

/* ---- list ---- */

struct list_request {
    caller_bookings_list_fn cb;
    void *arg;
};

static void on_listed(const redisReply *reply, enum app_err err, void *arg)
{
    struct list_request *req = arg;
    struct caller_bookings_list res = {.status = BOOKING_FAILED,
                                       .err = redis_failure_is_transient(reply) ? APP_EUNAVAIL : APP_EINTERNAL};
    struct caller_booking *list = NULL;
    if (err == APP_OK && reply != NULL && reply->type == REDIS_REPLY_ARRAY) {
        size_t n = reply->elements / 2;
        list = xcalloc(n > 0 ? n : 1, sizeof *list);
        res = (struct caller_bookings_list){.status = BOOKING_DONE, .bookings = list};
        for (size_t i = 0; i + 1 < reply->elements && res.n < CALLER_BOOKINGS_MAX; i += 2) {
            const redisReply *k = reply->element[i], *v = reply->element[i + 1];
            if (k->type == REDIS_REPLY_STRING && v->type == REDIS_REPLY_STRING &&
                caller_booking_parse(k->str, k->len, v->str, v->len, &list[res.n]))
                res.n++;                /* a line we cannot read is skipped, not fatal */
        }
    }
    req->cb(&res, req->arg);
    free(list);
    free(req);
}

void caller_bookings_list(struct redis_conn *conn, const struct booking_tenant *t,
                          const char *caller, caller_bookings_list_fn cb, void *arg)
{
    if (!args_are_valid(t, caller)) {
        cb(&(struct caller_bookings_list){.status = BOOKING_FAILED, .err = APP_EINVAL}, arg);
        return;
    }
    char key[FD_KEY_MAX];
    struct list_request *req = xcalloc(1, sizeof *req);
    *req = (struct list_request){cb, arg};
    const char *argv[] = {"HGETALL", key};
    size_t len[] = {7, caller_key(key, t, caller)};
    redis_conn_command(conn, BOOKING_TIMEOUT_MS, on_listed, req, 2, argv, len);
}

/* ---- add and cancel ---- */

struct script_request {
    booking_done_fn cb;
    void *arg;
};

static void on_script(const redisReply *reply, enum app_err err, void *arg)
{
    struct script_request *req = arg;
    struct booking_result r = {.status = BOOKING_FAILED,
                               .err = redis_failure_is_transient(reply) ? APP_EUNAVAIL : APP_EINTERNAL};
    if (reply != NULL && reply->type == REDIS_REPLY_ERROR && reply->str != NULL &&
        strncmp(reply->str, "FENCED", 6) == 0)
        r = (struct booking_result){.status = BOOKING_FENCED, .err = APP_ECONFLICT};
    else if (err == APP_OK && reply != NULL && reply->type == REDIS_REPLY_INTEGER)
        r = reply->integer < 0
                ? (struct booking_result){.status = BOOKING_FAILED, .err = APP_ENOTFOUND}
                : (struct booking_result){.status = BOOKING_DONE, .released = (unsigned)reply->integer};
    req->cb(&r, req->arg);
    free(req);
}

static void send(struct redis_conn *conn, const char *name, struct lua_args *a,
                 booking_done_fn cb, void *arg)
{
    const struct lua_script *script = lua_script_find(name);
    if (script == NULL) {               /* a build without the script: a bug */
        cb(&(struct booking_result){.status = BOOKING_FAILED, .err = APP_EINTERNAL}, arg);
        return;
    }
    struct script_request *req = xcalloc(1, sizeof *req);
    *req = (struct script_request){cb, arg};
    lua_args_send(a, conn, script, BOOKING_TIMEOUT_MS, on_script, req);
}

void caller_bookings_add(struct redis_conn *conn, const struct booking_tenant *t,
                         const char *caller, const struct caller_booking *b,
                         booking_done_fn cb, void *arg)
{
    char lease_key[FD_KEY_MAX], key[FD_KEY_MAX], line[CALLER_BOOKING_LINE_MAX];
    if (!args_are_valid(t, caller) || !uuid_is_valid(b->id, strlen(b->id)) ||
        !caller_booking_format(b, line, sizeof line)) {
        cb(&(struct booking_result){.status = BOOKING_FAILED, .err = APP_EINVAL}, arg);
        return;
    }
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key_len(&a, lease_key, tenant_key(lease_key, t->business_id, t->shards, "lease"));
    lua_args_key_len(&a, key, caller_key(key, t, caller));
    lua_args_arg(&a, t->lease_value);
    lua_args_arg(&a, b->id);
    lua_args_arg(&a, line);
    lua_args_int(&a, (long long)(b->end_ms + BOOKING_SLOT_TTL_MS + t->expiry_shift_ms));
    send(conn, "caller_booking_add", &a, cb, arg);
}

void caller_bookings_cancel(struct redis_conn *conn, const struct booking_tenant *t,
                            const char *caller, const struct caller_booking *b, const char *by,
                            booking_done_fn cb, void *arg)
{
    struct caller_booking marked = *b;
    char line[CALLER_BOOKING_LINE_MAX];
    if (!args_are_valid(t, caller) || by == NULL ||
        !uuid_canonical(by, strlen(by), marked.cancelled_by) ||
        !caller_booking_format(&marked, line, sizeof line)) {
        cb(&(struct booking_result){.status = BOOKING_FAILED, .err = APP_EINVAL}, arg);
        return;
    }
    /* the lease, the caller's key, one key per place held; then 3 arguments */
    char *keys = xmalloc((size_t)(b->nslots + 2) * FD_KEY_MAX);
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key_len(&a, keys, tenant_key(keys, t->business_id, t->shards, "lease"));
    lua_args_key_len(&a, keys + FD_KEY_MAX, caller_key(keys + FD_KEY_MAX, t, caller));
    for (int i = 0; i < b->nslots; i++) {
        char *k = keys + (size_t)(i + 2) * FD_KEY_MAX;
        int64_t start_ms = b->start_ms + i * b->step_ms;
        lua_args_key_len(&a, k, booking_slot_key(k, t->business_id, t->shards, start_ms));
    }
    lua_args_arg(&a, t->lease_value);
    lua_args_arg(&a, b->id);
    lua_args_arg(&a, line);
    send(conn, "caller_booking_cancel", &a, cb, arg);
    free(keys);
}
