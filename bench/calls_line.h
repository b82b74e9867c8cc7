/* bench/calls_line.h: one simulated incoming call of the calls driver, the C twin of
 * tests/sim/sim_call.py for the steps the benchmark's callers take (they only say
 * things): the Telnyx side of the leg (parked, answered, hung up; the speech queue;
 * transcription; client_state echoed; command_id de-duplicated for 60 s) with the
 * webhooks each command causes, and the scripted caller on the other end, who waits for
 * the greeting, speaks each line word by word (an interim and a final
 * call.transcription), waits for the reply to end, and after the last line waits for
 * the receptionist to hang up. Same rules, same timings, same webhook bodies as the
 * simulator; its own timer drives each call on the driver's event loop. */
#ifndef FD_BENCH_CALLS_LINE_H
#define FD_BENCH_CALLS_LINE_H

#include <jansson.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>

#include "calls_time.h"

struct event_base;
struct hook_pool;
struct line;

/* What every call shares; the driver owns it and it outlives every line. */
struct line_world {
    struct event_base *base;        /* borrowed */
    struct hook_pool *hooks;        /* borrowed */
    const char *connection_id;      /* the payloads' connection_id */
    const char *const *script;      /* the caller's lines, n_script of them */
    int n_script;
    double speech_s_per_word;       /* the receptionist's and the caller's speech */
    double turn_gap_s;              /* the caller waits this long after the reply ends */
    double greeting_wait_s;         /* ... and this long at most for the greeting */
    double reply_wait_s;            /* ... and for a reply */
    double answer_timeout_s;        /* an unanswered call is abandoned */
    double max_call_s;              /* the caller hangs up after this long anyway */
    regex_t hold;                   /* "one moment ..." is no reply (line_world_init) */
    int live;                       /* calls not ended */
    void (*on_ended)(void *arg);    /* called each time a call ends */
    void *on_ended_arg;
};

/* Compiles the hold phrase; false if regcomp failed. Then line_world_cleanup(). */
bool line_world_init(struct line_world *w);
void line_world_cleanup(struct line_world *w);

/* A new call from from to to (E.164, copied), not started. Borrows w. */
struct line *line_create(struct line_world *w, const char *from, const char *to);
/* Sends call.initiated and starts the caller (who waits for answer). */
void line_start(struct line *l);
const char *line_id(const struct line *l);
void line_free(struct line *l);         /* NULL is fine */

/* Telnyx's answer to a command, as sim_call.py gives it: status 200, or an error with
 * its code, title and detail (static strings). */
struct line_answer {
    int status;
    const char *code, *title, *detail;
    bool is_duplicate;
};

/* Runs one command whose body is a JSON object (borrowed) that arrived at `at`. */
void line_command(struct line *l, const char *name, json_t *body, struct stamp at,
                  struct line_answer *out);

/* Writes the call as one JSON line shaped like the simulator's GET /_sim/calls/ID
 * (without its commands and webhooks, which have their own records). */
void line_write_record(const struct line *l, FILE *out);

#endif
