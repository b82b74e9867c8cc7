/* ops/ctl/status.c: `frontdesk-ctl status [--json] [--watch SECONDS]`, one line per
 * tenant: how many events its stream holds, how many no worker has read yet, how many
 * were read but not acknowledged, how long the oldest waiting one has waited, its dead
 * letters, its outbox (records waiting for PostgreSQL) and the worker holding its lease.
 * --watch prints it again every SECONDS until interrupted.
 * Tenants are the businesses in PostgreSQL plus any stream found in Redis (a tenant
 * whose business row is gone, or PostgreSQL down, still shows). One blocking round
 * trip per figure: fine for the hundreds of tenants an operator reads on a screen. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl.h"
#include "store/db.h"
#include "store/tenant_keys.h"
#include "core/xalloc.h"

#define STATUS_NAME_WIDTH 24

struct tenant_status {
    char id[FD_UUID_LEN + 1];
    char *name;                     /* owned; NULL when not known from PostgreSQL */
    char events_key[FD_KEY_MAX];
    long long events, undelivered, pending, dead;   /* undelivered -1: Redis cannot tell */
    long long oldest_wait_ms;       /* -1: nothing waiting */
    long long outbox;               /* records waiting for PostgreSQL */
    char owner[128];                /* the lease holder's worker id; "" when none */
};

struct tenant_list {
    struct tenant_status *items;    /* owned */
    size_t len, cap;
};

static struct tenant_status *list_add(struct tenant_list *l, const char *id, const char *name)
{
    if (l->len == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
    }
    struct tenant_status *t = &l->items[l->len++];
    memset(t, 0, sizeof *t);
    memcpy(t->id, id, FD_UUID_LEN);
    t->name = xstrdup(name);
    return t;
}

/* Businesses as frontdesk_ops, which reads every tenant (see numbers.c). */
static void add_pg_tenants(const struct fd_config *cfg, struct tenant_list *l, unsigned shards)
{
    char why[1024];
    PGconn *conn = db_connect_ops(cfg->database_url, why, sizeof why);
    PGresult *res = conn ? PQexec(conn, "SELECT id::text, name FROM businesses") : NULL;
    if (conn == NULL || db_result_err(conn, res, why, sizeof why) != APP_OK) {
        fprintf(stderr, "frontdesk-ctl: warning: %s; showing only tenants found in Redis\n", why);
    } else {
        for (int i = 0; i < PQntuples(res); i++) {
            struct tenant_status *t = list_add(l, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
            tenant_events_key(t->events_key, t->id, shards);
        }
    }
    PQclear(res);
    PQfinish(conn);
}

/* Adds the tenant named by an events key "fd:{sNNN}:t:<uuid>:events", as found. */
static void add_stream_key(struct tenant_list *l, const char *key, size_t len)
{
    const char *t = strstr(key, "}:t:");
    const char *suffix = ":events";
    if (t == NULL || len < strlen(suffix) || strcmp(key + len - strlen(suffix), suffix) != 0)
        return;
    t += 4;
    char id[FD_UUID_LEN + 1];
    if ((size_t)(key + len - strlen(suffix) - t) != FD_UUID_LEN ||
        !uuid_canonical(t, FD_UUID_LEN, id))
        return;
    struct tenant_status *s = list_add(l, id, NULL);
    snprintf(s->events_key, sizeof s->events_key, "%.*s", (int)len, key);
}

static bool add_redis_tenants(redisContext *rc, struct tenant_list *l, char *why, size_t why_len)
{
    char cursor[32] = "0";
    do {
        const char *argv[] = {"SCAN", cursor, "MATCH", "fd:{s*}:t:*:events", "COUNT", "1000"};
        redisReply *r = ctl_redis_command(rc, 6, argv, why, why_len);
        if (r == NULL)
            return false;
        if (r->type != REDIS_REPLY_ARRAY || r->elements != 2) {
            freeReplyObject(r);
            snprintf(why, why_len, "unexpected SCAN reply");
            return false;
        }
        snprintf(cursor, sizeof cursor, "%s", r->element[0]->str);
        for (size_t i = 0; i < r->element[1]->elements; i++)
            add_stream_key(l, r->element[1]->element[i]->str, r->element[1]->element[i]->len);
        freeReplyObject(r);
    } while (strcmp(cursor, "0") != 0);
    return true;
}

static int by_id_named_first(const void *a, const void *b)
{
    const struct tenant_status *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->name == NULL) - (y->name == NULL);
}

