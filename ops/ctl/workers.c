/* ops/ctl/workers.c: `frontdesk-ctl workers [--json]`: every worker that has sent a
 * heartbeat in the last minute (fd:workers keeps that long), whether it is alive (a
 * heartbeat within the last 5 s, as the workers' own survey counts them), how long ago
 * it was heard from, and how many tenant leases it holds now. A lease held by a worker
 * with no heartbeat left shows too: that is the one to worry about. Reads Redis only. */
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "core/xalloc.h"

#define ALIVE_WITHIN_MS 5000

struct worker_row {
    char *id;                       /* owned */
    long long heartbeat_ms;         /* -1: no heartbeat left in fd:workers */
    long long leases;
};

struct worker_rows {
    struct worker_row *items;       /* owned */
    size_t len, cap;
};

static struct worker_row *row_for(struct worker_rows *w, const char *id, size_t id_len)
{
    for (size_t i = 0; i < w->len; i++)
        if (strlen(w->items[i].id) == id_len && memcmp(w->items[i].id, id, id_len) == 0)
            return &w->items[i];
    if (w->len == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 16;
        w->items = xrealloc(w->items, w->cap * sizeof *w->items);
    }
    struct worker_row *r = &w->items[w->len++];
    r->id = xmalloc(id_len + 1);
    memcpy(r->id, id, id_len);
    r->id[id_len] = '\0';
    r->heartbeat_ms = -1;
    r->leases = 0;
    return r;
}

static bool read_heartbeats(redisContext *rc, struct worker_rows *w, char *why, size_t why_len)
{
    const char *argv[] = {"ZRANGE", FD_WORKERS_KEY, "0", "-1", "WITHSCORES"};
    redisReply *r = ctl_redis_command(rc, 5, argv, why, why_len);
    if (r == NULL)
        return false;
    for (size_t i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2)
        row_for(w, r->element[i]->str, r->element[i]->len)->heartbeat_ms =
            strtoll(r->element[i + 1]->str, NULL, 10);
    freeReplyObject(r);
    return true;
}

/* Counts each lease "<worker id>:<epoch>" for its worker. */
static void count_lease(redisContext *rc, struct worker_rows *w, const char *key)
{
    char why[256];
    const char *argv[] = {"GET", key};
    redisReply *r = ctl_redis_command(rc, 2, argv, why, sizeof why);
    if (r != NULL && r->type == REDIS_REPLY_STRING) {
        const char *epoch = strrchr(r->str, ':');
        row_for(w, r->str, epoch ? (size_t)(epoch - r->str) : r->len)->leases++;
    }
    freeReplyObject(r);
}

static bool read_leases(redisContext *rc, struct worker_rows *w, char *why, size_t why_len)
{
    char cursor[32] = "0";
    do {
        const char *argv[] = {"SCAN", cursor, "MATCH", "fd:{s*}:t:*:lease", "COUNT", "1000"};
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
            count_lease(rc, w, r->element[1]->element[i]->str);
        freeReplyObject(r);
    } while (strcmp(cursor, "0") != 0);
    return true;
}

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

static int by_id(const void *a, const void *b)
{
    return strcmp(((const struct worker_row *)a)->id, ((const struct worker_row *)b)->id);
}

static void print_rows(const struct worker_rows *w, long long now_ms, bool is_json)
{
    json_t *arr = json_array();
    if (!is_json)
        printf("%-40s  %-5s  %14s  %6s\n", "WORKER", "ALIVE", "LAST_HEARTBEAT", "LEASES");
    for (size_t i = 0; i < w->len; i++) {
        const struct worker_row *r = &w->items[i];
        long long age_ms = r->heartbeat_ms < 0 ? -1 : (now_ms > r->heartbeat_ms ? now_ms - r->heartbeat_ms : 0);
        bool is_alive = age_ms >= 0 && age_ms <= ALIVE_WITHIN_MS;
        if (is_json) {
            json_array_append_new(arr, json_pack("{s:s, s:b, s:o, s:I}", "worker", r->id,
                                                 "alive", is_alive, "heartbeat_age_ms",
                                                 age_ms < 0 ? json_null() : json_integer(age_ms),
                                                 "leases", (json_int_t)r->leases));
            continue;
        }
        char age[32] = "none";
        if (age_ms >= 0)
            snprintf(age, sizeof age, "%.1fs ago", (double)age_ms / 1000.0);
        printf("%-40s  %-5s  %14s  %6lld\n", r->id, is_alive ? "yes" : "no", age, r->leases);
    }
    if (is_json)
        ctl_print_json(arr);
    else
        json_decref(arr);
}

int ctl_workers(int argc, char **argv)
{
    bool is_json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") != 0)
            return ctl_usage_error("workers: unknown argument '%s'", argv[i]);
        is_json = true;
    }
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    char why[1024];
    redisContext *rc = ctl_redis_connect(&cfg, why, sizeof why);
    if (rc == NULL)
        return ctl_fail("%s", why);
    struct worker_rows w = {0};
    int status = CTL_EXIT_OK;
    if (!read_heartbeats(rc, &w, why, sizeof why) || !read_leases(rc, &w, why, sizeof why)) {
        status = ctl_fail("%s", why);
    } else {
        if (w.len > 0)
            qsort(w.items, w.len, sizeof *w.items, by_id);
        print_rows(&w, redis_now_ms(rc), is_json);
    }
    for (size_t i = 0; i < w.len; i++)
        free(w.items[i].id);
    free(w.items);
    redisFree(rc);
    return status;
}
