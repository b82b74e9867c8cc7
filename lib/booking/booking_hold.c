/* lib/booking/booking_hold.c: see booking_hold.h. Each request builds its keys on the heap
 * and its arguments in a lua_args (redis_conn copies them, so they are freed as soon as
 * it is sent) and a small request that lives until its one reply. Counts for more starts
 * than one script call may carry go out as parallel chunks whose replies are gathered in
 * one array. */
#include "booking/booking_hold.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/det_uuid.h"
#include "store/lua_args.h"
#include "store/lua_scripts.h"
#include "store/redis_conn.h"
#include "store/redis_failure.h"
#include "store/tenant_keys.h"
#include "core/xalloc.h"

#define COUNTS_CHUNK 100

enum request_kind { REQ_HOLD, REQ_RELEASE, REQ_COUNTS };

struct request {
    enum request_kind kind;
    booking_done_fn cb;
    void *arg;
    /* counts only */
    unsigned *counts;
    size_t ncounts;
    size_t chunks_left;
    struct booking_result worst;        /* the first failure of any chunk */
};

size_t booking_slot_key(char *out, const char *business_id, unsigned shards, int64_t start_ms)
{
    char suffix[40];
    snprintf(suffix, sizeof suffix, "slot:%" PRId64, start_ms);
    return tenant_key(out, business_id, shards, suffix);
}

static void fail_now(booking_done_fn cb, void *arg, enum app_err err)
{
    struct booking_result r = {.status = BOOKING_FAILED, .err = err};
    cb(&r, arg);
}

/* Maps the transport and error replies every script shares; true when it did. */
static bool reply_failed(const redisReply *reply, enum app_err err, struct booking_result *r)
{
    if (reply != NULL && reply->type == REDIS_REPLY_ERROR && reply->str != NULL &&
        strncmp(reply->str, "FENCED", 6) == 0) {
        *r = (struct booking_result){.status = BOOKING_FENCED, .err = APP_ECONFLICT};
        return true;
    }
    if (err != APP_OK || reply == NULL || reply->type == REDIS_REPLY_ERROR) {
        *r = (struct booking_result){.status = BOOKING_FAILED,
                                     .err = redis_failure_is_transient(reply) ? APP_EUNAVAIL : APP_EINTERNAL};
        return true;
    }
    return false;
}

static void parse_hold(const redisReply *reply, struct booking_result *r)
{
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 ||
        reply->element[0]->type != REDIS_REPLY_STRING ||
        reply->element[1]->type != REDIS_REPLY_INTEGER) {
        *r = (struct booking_result){.status = BOOKING_FAILED, .err = APP_EINTERNAL};
        return;
    }
    long long v = reply->element[1]->integer;
    if (strcmp(reply->element[0]->str, "held") == 0)
        *r = (struct booking_result){.status = BOOKING_DONE, .slot_index = (int)v};
    else if (strcmp(reply->element[0]->str, "full") == 0)
        *r = (struct booking_result){.status = BOOKING_FULL, .full_slot = (int)v - 1};
    else
        *r = (struct booking_result){.status = BOOKING_FAILED, .err = APP_EINTERNAL};
}

static void on_reply(const redisReply *reply, enum app_err err, void *arg)
{
    struct request *req = arg;
    struct booking_result r = {0};
    if (!reply_failed(reply, err, &r)) {
        if (req->kind == REQ_HOLD)
            parse_hold(reply, &r);
        else if (reply->type == REDIS_REPLY_INTEGER)
            r = (struct booking_result){.status = BOOKING_DONE, .released = (unsigned)reply->integer};
        else
            r = (struct booking_result){.status = BOOKING_FAILED, .err = APP_EINTERNAL};
    }
    req->cb(&r, req->arg);
    free(req);
}

/* Appends the lease key, the holder's call's state key (when call_id is not NULL) and a
 * key per start to a, then the lease value and extra (borrowed strings). keys is an
 * owned block the caller frees after sending. */
