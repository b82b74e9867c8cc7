/* bench/calls_driver.c: the load generator of the calls benchmark
 * (bench/run-calls-bench.sh, through bench/calls_load.py). One libevent process plays
 * both ends Telnyx stands between: the Call Control API the workers send their commands
 * to (calls_control.c, answered at once), and the callers, whose webhooks go to
 * frontdesk-api over a small pool of keep-alive connections (calls_hooks.c), each call
 * as tests/sim/telnyx_sim.py plays it (calls_line.c). The Python simulator used most of
 * a core at 200 calls and answered a command in up to 100 ms, and a worker applies a
 * call's events one at a time, so the simulator's delays became the workers'; this
 * driver measures the stack, not itself.
 *
 *   calls_driver --listen HOST:PORT --api HOST:PORT --key FILE --numbers FILE --out DIR
 *                [--calls N] [--api-key KEY] [--hook-conns N] [--speech-ms-per-word MS]
 *                [--turn-gap-ms MS] [--greeting-wait-ms MS] [--reply-wait-ms MS]
 *                [--timeout-s S] [--linger-ms MS] [--pids NAME=PID,...]
 *
 * Starts N calls at once (their call.initiated queued together once the connections to
 * the api are open), spread round-robin over the numbers, each caller saying the four
 * lines of `script` below; runs until every call has ended and every webhook is
 * acknowledged (or --timeout-s), then answers late commands for --linger-ms. Writes to
 * DIR, all after the measured run (buffered in memory until then):
 *   commands.jsonl  every request to the Call Control API (calls_control.h)
 *   webhooks.jsonl  every webhook: queued, sent, acknowledged on both clocks (calls_hooks.h)
 *   calls.jsonl     every call, shaped like the simulator's GET /_sim/calls/ID
 *   run.json        the run: start and end on both clocks, the CPU time of each --pids
 *                   process (and the driver's own) between the two and the time it
 *                   waited for a core (calls_cpu.h), timed out or not
 * bench/calls_load.py turns these into the benchmark's figures and checks. Prints one
 * line "DRIVER ..." on stdout; exit status 1 on a set-up failure or a timeout. */
#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calls_control.h"
#include "calls_cpu.h"
#include "calls_hooks.h"
#include "calls_line.h"
#include "calls_util.h"

/* Three questions and a goodbye, as bench/calls_load.py expects them: the built-in
 * receptionist answers the first with the hours, the next two with "let me take a
 * message", and the last with its goodbye and a hang-up. */
static const char *const script[] = {
    "Hi, what are your opening hours this week?",
    "Can I book a cleaning for next Tuesday?",
    "Do you take new patients on Saturdays?",
    "Great, thanks, that's all. Bye.",
};

#define MAX_PIDS 16
#define RECORD_BUFFER_BYTES (16 << 20)
#define CONNECT_WAIT_S 3.0

struct watched {                    /* a process whose CPU time the run reports */
    char name[32];
    int pid;
    struct cpu_use start, end;
};

struct opts {
    char listen_host[64], api_host[64];
    int listen_port, api_port;
    const char *key_path, *numbers_path, *out_dir, *api_key, *pids;
    int calls, hook_conns;
    double speech_ms_per_word, turn_gap_ms, greeting_wait_ms, reply_wait_ms, timeout_s, linger_ms;
    double answer_delay_ms;
};

struct driver {
    struct opts o;
    struct event_base *base;
    struct line_world world;
    struct hook_pool *hooks;
    struct calls_control *control;
    struct line **lines;
    int n_lines;
    char **numbers;
    int n_numbers;
    FILE *commands, *webhooks;
    char webhook_url[160];          /* meta.delivered_to of every webhook */
    struct event *tick;             /* waits for the connections, then for the end */
    double waiting_since_s;         /* monotonic: when the connections began to open */
    struct stamp started, done;
    bool is_started, is_done, timed_out;
    struct watched watched[MAX_PIDS];
    int n_watched;
};