static int by_name_then_id(const void *a, const void *b)
{
    const struct tenant_status *x = a, *y = b;
    if ((x->name == NULL) != (y->name == NULL))
        return x->name == NULL ? 1 : -1;
    int c = x->name ? strcmp(x->name, y->name) : 0;
    return c ? c : strcmp(x->id, y->id);
}

/* A tenant found in both places keeps its PostgreSQL entry (it has the name). */
static void list_dedupe(struct tenant_list *l)
{
    if (l->len == 0)
        return;     /* items is NULL: qsort must not see it */
    qsort(l->items, l->len, sizeof *l->items, by_id_named_first);
    size_t out = 0;
    for (size_t i = 0; i < l->len; i++) {
        if (out > 0 && strcmp(l->items[out - 1].id, l->items[i].id) == 0) {
            free(l->items[i].name);
            continue;
        }
        l->items[out++] = l->items[i];
    }
    l->len = out;
    qsort(l->items, l->len, sizeof *l->items, by_name_then_id);
}

/* ---- figures of one tenant ---- */

static long long reply_int(redisContext *rc, int argc, const char **argv)
{
    char why[256];
    redisReply *r = ctl_redis_command(rc, argc, argv, why, sizeof why);
    long long v = r && r->type == REDIS_REPLY_INTEGER ? r->integer : 0;
    freeReplyObject(r);
    return v;
}

static long long stream_id_ms(const char *id)
{
    return id ? strtoll(id, NULL, 10) : -1;
}

/* The first entry id of XRANGE key start + COUNT 1, as ms; -1 when there is none. */
static long long first_entry_ms(redisContext *rc, const char *key, const char *start)
{
    char why[256];
    const char *argv[] = {"XRANGE", key, start, "+", "COUNT", "1"};
    redisReply *r = ctl_redis_command(rc, 6, argv, why, sizeof why);
    long long ms = -1;
    if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 1 &&
        r->element[0]->type == REDIS_REPLY_ARRAY && r->element[0]->elements >= 1)
        ms = stream_id_ms(r->element[0]->element[0]->str);
    freeReplyObject(r);
    return ms;
}

/* Oldest pending entry (XPENDING summary: count, smallest id, greatest id, consumers). */
static long long oldest_pending_ms(redisContext *rc, const char *key)
{
    char why[256];
    const char *argv[] = {"XPENDING", key, FD_CONSUMER_GROUP};
    redisReply *r = ctl_redis_command(rc, 3, argv, why, sizeof why);
    long long ms = -1;
    if (r && r->type == REDIS_REPLY_ARRAY && r->elements >= 2 &&
        r->element[1]->type == REDIS_REPLY_STRING)
        ms = stream_id_ms(r->element[1]->str);
    freeReplyObject(r);
    return ms;
}

/* Reads pending, lag and last-delivered-id of group "workers" from XINFO GROUPS (a
 * flat field/value list per group). Returns false when the stream has no such group. */
static bool read_group(redisContext *rc, struct tenant_status *t, char *last_id, size_t last_len)
{
    char why[256];
    const char *argv[] = {"XINFO", "GROUPS", t->events_key};
    redisReply *r = ctl_redis_command(rc, 3, argv, why, sizeof why);   /* error: no stream */
    bool found = false;
    for (size_t g = 0; r && r->type == REDIS_REPLY_ARRAY && g < r->elements && !found; g++) {
        const redisReply *f = r->element[g];
        long long pending = 0, lag = -1;
        const char *last = "0-0";
        for (size_t i = 0; f->type == REDIS_REPLY_ARRAY && i + 1 < f->elements; i += 2) {
            const char *k = f->element[i]->str;
            const redisReply *v = f->element[i + 1];
            if (strcmp(k, "name") == 0)
                found = v->type == REDIS_REPLY_STRING && strcmp(v->str, FD_CONSUMER_GROUP) == 0;
            else if (strcmp(k, "pending") == 0 && v->type == REDIS_REPLY_INTEGER)
                pending = v->integer;
            else if (strcmp(k, "lag") == 0 && v->type == REDIS_REPLY_INTEGER)
                lag = v->integer;           /* nil when Redis cannot compute it */
            else if (strcmp(k, "last-delivered-id") == 0 && v->type == REDIS_REPLY_STRING)
                last = v->str;
        }
        if (found) {
            t->pending = pending;
            t->undelivered = lag;
            snprintf(last_id, last_len, "(%s", last);   /* exclusive start */
        }
    }
    freeReplyObject(r);
    return found;
}

