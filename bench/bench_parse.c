/* bench/bench_parse.c: parses per second of telnyx_event_parse (+ cleanup) on a few
 * fixtures, next to jansson's bare json_loadb + json_decref of the same body (the
 * floor for any jansson-based parser) and client_state_decode. Single-threaded.
 *
 * Not built by the Makefile yet; from the repo root:
 *   cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -Ilib -o build/bench_parse \
 *      bench/bench_parse.c lib/telnyx/telnyx_event.c lib/core/json_doc.c lib/core/mp_buf.c lib/telnyx/client_state.c \
 *      lib/core/err.c lib/core/xalloc.c $(pkg-config --cflags --libs jansson msgpack libsodium)
 *   build/bench_parse [seconds per case, default 1] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "telnyx/client_state.h"
#include "telnyx/telnyx_event.h"

#define FIXTURES "tests/fixtures/telnyx/"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long size;
    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)size + 1);
        if (buf != NULL && fread(buf, 1, (size_t)size, f) != (size_t)size) {
            free(buf);
            buf = NULL;
        }
        *len = (size_t)size;
    }
    fclose(f);
    return buf;
}

/* Runs parse (mode 0) or bare jansson (mode 1) for about seconds; returns parses/s. */
static double run(const char *json, size_t len, int mode, double seconds)
{
    long n = 0;
    double start = now_s(), elapsed;
    do {
        for (int i = 0; i < 1000; i++) {
            if (mode == 0) {
                struct telnyx_event ev;
                const char *why;
                if (telnyx_event_parse(json, len, &ev, &why) != APP_OK) {
                    fprintf(stderr, "parse failed: %s\n", why);
                    exit(1);
                }
                telnyx_event_cleanup(&ev);
            } else {
                json_decref(json_loadb(json, len, 0, NULL));
            }
        }
        n += 1000;
        elapsed = now_s() - start;
    } while (elapsed < seconds);
    return (double)n / elapsed;
}

static double run_client_state(double seconds)
{
    char value[CLIENT_STATE_MAX], business[37], conv[CLIENT_STATE_CONVERSATION_MAX + 1];
    long n = 0;
    double start = now_s(), elapsed;
    if (!client_state_encode("3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b", "v3-call-1", value))
        exit(1);
    do {
        for (int i = 0; i < 1000; i++)
            if (!client_state_decode(value, strlen(value), business, conv))
                exit(1);
        n += 1000;
        elapsed = now_s() - start;
    } while (elapsed < seconds);
    return (double)n / elapsed;
}

int main(int argc, char **argv)
{
    const char *types[] = {"call.initiated", "call.hangup", "call.transcription",
                           "message.received", "message.sent"};
    double seconds = argc > 1 ? atof(argv[1]) : 1.0;
    if (seconds <= 0)
        seconds = 1.0;
    printf("%-20s %6s %14s %10s %14s %10s\n", "fixture", "bytes", "parse/s", "ns/parse",
           "jansson/s", "ns/load");
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        char path[128];
        size_t len = 0;
        snprintf(path, sizeof path, FIXTURES "%s.json", types[i]);
        char *json = read_file(path, &len);
        if (json == NULL) {
            fprintf(stderr, "cannot read %s (run from the repo root)\n", path);
            return 1;
        }
        double parse = run(json, len, 0, seconds), load = run(json, len, 1, seconds);
        printf("%-20s %6zu %14.0f %10.0f %14.0f %10.0f\n", types[i], len, parse, 1e9 / parse,
               load, 1e9 / load);
        free(json);
    }
    double cs = run_client_state(seconds);
    printf("%-20s %6s %14.0f %10.0f\n", "client_state_decode", "-", cs, 1e9 / cs);
    return 0;
}