static void build_args(const struct booking_tenant *t, const char *call_id, const int64_t *starts,
                       size_t n, int nextra, const char *const *extra, char **keys,
                       struct lua_args *a)
{
    *keys = xmalloc((n + 2) * FD_KEY_MAX);
    char *k = *keys;
    lua_args_init(a);
    lua_args_key_len(a, k, tenant_key(k, t->business_id, t->shards, "lease"));
    if (call_id != NULL) {
        char suffix[FD_KEY_MAX];
        k += FD_KEY_MAX;
        snprintf(suffix, sizeof suffix, "call:%s", call_id);
        lua_args_key_len(a, k, tenant_key(k, t->business_id, t->shards, suffix));
    }
    for (size_t i = 0; i < n; i++) {
        k += FD_KEY_MAX;
        lua_args_key_len(a, k, booking_slot_key(k, t->business_id, t->shards, starts[i]));
    }
    lua_args_arg(a, t->lease_value);
    for (int i = 0; i < nextra; i++)
        lua_args_arg(a, extra[i]);
}

static bool tenant_is_valid(const struct booking_tenant *t)
{
    return t != NULL && t->business_id != NULL && t->lease_value != NULL && t->shards > 0 &&
           uuid_is_valid(t->business_id, strlen(t->business_id));
}

static void send_script(struct redis_conn *conn, const char *name, const struct booking_tenant *t,
                        const char *call_id, const int64_t *starts, size_t n, int nextra,
                        const char *const *extra, struct request *req)
{
    const struct lua_script *script = lua_script_find(name);
    if (script == NULL) {       /* a build without lua/<name>.lua: a bug */
        req->cb(&(struct booking_result){.status = BOOKING_FAILED, .err = APP_EINTERNAL}, req->arg);
        free(req);
        return;
    }
    struct lua_args a;
    char *keys;
    build_args(t, call_id, starts, n, nextra, extra, &keys, &a);
    lua_args_send(&a, conn, script, BOOKING_TIMEOUT_MS, on_reply, req);
    free(keys);
}

/* ---- notes ---- */

bool booking_hold_note_format(const struct booking_hold_note *note, char *out, size_t cap)
{
    size_t elen = strnlen(note->event_id, sizeof note->event_id);
    if (note->nslots < 1 || note->nslots > BOOKING_HOLD_SLOTS_MAX || note->step_ms < 0 ||
        (note->nslots > 1 && note->step_ms == 0) || elen == 0 || elen > BOOKING_EVENT_ID_MAX)
        return false;
    int len = snprintf(out, cap, "%" PRId64 " %" PRId64 " %d %s", note->first_start_ms, note->step_ms,
                       note->nslots, note->event_id);
    return len > 0 && (size_t)len < cap;
}

bool booking_hold_note_parse(const char *text, size_t len, struct booking_hold_note *note)
{
    char buf[64 + BOOKING_EVENT_ID_MAX + 1];
    if (len >= sizeof buf)
        return false;
    memcpy(buf, text, len);
    buf[len] = '\0';
    long long first, step;
    int nslots, at = 0;
    if (sscanf(buf, "%lld %lld %d %n", &first, &step, &nslots, &at) != 3 || at == 0)
        return false;
    /* the event id is the rest (it may be anything but empty) */
    size_t elen = len - (size_t)at;
    if (elen == 0 || elen > BOOKING_EVENT_ID_MAX || buf[at - 1] != ' ')
        return false;
    *note = (struct booking_hold_note){.first_start_ms = first, .step_ms = step, .nslots = nslots};
    memcpy(note->event_id, buf + at, elen + 1);
    char check[sizeof buf];
    return booking_hold_note_format(note, check, sizeof check) && strcmp(check, buf) == 0;
}

size_t booking_hold_note_starts(const struct booking_hold_note *note, int64_t *out)
{
    if (note->nslots < 1 || note->nslots > BOOKING_HOLD_SLOTS_MAX)
        return 0;
    for (int i = 0; i < note->nslots; i++)
        out[i] = note->first_start_ms + (int64_t)i * note->step_ms;
    return (size_t)note->nslots;
}