static bool split_host_port(const char *s, char *host, size_t cap, int *port)
{
    const char *colon = strrchr(s, ':');
    if (colon == NULL || (size_t)(colon - s) >= cap)
        return false;
    snprintf(host, cap, "%.*s", (int)(colon - s), s);
    *port = atoi(colon + 1);
    return *port > 0 && *port < 65536;
}

static bool parse_opts(int argc, char **argv, struct opts *o)
{
    static const struct option longs[] = {
        {"listen", required_argument, NULL, 'l'}, {"api", required_argument, NULL, 'a'},
        {"key", required_argument, NULL, 'k'}, {"numbers", required_argument, NULL, 'n'},
        {"out", required_argument, NULL, 'o'}, {"calls", required_argument, NULL, 'c'},
        {"api-key", required_argument, NULL, 'K'}, {"hook-conns", required_argument, NULL, 'C'},
        {"speech-ms-per-word", required_argument, NULL, 's'},
        {"turn-gap-ms", required_argument, NULL, 'g'},
        {"greeting-wait-ms", required_argument, NULL, 'G'},
        {"reply-wait-ms", required_argument, NULL, 'r'}, {"timeout-s", required_argument, NULL, 't'},
        {"linger-ms", required_argument, NULL, 'L'}, {"pids", required_argument, NULL, 'p'},
        {"answer-delay-ms", required_argument, NULL, 'D'},
        {NULL, 0, NULL, 0},
    };
    *o = (struct opts){.api_key = "", .pids = "", .calls = 200, .hook_conns = 32,
                       .speech_ms_per_word = 5, .turn_gap_ms = 20, .greeting_wait_ms = 1000,
                       .reply_wait_ms = 3000, .timeout_s = 120, .linger_ms = 200};
    bool ok = true;
    for (int c; (c = getopt_long(argc, argv, "", longs, NULL)) != -1;) {
        switch (c) {
        case 'l': ok &= split_host_port(optarg, o->listen_host, sizeof o->listen_host, &o->listen_port); break;
        case 'a': ok &= split_host_port(optarg, o->api_host, sizeof o->api_host, &o->api_port); break;
        case 'k': o->key_path = optarg; break;
        case 'n': o->numbers_path = optarg; break;
        case 'o': o->out_dir = optarg; break;
        case 'c': o->calls = atoi(optarg); break;
        case 'K': o->api_key = optarg; break;
        case 'C': o->hook_conns = atoi(optarg); break;
        case 's': o->speech_ms_per_word = atof(optarg); break;
        case 'g': o->turn_gap_ms = atof(optarg); break;
        case 'G': o->greeting_wait_ms = atof(optarg); break;
        case 'r': o->reply_wait_ms = atof(optarg); break;
        case 't': o->timeout_s = atof(optarg); break;
        case 'L': o->linger_ms = atof(optarg); break;
        case 'p': o->pids = optarg; break;
        case 'D': o->answer_delay_ms = atof(optarg); break;
        default: ok = false;
        }
    }
    if (!ok || o->listen_port == 0 || o->api_port == 0 || !o->key_path || !o->numbers_path ||
        !o->out_dir || o->calls < 1 || o->hook_conns < 1 || o->hook_conns > 1024 || o->timeout_s <= 0 ||
        o->answer_delay_ms < 0) {
        fprintf(stderr, "usage: calls_driver --listen HOST:PORT --api HOST:PORT --key FILE "
                        "--numbers FILE --out DIR [--calls N] [--api-key KEY] [--hook-conns 1..1024] "
                        "[--speech-ms-per-word MS] [--turn-gap-ms MS] [--greeting-wait-ms MS] "
                        "[--reply-wait-ms MS] [--timeout-s S] [--linger-ms MS] [--pids NAME=PID,...] "
                        "[--answer-delay-ms MS]\n");
        return false;
    }
    return true;
}

/* The secret key from a file of standard base64 of a 32-byte seed or of libsodium's
 * 64-byte secret key, as `frontdesk-ctl webhook keygen` writes it (sim_webhook.py reads
 * the same). */
