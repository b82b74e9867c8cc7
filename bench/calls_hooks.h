/* bench/calls_hooks.h: the calls driver's webhooks to frontdesk-api, sent as Telnyx
 * sends them (as tests/sim/sim_webhook.py does): a v2 envelope {"data", "meta"}, signed
 * with Ed25519 over "<timestamp>|<body>" (headers telnyx-timestamp and
 * telnyx-signature-ed25519), POSTed over a small pool of keep-alive HTTP/1.1
 * connections, retried with the simulator's backoff on a non-2xx or a dropped
 * connection. Each call has a queue: its webhooks leave one at a time, in the order they
 * were made, the next once the previous one was acknowledged, as the simulator's one
 * sender thread per call does. Every webhook's outcome is one JSON line in the records
 * file, written when it is acknowledged or given up (or at hook_pool_free), with its
 * "data" object, so the benchmark can check it against the schema after the run. */
#ifndef FD_BENCH_CALLS_HOOKS_H
#define FD_BENCH_CALLS_HOOKS_H

#include <netinet/in.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>

#include "calls_time.h"

struct event_base;
struct hook_pool;
struct hook_queue;              /* one call's webhooks, owned by the pool */

struct hook_pool_config {
    struct sockaddr_in api;     /* where frontdesk-api listens */
    const char *path;           /* e.g. "/webhooks/telnyx"; borrowed for the pool's life */
    const char *url;            /* the whole URL, for meta.delivered_to; borrowed likewise */
    unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
    int n_conns;                /* keep-alive connections, each one request at a time */
    FILE *records;              /* borrowed: one JSON line per webhook */
    void (*on_idle)(void *arg); /* called when nothing is queued or in flight any more */
    void *on_idle_arg;
};

/* A pool whose connections start opening at once; NULL if the loop refused. Borrows
 * base, which must outlive it. Free with hook_pool_free(). */
struct hook_pool *hook_pool_create(struct event_base *base, const struct hook_pool_config *cfg);
/* Connections open and ready to send. */
int hook_pool_connected(const struct hook_pool *p);
/* Nothing queued, in flight or waiting for a retry. */
bool hook_pool_is_idle(const struct hook_pool *p);
/* Writes a record for each webhook not done (acked_at null), closes the connections.
 * NULL is fine. */
void hook_pool_free(struct hook_pool *p);

/* A new, empty queue for the call call_id (copied), owned by p. */
struct hook_queue *hook_queue_create(struct hook_pool *p, const char *call_id);
/* Queues one webhook: data is the envelope's "data" object as JSON text (taken),
 * event_type (copied) and is_final (-1: not a transcription) go into its record. */
void hook_queue_put(struct hook_queue *q, char *data, const char *event_type, int is_final,
                    struct stamp queued);

#endif
