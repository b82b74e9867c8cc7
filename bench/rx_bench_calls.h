/* bench/rx_bench_calls.h: the calls bench/rx_bench.c plays to the business of
 * bench/rx_bench_config.h, each a script of what the caller does and what the
 * receptionist must answer: hours, prices by name and alias, the FAQ by question and
 * keyword, address and policies, bookings slot by slot (days and times in the forms
 * callers use, a taken time), cancel and move, messages with callback numbers, turns
 * not understood, a request for a person, an escalation keyword, silences, goodbyes. */
#ifndef FD_RX_BENCH_CALLS_H
#define FD_RX_BENCH_CALLS_H
#include <stddef.h>

#include "agent/agent_config.h"

#define RX_BENCH_STEPS_MAX 24
#define RX_BENCH_SCRIPTS ((size_t)32)     /* 22 written out, 10 of the FAQ */

enum step_kind { STEP_END, STEP_SAY, STEP_SILENCE, STEP_TAKEN };

/* One thing the caller does. intent: what the reply must be ("" or NULL: unchecked);
 * expect: a part the reply must contain, or NULL. */
struct rx_bench_step {
    enum step_kind kind;
    const char *intent, *text, *expect;
};

#define SAY(intent, text) {STEP_SAY, intent, text, NULL}
#define SILENCE {STEP_SILENCE, "silence", NULL, NULL}
#define TAKEN {STEP_TAKEN, NULL, NULL, NULL}     /* the next availability check: taken */

enum { OUT_BOOKED = 1, OUT_MESSAGE = 2, OUT_TRANSFER = 4, OUT_GOODBYE = 8 };

struct rx_bench_script {
    const char *name;
    const char *local;      /* the business's wall time, "YYYY-MM-DD HH:MM" */
    unsigned outcome;       /* OUT_* that must hold when the call ends */
    struct rx_bench_step steps[RX_BENCH_STEPS_MAX];
};

/* The scripts (static storage, borrowed), RX_BENCH_SCRIPTS of them. The FAQ lines
 * expect the answers of cfg (the parsed business), which must outlive their use. */
const struct rx_bench_script *rx_bench_scripts(const struct agent_config *cfg);

#endif