static bool load_key(const char *path, unsigned char sk[crypto_sign_SECRETKEYBYTES])
{
    char text[256];
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    if (f != NULL)
        fclose(f);
    text[n] = '\0';
    unsigned char raw[crypto_sign_SECRETKEYBYTES + 1], pk[crypto_sign_PUBLICKEYBYTES];
    size_t raw_len = 0;
    if (n == 0 || sodium_base642bin(raw, sizeof raw, text, n, " \t\r\n", &raw_len, NULL,
                                    sodium_base64_VARIANT_ORIGINAL) != 0 ||
        (raw_len != crypto_sign_SEEDBYTES && raw_len != crypto_sign_SECRETKEYBYTES)) {
        fprintf(stderr, "calls_driver: %s: expected base64 of 32 or 64 bytes\n", path);
        return false;
    }
    crypto_sign_seed_keypair(pk, sk, raw);
    if (raw_len == crypto_sign_SECRETKEYBYTES && memcmp(pk, raw + crypto_sign_SEEDBYTES, sizeof pk) != 0) {
        fprintf(stderr, "calls_driver: %s: the public half does not match the seed\n", path);
        return false;
    }
    return true;
}

static bool load_numbers(struct driver *d)
{
    FILE *f = fopen(d->o.numbers_path, "r");
    if (f == NULL) {
        fprintf(stderr, "calls_driver: %s: %s\n", d->o.numbers_path, strerror(errno));
        return false;
    }
    char line[64];
    while (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, " \t\r\n")] = '\0';
        if (line[0] == '\0')
            continue;
        char **more = realloc(d->numbers, (size_t)(d->n_numbers + 1) * sizeof *more);
        if (more == NULL)
            break;
        d->numbers = more;
        d->numbers[d->n_numbers++] = strdup(line);
    }
    fclose(f);
    if (d->n_numbers == 0)
        fprintf(stderr, "calls_driver: %s has no numbers\n", d->o.numbers_path);
    return d->n_numbers > 0;
}

/* NAME=PID,... into d->watched, the driver itself added as "driver". */
static bool parse_pids(struct driver *d)
{
    char *copy = strdup(d->o.pids), *save = NULL;
    bool ok = copy != NULL;
    for (char *item = ok ? strtok_r(copy, ",", &save) : NULL; item != NULL && ok;
         item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        ok = eq != NULL && d->n_watched < MAX_PIDS - 1 && atoi(eq + 1) > 0;
        if (ok) {
            struct watched *w = &d->watched[d->n_watched++];
            snprintf(w->name, sizeof w->name, "%.*s", (int)(eq - item), item);
            w->pid = atoi(eq + 1);
        }
    }
    free(copy);
    if (!ok)
        fprintf(stderr, "calls_driver: --pids wants NAME=PID,... (at most %d)\n", MAX_PIDS - 1);
    struct watched *self = &d->watched[d->n_watched++];
    snprintf(self->name, sizeof self->name, "driver");
    self->pid = (int)getpid();
    return ok;
}

/* The driver is the last watched process: read last at the start and first at the
 * end, so the /proc scans for PostgreSQL's backends stay out of its own figure. */
static void read_cpu(struct driver *d, bool is_end)
{
    for (int k = 0; k < d->n_watched; k++) {
        struct watched *w = &d->watched[is_end ? d->n_watched - 1 - k : k];
        struct cpu_use u = cpu_use_of(w->pid, strcmp(w->name, "postgres") == 0);
        *(is_end ? &w->end : &w->start) = u;
    }
}

static struct line *find_line(const char *call_control_id, void *arg)
{
    struct driver *d = arg;
    /* a few hundred calls: a scan costs a few microseconds a command */
    for (int i = 0; i < d->n_lines; i++)
        if (strcmp(line_id(d->lines[i]), call_control_id) == 0)
            return d->lines[i];
    return NULL;
}

static void arm_tick(struct driver *d, double s)
{
    struct timeval tv = {(time_t)s, (suseconds_t)((s - floor(s)) * 1e6)};
    evtimer_add(d->tick, &tv);
}