/* The worker id of a lease value "<worker id>:<epoch>"; "" when there is no lease. */
static void read_owner(redisContext *rc, const char *lease_key, char *out, size_t len)
{
    char why[256];
    const char *argv[] = {"GET", lease_key};
    redisReply *r = ctl_redis_command(rc, 2, argv, why, sizeof why);
    out[0] = '\0';
    if (r && r->type == REDIS_REPLY_STRING) {
        const char *epoch = strrchr(r->str, ':');
        snprintf(out, len, "%.*s", (int)(epoch ? (size_t)(epoch - r->str) : r->len), r->str);
    }
    freeReplyObject(r);
}

static void read_figures(redisContext *rc, struct tenant_status *t, long long now_ms)
{
    char dead_key[FD_KEY_MAX], outbox_key[FD_KEY_MAX], lease_key[FD_KEY_MAX], start[64] = "-";
    size_t base = strlen(t->events_key) - strlen("events");
    snprintf(dead_key, sizeof dead_key, "%.*sdead", (int)base, t->events_key);
    snprintf(outbox_key, sizeof outbox_key, "%.*soutbox", (int)base, t->events_key);
    snprintf(lease_key, sizeof lease_key, "%.*slease", (int)base, t->events_key);
    const char *xlen[] = {"XLEN", t->events_key}, *xlen_dead[] = {"XLEN", dead_key};
    const char *xlen_outbox[] = {"XLEN", outbox_key};
    t->events = reply_int(rc, 2, xlen);
    t->dead = reply_int(rc, 2, xlen_dead);
    t->outbox = reply_int(rc, 2, xlen_outbox);
    read_owner(rc, lease_key, t->owner, sizeof t->owner);
    if (!read_group(rc, t, start, sizeof start)) {
        t->pending = 0;
        t->undelivered = t->events;     /* no group yet: nobody read anything */
    }
    long long oldest = -1;
    if (t->pending > 0)
        oldest = oldest_pending_ms(rc, t->events_key);
    if (oldest < 0 && t->undelivered != 0 && t->events > 0)
        oldest = first_entry_ms(rc, t->events_key, start);
    t->oldest_wait_ms = oldest < 0 ? -1 : (now_ms > oldest ? now_ms - oldest : 0);
}

/* Redis's clock, the one stream ids come from. */
static long long redis_now_ms(redisContext *rc)
{
    char why[256];
    const char *argv[] = {"TIME"};
    redisReply *r = ctl_redis_command(rc, 1, argv, why, sizeof why);
    long long ms = 0;
    if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 2)
        ms = strtoll(r->element[0]->str, NULL, 10) * 1000 + strtoll(r->element[1]->str, NULL, 10) / 1000;
    freeReplyObject(r);
    return ms;
}

/* ---- output ---- */

