/* tests/tools/booking_hold_tool.c: drives lib/booking/booking_hold.c on a real event loop and
 * Redis (FRONTDESK_REDIS_URL, FRONTDESK_SHARDS, like the binaries), for
 * tests/integration/test_bookings.py.
 *   booking_hold_tool --business B --lease V hold --id ID --capacity N [--call C --event E] START_MS...
 *   booking_hold_tool --business B --lease V release --id ID START_MS...
 *   booking_hold_tool --business B --lease V give-back --id ID [--call C --event E] START_MS...
 *   booking_hold_tool --business B --lease V counts START_MS...
 *   booking_hold_tool --business B --lease V race --name NAME --capacity N --rounds R
 *                     --at UNIX_MS --step-ms S START_MS
 * A hold is the call C's, taken by its event E (defaults "tool-call" and "tool-event"):
 * noted in fd:{sNNN}:t:B:call:C; give-back gives it back only while it is noted for E
 * (booking_hold_release). One line per answer on stdout: "held I", "full K", "fenced",
 * "failed ERR", "released N" (release and give-back), "counts C1 C2 ...". race holds, in round r (0..R-1), the slot
 * START_MS + r * 30 min for the booking det_uuid2("race", NAME, r), sending it at the
 * wall time UNIX_MS + r * S, so two processes started with the same --at ask for the
 * same place at the same moment; it prints "round r <answer>".
 * Exit status 0 when every request was answered, 1 when one failed or the time limit
 * (30 s) passed, 2 on bad usage. */
#include <event2/event.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "booking/booking_hold.h"
#include "core/config.h"
#include "core/det_uuid.h"
#include "core/err.h"
#include "core/log.h"
#include "store/redis_conn.h"
#include "store/tenant_keys.h"

#define MAX_STARTS 400
#define RACE_SLOT_MS (30LL * 60 * 1000)

struct tool {
    struct event_base *base;
    struct redis_conn *redis;
    struct booking_tenant tenant;
    const char *command, *id, *name;
    struct booking_holder holder;
    unsigned capacity;
    int64_t starts[MAX_STARTS];
    size_t nstarts;
    long rounds, round;
    int64_t at_ms, step_ms;
    char race_id[37];
    bool has_failed;
    struct event *tick;
};

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void print_result(const struct tool *t, const struct booking_result *r)
{
    if (strcmp(t->command, "race") == 0)
        printf("round %ld ", t->round);
    switch (r->status) {
    case BOOKING_DONE:
        if (strcmp(t->command, "release") == 0 || strcmp(t->command, "give-back") == 0) {
            printf("released %u\n", r->released);
        } else if (strcmp(t->command, "counts") == 0) {
            printf("counts");
            for (size_t i = 0; i < r->ncounts; i++)
                printf(" %u", r->counts[i]);
            printf("\n");
        } else {
            printf("held %d\n", r->slot_index);
        }
        break;
    case BOOKING_FULL: printf("full %d\n", r->full_slot); break;
    case BOOKING_FENCED: printf("fenced\n"); break;
    case BOOKING_FAILED: printf("failed %s\n", app_err_name(r->err)); break;
    }
    fflush(stdout);
}

static void schedule(struct tool *t, int64_t delay_ms)
{
    struct timeval tv = {0, 0};
    if (delay_ms > 0) {
        tv.tv_sec = (time_t)(delay_ms / 1000);
        tv.tv_usec = (suseconds_t)(delay_ms % 1000) * 1000;
    }
    evtimer_add(t->tick, &tv);
}

static void on_done(const struct booking_result *r, void *arg)
{
    struct tool *t = arg;
    print_result(t, r);
    t->has_failed = t->has_failed || r->status == BOOKING_FAILED;
    if (strcmp(t->command, "race") == 0 && ++t->round < t->rounds)
        schedule(t, t->at_ms + t->round * t->step_ms - wall_ms());
    else
        event_base_loopbreak(t->base);
}