/* Every call ended and every webhook acknowledged: the measured run is over. */
static void check_done(void *arg)
{
    struct driver *d = arg;
    if (!d->is_started || d->is_done || d->world.live > 0 || !hook_pool_is_idle(d->hooks))
        return;
    d->done = stamp_now();
    d->is_done = true;
    read_cpu(d, true);
    arm_tick(d, d->o.linger_ms / 1000.0);
}

static void start_calls(struct driver *d)
{
    d->lines = must(calloc((size_t)d->o.calls, sizeof *d->lines));
    read_cpu(d, false);
    d->started = stamp_now();
    d->is_started = true;
    for (int i = 0; i < d->o.calls; i++) {
        char from[24];
        snprintf(from, sizeof from, "+1555%07d", 2000000 + i);
        d->lines[i] = line_create(&d->world, from, d->numbers[i % d->n_numbers]);
        d->n_lines++;
    }
    for (int i = 0; i < d->n_lines; i++)
        line_start(d->lines[i]);
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    struct driver *d = arg;
    (void)fd;
    (void)what;
    double now = stamp_now().mono_s;
    if (d->is_done) {                   /* the linger is over */
        event_base_loopbreak(d->base);
        return;
    }
    if (!d->is_started) {
        if (d->waiting_since_s == 0)
            d->waiting_since_s = now;
        if (hook_pool_connected(d->hooks) < d->o.hook_conns && now - d->waiting_since_s < CONNECT_WAIT_S) {
            arm_tick(d, 0.001);
            return;
        }
        if (hook_pool_connected(d->hooks) == 0) {
            fprintf(stderr, "calls_driver: cannot connect to the api at %s:%d\n", d->o.api_host,
                    d->o.api_port);
            event_base_loopbreak(d->base);
            return;
        }
        start_calls(d);
        arm_tick(d, d->o.timeout_s);
        return;
    }
    d->timed_out = true;                /* the calls' deadline */
    d->done = stamp_now();
    read_cpu(d, true);
    event_base_loopbreak(d->base);
}

static FILE *open_out(const struct driver *d, const char *name, bool is_buffered)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", d->o.out_dir, name);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        fprintf(stderr, "calls_driver: %s: %s\n", path, strerror(errno));
    else if (is_buffered)   /* the records stay in memory until the run is over */
        setvbuf(f, NULL, _IOFBF, RECORD_BUFFER_BYTES);
    return f;
}

static bool write_results(struct driver *d)
{
    FILE *calls = open_out(d, "calls.jsonl", false), *run = open_out(d, "run.json", false);
    if (calls == NULL || run == NULL) {
        if (calls)
            fclose(calls);
        if (run)
            fclose(run);
        return false;
    }
    for (int i = 0; i < d->n_lines; i++)
        line_write_record(d->lines[i], calls);
    json_t *cpu = json_object(), *wait = json_object();
    for (int i = 0; i < d->n_watched; i++) {
        const struct watched *w = &d->watched[i];
        json_object_set_new(cpu, w->name, json_real(w->end.run_s - w->start.run_s));
        json_object_set_new(wait, w->name, json_real(w->end.wait_s - w->start.wait_s));
    }
    json_t *r = json_pack("{s:f, s:f, s:f, s:f, s:b, s:i, s:i, s:i, s:o, s:o, s:f, s:I}",
                          "t_first", d->started.real_s, "t_first_mono", d->started.mono_s,
                          "t_done", d->done.real_s, "t_done_mono", d->done.mono_s,
                          "timed_out", d->timed_out, "calls", d->n_lines, "live", d->world.live,
                          "hook_conns", d->o.hook_conns, "cpu_s", cpu, "cpu_wait_s", wait,
                          "cpu_window_s", d->done.mono_s - d->started.mono_s,
                          "requests", (json_int_t)calls_control_requests(d->control));
    json_dumpf(r, run, JSON_COMPACT | JSON_REAL_PRECISION(17));
    fputc('\n', run);
    json_decref(r);
    bool ok = fclose(calls) == 0;
    return fclose(run) == 0 && ok;
}