/* The note of a hold of starts[0..n) by by's event; false if the starts are not evenly
 * spaced in time order (the notes keep a first start and a step). */
static bool note_of(const int64_t *starts, size_t n, const struct booking_holder *by,
                    struct booking_hold_note *note)
{
    *note = (struct booking_hold_note){.first_start_ms = starts[0], .nslots = (int)n,
                                       .step_ms = n > 1 ? starts[1] - starts[0] : 0};
    for (size_t i = 1; i < n; i++)
        if (note->step_ms <= 0 || starts[i] - starts[i - 1] != note->step_ms)
            return false;
    size_t elen = strlen(by->event_id);
    if (elen == 0 || elen > BOOKING_EVENT_ID_MAX)
        return false;
    memcpy(note->event_id, by->event_id, elen + 1);
    return true;
}

static bool holder_is_valid(const struct booking_holder *by)
{
    return by != NULL && by->call_id != NULL && by->call_id[0] != '\0' && by->event_id != NULL;
}

void booking_hold(struct redis_conn *conn, const struct booking_tenant *t, const char *booking_id,
                  unsigned capacity, const int64_t *starts, size_t n,
                  const struct booking_holder *by, booking_done_fn cb, void *arg)
{
    char id[FD_UUID_LEN + 1], note_text[64 + BOOKING_EVENT_ID_MAX + 1];
    struct booking_hold_note note;
    if (!tenant_is_valid(t) || booking_id == NULL ||
        !uuid_canonical(booking_id, strlen(booking_id), id) || capacity < 1 ||
        capacity > 100 || n < 1 || n > BOOKING_HOLD_SLOTS_MAX || !holder_is_valid(by) ||
        !note_of(starts, n, by, &note) || !booking_hold_note_format(&note, note_text, sizeof note_text)) {
        fail_now(cb, arg, APP_EINVAL);
        return;
    }
    char capacity_text[16], expire_text[32];
    snprintf(capacity_text, sizeof capacity_text, "%u", capacity);
    /* One expiry for every key, a day after the last slot: never before any slot's day. */
    snprintf(expire_text, sizeof expire_text, "%" PRId64,
             (int64_t)(starts[n - 1] + BOOKING_SLOT_TTL_MS + t->expiry_shift_ms));
    const char *extra[] = {id, capacity_text, expire_text, note_text};
    struct request *req = xcalloc(1, sizeof *req);
    *req = (struct request){.kind = REQ_HOLD, .cb = cb, .arg = arg};
    send_script(conn, "booking_hold", t, by->call_id, starts, n, 4, extra, req);
}

void booking_hold_release(struct redis_conn *conn, const struct booking_tenant *t,
                          const char *booking_id, const int64_t *starts, size_t n,
                          const struct booking_holder *by, booking_done_fn cb, void *arg)
{
    char id[FD_UUID_LEN + 1];
    if (!tenant_is_valid(t) || booking_id == NULL ||
        !uuid_canonical(booking_id, strlen(booking_id), id) || n < 1 ||
        n > BOOKING_HOLD_SLOTS_MAX || !holder_is_valid(by) || by->event_id[0] == '\0' ||
        strlen(by->event_id) > BOOKING_EVENT_ID_MAX) {
        fail_now(cb, arg, APP_EINVAL);
        return;
    }
    const char *extra[] = {id, by->event_id};
    struct request *req = xcalloc(1, sizeof *req);
    *req = (struct request){.kind = REQ_RELEASE, .cb = cb, .arg = arg};
    send_script(conn, "booking_hold_release", t, by->call_id, starts, n, 2, extra, req);
}