static void send_request(struct tool *t)
{
    if (strcmp(t->command, "hold") == 0) {
        booking_hold(t->redis, &t->tenant, t->id, t->capacity, t->starts, t->nstarts, &t->holder, on_done, t);
    } else if (strcmp(t->command, "release") == 0) {
        booking_release(t->redis, &t->tenant, t->id, t->starts, t->nstarts, on_done, t);
    } else if (strcmp(t->command, "give-back") == 0) {
        booking_hold_release(t->redis, &t->tenant, t->id, t->starts, t->nstarts, &t->holder, on_done, t);
    } else if (strcmp(t->command, "counts") == 0) {
        booking_counts(t->redis, &t->tenant, t->starts, t->nstarts, on_done, t);
    } else {
        char round_text[24];
        snprintf(round_text, sizeof round_text, "%ld", t->round);
        det_uuid2(t->race_id, "race", t->name, round_text);
        int64_t start = t->starts[0] + t->round * RACE_SLOT_MS;
        booking_hold(t->redis, &t->tenant, t->race_id, t->capacity, &start, 1, &t->holder, on_done, t);
    }
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    struct tool *t = arg;
    (void)fd;
    (void)what;
    if (!redis_conn_is_ready(t->redis)) {
        schedule(t, 5);
        return;
    }
    if (strcmp(t->command, "race") == 0) {
        int64_t due = t->at_ms + t->round * t->step_ms;
        if (wall_ms() < due) {
            schedule(t, due - wall_ms());
            return;
        }
    }
    send_request(t);
}

static void on_time_limit(evutil_socket_t fd, short what, void *arg)
{
    struct tool *t = arg;
    (void)fd;
    (void)what;
    fprintf(stderr, "booking_hold_tool: time limit passed\n");
    t->has_failed = true;
    event_base_loopbreak(t->base);
}

static int usage(void)
{
    fprintf(stderr, "usage: booking_hold_tool --business B --lease V (hold|release|give-back|counts|race) "
                    "[--id ID] [--capacity N] [--call C --event E] [--name N --rounds R --at MS --step-ms S] "
                    "START_MS...\n");
    return 2;
}

static int parse(struct tool *t, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool has_value = true;
        if (strcmp(a, "--business") == 0 && v) t->tenant.business_id = v;
        else if (strcmp(a, "--lease") == 0 && v) t->tenant.lease_value = v;
        else if (strcmp(a, "--id") == 0 && v) t->id = v;
        else if (strcmp(a, "--name") == 0 && v) t->name = v;
        else if (strcmp(a, "--call") == 0 && v) t->holder.call_id = v;
        else if (strcmp(a, "--event") == 0 && v) t->holder.event_id = v;
        else if (strcmp(a, "--capacity") == 0 && v) t->capacity = (unsigned)strtoul(v, NULL, 10);
        else if (strcmp(a, "--rounds") == 0 && v) t->rounds = strtol(v, NULL, 10);
        else if (strcmp(a, "--at") == 0 && v) t->at_ms = strtoll(v, NULL, 10);
        else if (strcmp(a, "--step-ms") == 0 && v) t->step_ms = strtoll(v, NULL, 10);
        else if (a[0] == '-' && a[1] == '-') return usage();
        else {
            has_value = false;
            if (t->command == NULL)
                t->command = a;
            else if (t->nstarts < MAX_STARTS)
                t->starts[t->nstarts++] = strtoll(a, NULL, 10);
        }
        i += has_value;
    }
    if (t->command == NULL || t->tenant.business_id == NULL || t->tenant.lease_value == NULL ||
        t->nstarts == 0)
        return usage();
    if (strcmp(t->command, "race") == 0 && (t->name == NULL || t->rounds < 1))
        return usage();
    return 0;
}

int main(int argc, char **argv)
{
    struct tool t = {.holder = {.call_id = "tool-call", .event_id = "tool-event"}};
    if (parse(&t, argc, argv) != 0)
        return 2;
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    log_set_component("booking_hold_tool");
    log_set_level(cfg.log_level);
    t.tenant.shards = (unsigned)cfg.shards;
    t.base = event_base_new();
    t.redis = redis_conn_create(t.base, &cfg);
    t.tick = evtimer_new(t.base, on_tick, &t);
    struct event *limit = evtimer_new(t.base, on_time_limit, &t);
    struct timeval lim = {30, 0};
    schedule(&t, 0);
    evtimer_add(limit, &lim);
    event_base_dispatch(t.base);
    redis_conn_free(t.redis);
    event_free(t.tick);
    event_free(limit);
    event_base_free(t.base);
    return t.has_failed ? 1 : 0;
}