static bool driver_open(struct driver *d)
{
    struct event_config *cfg = event_config_new();
    if (cfg != NULL)    /* timers to the µs (timerfd), not epoll's milliseconds */
        event_config_set_flag(cfg, EVENT_BASE_FLAG_PRECISE_TIMER);
    d->base = cfg ? event_base_new_with_config(cfg) : NULL;
    event_config_free(cfg);
    d->commands = open_out(d, "commands.jsonl", true);
    d->webhooks = open_out(d, "webhooks.jsonl", true);
    if (d->base == NULL || d->commands == NULL || d->webhooks == NULL)
        return false;
    struct hook_pool_config hc = {.path = "/webhooks/telnyx", .n_conns = d->o.hook_conns,
                                  .records = d->webhooks, .on_idle = check_done, .on_idle_arg = d};
    snprintf(d->webhook_url, sizeof d->webhook_url, "http://%s:%d/webhooks/telnyx", d->o.api_host,
             d->o.api_port);
    hc.url = d->webhook_url;
    hc.api.sin_family = AF_INET;
    hc.api.sin_port = htons((uint16_t)d->o.api_port);
    if (inet_pton(AF_INET, d->o.api_host, &hc.api.sin_addr) != 1) {
        fprintf(stderr, "calls_driver: --api wants an IPv4 address, not %s\n", d->o.api_host);
        return false;
    }
    if (!load_key(d->o.key_path, hc.secret_key))
        return false;
    d->hooks = hook_pool_create(d->base, &hc);
    sodium_memzero(hc.secret_key, sizeof hc.secret_key);
    struct calls_control_config cc = {.host = d->o.listen_host, .port = d->o.listen_port,
                                      .api_key = d->o.api_key, .records = d->commands,
                                      .find_line = find_line, .find_line_arg = d,
                                      .answer_delay_ms = d->o.answer_delay_ms};
    d->control = calls_control_create(d->base, &cc);
    d->world = (struct line_world){
        .base = d->base, .hooks = d->hooks, .connection_id = "sim-connection",
        .script = script, .n_script = (int)(sizeof script / sizeof *script),
        .speech_s_per_word = d->o.speech_ms_per_word / 1000.0, .turn_gap_s = d->o.turn_gap_ms / 1000.0,
        .greeting_wait_s = d->o.greeting_wait_ms / 1000.0, .reply_wait_s = d->o.reply_wait_ms / 1000.0,
        .answer_timeout_s = 30.0, .max_call_s = 600.0, .on_ended = check_done, .on_ended_arg = d};
    d->tick = evtimer_new(d->base, on_tick, d);
    return d->hooks != NULL && d->control != NULL && d->tick != NULL && line_world_init(&d->world);
}

static void driver_close(struct driver *d)
{
    for (int i = 0; i < d->n_lines; i++)
        line_free(d->lines[i]);
    free(d->lines);
    calls_control_free(d->control);
    hook_pool_free(d->hooks);       /* writes the records of webhooks never acknowledged */
    line_world_cleanup(&d->world);
    if (d->tick != NULL)
        event_free(d->tick);
    if (d->base != NULL)
        event_base_free(d->base);
    if (d->commands != NULL)
        fclose(d->commands);
    if (d->webhooks != NULL)
        fclose(d->webhooks);
    for (int i = 0; i < d->n_numbers; i++)
        free(d->numbers[i]);
    free(d->numbers);
}

int main(int argc, char **argv)
{
    static struct driver d;
    if (!parse_opts(argc, argv, &d.o))
        return 2;
    if (sodium_init() < 0 || !load_numbers(&d) || !parse_pids(&d) || !driver_open(&d)) {
        driver_close(&d);
        return 1;
    }
    arm_tick(&d, 0);
    event_base_dispatch(d.base);
    bool is_written = d.is_started && write_results(&d);
    int ended = d.n_lines - d.world.live;
    printf("DRIVER calls=%d ended=%d timed_out=%d requests=%ld elapsed_s=%.3f\n", d.n_lines, ended,
           d.timed_out, d.control ? calls_control_requests(d.control) : 0,
           d.is_started ? d.done.mono_s - d.started.mono_s : 0);
    driver_close(&d);
    return is_written && !d.timed_out ? 0 : 1;
}
