/* bench/calls_control.h: the calls driver's Telnyx Call Control API, what the workers
 * reach at FRONTDESK_TELNYX_API_URL: POST /v2/calls/{call_control_id}/actions/{action}
 * with a Bearer key, answered at once (or after answer_delay_ms) with the body tests/sim/telnyx_sim.py gives
 * ({"data":{"result":"ok"}}, or its errors: 401, 404, 405, 422). Every request is one
 * JSON line in the records file, written as it is answered: its arrival on both clocks,
 * method, path, action, call, status and body. Bodies are not checked against the schema
 * here, which would cost time during the measurement; bench/calls_load.py checks the
 * logged bodies after the run with tests/sim/sim_schema.py. */
#ifndef FD_BENCH_CALLS_CONTROL_H
#define FD_BENCH_CALLS_CONTROL_H

#include <stdio.h>

struct event_base;
struct line;
struct calls_control;

struct calls_control_config {
    const char *host;           /* IPv4 address to listen on */
    int port;
    const char *api_key;        /* the Bearer key required; "" takes any non-empty key */
    FILE *records;              /* borrowed: one JSON line per request */
    /* The call with this call_control_id, or NULL. */
    struct line *(*find_line)(const char *call_control_id, void *arg);
    void *find_line_arg;
    /* The command takes effect at once, its HTTP answer leaves this much later: Telnyx
     * is a network round trip away (tens of ms from a cluster), which the workers wait
     * for. 0: answered in the same callback. */
    double answer_delay_ms;
};

/* Listens at once (TCP_NODELAY on accepted connections); NULL and a message on stderr
 * if it cannot. Borrows base and cfg's strings, which must outlive it. */
struct calls_control *calls_control_create(struct event_base *base,
                                           const struct calls_control_config *cfg);
/* Requests answered so far. */
long calls_control_requests(const struct calls_control *c);
void calls_control_free(struct calls_control *c);   /* NULL is fine */

#endif