/* Copies at most width bytes of name, not cutting a UTF-8 sequence. */
static void name_cell(const char *name, char *out, size_t width)
{
    size_t n = strlen(name);
    if (n > width) {
        n = width;
        while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(out, name, n);
    out[n] = '\0';
}

static void print_table(const struct tenant_list *l)
{
    printf("%-36s  %-*s  %8s  %11s  %8s  %11s  %6s  %6s  %s\n", "BUSINESS", STATUS_NAME_WIDTH,
           "NAME", "EVENTS", "UNDELIVERED", "PENDING", "OLDEST_WAIT", "DEAD", "OUTBOX", "OWNER");
    for (size_t i = 0; i < l->len; i++) {
        const struct tenant_status *t = &l->items[i];
        char name[STATUS_NAME_WIDTH + 1], undelivered[24] = "?", age[32] = "-";
        name_cell(t->name ? t->name : "-", name, STATUS_NAME_WIDTH);
        if (t->undelivered >= 0)
            snprintf(undelivered, sizeof undelivered, "%lld", t->undelivered);
        if (t->oldest_wait_ms >= 0)
            snprintf(age, sizeof age, "%.1fs", (double)t->oldest_wait_ms / 1000.0);
        printf("%-36s  %-*s  %8lld  %11s  %8lld  %11s  %6lld  %6lld  %s\n", t->id, STATUS_NAME_WIDTH,
               name, t->events, undelivered, t->pending, age, t->dead, t->outbox,
               t->owner[0] ? t->owner : "-");
    }
}

static json_t *json_count(long long v)
{
    return v < 0 ? json_null() : json_integer(v);
}

static void print_json(const struct tenant_list *l)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < l->len; i++) {
        const struct tenant_status *t = &l->items[i];
        json_array_append_new(arr, json_pack("{s:s, s:o, s:I, s:o, s:I, s:o, s:I, s:I, s:o}",
            "business_id", t->id, "name", t->name ? json_string(t->name) : json_null(),
            "events", (json_int_t)t->events, "undelivered", json_count(t->undelivered),
            "pending", (json_int_t)t->pending, "oldest_wait_ms", json_count(t->oldest_wait_ms),
            "dead", (json_int_t)t->dead, "outbox", (json_int_t)t->outbox,
            "owner", t->owner[0] ? json_string(t->owner) : json_null()));
    }
    char *text = json_dumps(arr, JSON_COMPACT);
    if (text != NULL)
        puts(text);
    free(text);
    json_decref(arr);
}

static int show_once(const struct fd_config *cfg, redisContext *rc, bool is_json)
{
    char why[1024];
    struct tenant_list l = {0};
    add_pg_tenants(cfg, &l, (unsigned)cfg->shards);
    int status = CTL_EXIT_OK;
    if (!add_redis_tenants(rc, &l, why, sizeof why)) {
        status = ctl_fail("%s", why);
    } else {
        list_dedupe(&l);
        long long now_ms = redis_now_ms(rc);
        for (size_t i = 0; i < l.len; i++)
            read_figures(rc, &l.items[i], now_ms);
        if (is_json)
            print_json(&l);
        else
            print_table(&l);
    }
    for (size_t i = 0; i < l.len; i++)
        free(l.items[i].name);
    free(l.items);
    return status;
}

int ctl_status(int argc, char **argv)
{
    bool is_json = false;
    int watch_s = 0;
    for (int i = 1; i < argc;) {
        const char *v = NULL;
        if (strcmp(argv[i], "--json") == 0) {
            is_json = true;
            i++;
        } else if (ctl_opt(argc, argv, &i, "--watch", &v)) {
            if (v == NULL || !config_parse_int(v, 1, 3600, &watch_s))
                return ctl_usage_error("status: --watch takes seconds between 1 and 3600");
        } else {
            return ctl_usage_error("status: unknown argument '%s'", argv[i]);
        }
    }
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    char why[1024];
    redisContext *rc = ctl_redis_connect(&cfg, why, sizeof why);
    if (rc == NULL)
        return ctl_fail("%s", why);
    int status = show_once(&cfg, rc, is_json);
    /* --watch: until interrupted; a failed round (Redis gone a moment) is said and retried. */
    while (watch_s > 0) {
        fflush(stdout);
        struct timespec pause = {.tv_sec = watch_s};
        nanosleep(&pause, NULL);
        char stamp[32];
        time_t now = time(NULL);
        strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
        if (!is_json)
            printf("\n-- %s\n", stamp);
        if (rc == NULL || rc->err) {      /* the connection broke: a new one */
            redisFree(rc);
            rc = ctl_redis_connect(&cfg, why, sizeof why);
            if (rc == NULL) {
                fprintf(stderr, "frontdesk-ctl: %s\n", why);
                continue;
            }
        }
        show_once(&cfg, rc, is_json);
    }
    redisFree(rc);
    return status;
}