void booking_release(struct redis_conn *conn, const struct booking_tenant *t,
                     const char *booking_id, const int64_t *starts, size_t n,
                     booking_done_fn cb, void *arg)
{
    char id[FD_UUID_LEN + 1];
    if (!tenant_is_valid(t) || booking_id == NULL ||
        !uuid_canonical(booking_id, strlen(booking_id), id) || n < 1 ||
        n > BOOKING_HOLD_SLOTS_MAX) {
        fail_now(cb, arg, APP_EINVAL);
        return;
    }
    const char *extra[] = {id};
    struct request *req = xcalloc(1, sizeof *req);
    *req = (struct request){.kind = REQ_RELEASE, .cb = cb, .arg = arg};
    send_script(conn, "booking_release", t, NULL, starts, n, 1, extra, req);
}

/* ---- counts, in chunks ---- */

struct chunk {
    struct request *req;                /* shared by the chunks */
    size_t first, n;                    /* which counts this chunk fills */
};

static void counts_chunk_done(struct request *req)
{
    if (--req->chunks_left > 0)
        return;
    struct booking_result r = req->worst;
    if (r.status == BOOKING_DONE) {
        r.counts = req->counts;
        r.ncounts = req->ncounts;
    }
    req->cb(&r, req->arg);
    free(req->counts);
    free(req);
}

static void on_counts(const redisReply *reply, enum app_err err, void *arg)
{
    struct chunk *c = arg;
    struct request *req = c->req;
    struct booking_result r = {.status = BOOKING_DONE};
    if (!reply_failed(reply, err, &r)) {
        if (reply->type != REDIS_REPLY_ARRAY || reply->elements != c->n) {
            r = (struct booking_result){.status = BOOKING_FAILED, .err = APP_EINTERNAL};
        } else {
            for (size_t i = 0; i < c->n; i++)
                req->counts[c->first + i] = reply->element[i]->type == REDIS_REPLY_INTEGER
                                                ? (unsigned)reply->element[i]->integer
                                                : 0;
        }
    }
    if (r.status != BOOKING_DONE && req->worst.status == BOOKING_DONE)
        req->worst = r;
    free(c);
    counts_chunk_done(req);
}

void booking_counts(struct redis_conn *conn, const struct booking_tenant *t,
                    const int64_t *starts, size_t n, booking_done_fn cb, void *arg)
{
    const struct lua_script *script = lua_script_find("booking_counts");
    if (!tenant_is_valid(t) || n < 1 || n > BOOKING_COUNTS_MAX || script == NULL) {
        fail_now(cb, arg, script == NULL ? APP_EINTERNAL : APP_EINVAL);
        return;
    }
    struct request *req = xcalloc(1, sizeof *req);
    *req = (struct request){.kind = REQ_COUNTS, .cb = cb, .arg = arg,
                            .counts = xcalloc(n, sizeof *req->counts), .ncounts = n,
                            .worst = {.status = BOOKING_DONE}};
    /* All chunks are counted before the first is sent: a reply may come at once. */
    req->chunks_left = (n + COUNTS_CHUNK - 1) / COUNTS_CHUNK;
    for (size_t first = 0; first < n; first += COUNTS_CHUNK) {
        struct chunk *c = xcalloc(1, sizeof *c);
        *c = (struct chunk){req, first, n - first < COUNTS_CHUNK ? n - first : COUNTS_CHUNK};
        struct lua_args a;
        char *keys;
        build_args(t, NULL, starts + first, c->n, 0, NULL, &keys, &a);
        lua_args_send(&a, conn, script, BOOKING_TIMEOUT_MS, on_counts, c);
        free(keys);
    }
}

/* ---- ids ---- */

void booking_id(char out[37], const char *business_id, const char *call_control_id,
                const char *service, int64_t start_ms)
{
    char start[32];
    snprintf(start, sizeof start, "%" PRId64, start_ms);
    const char *parts[] = {business_id, call_control_id, service, start};
    det_uuid(out, "bookings", 4, parts);
}

void booking_usage_event_id(char out[37], const char *booking_id)
{
    const char *parts[] = {booking_id};
    det_uuid(out, "usage_events", 1, parts);
}

void booking_cancellation_id(char out[37], const char *booking_id)
{
    const char *parts[] = {booking_id};
    det_uuid(out, "booking_cancellations", 1, parts);
}
