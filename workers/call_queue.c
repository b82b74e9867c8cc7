/* workers/call_queue.c: a call's events. They wait in stream order; the head is the
 * one in hand. One that fails before its commit is set aside with a backoff and comes
 * back at the head.
 * - When the event itself failed, the rest of the call goes on meanwhile (the call flow
 *   tolerates events out of order), so a poison event never blocks its call; it is
 *   counted as another delivery, and past the delivery limit dead-lettered
 *   (call_steps.c).
 * - When a dependency was unavailable (Redis, the model, or PostgreSQL's room in the
 *   outbox), the call's later events wait for it: they need the same dependency anyway,
 *   and the call flow sees its events in the order they came. */
#include <event2/event.h>
#include <stdlib.h>
#include <time.h>

#include "call_ctx.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "tenant.h"
#include "worker.h"

#define RETRY_BASE_MS 250
#define RETRY_MAX_MS 5000

static void stream_event_free(struct stream_event *ev)
{
    free(ev->body);
    free(ev);
}

void call_queue_push(struct call_queue *q, struct stream_event *ev)
{
    struct queued *item = xcalloc(1, sizeof *item);
    item->ev = ev;
    if (q->tail != NULL)
        q->tail->next = item;
    else
        q->head = item;
    q->tail = item;
}

static void push_front(struct call_queue *q, struct stream_event *ev)
{
    struct queued *item = xcalloc(1, sizeof *item);
    item->ev = ev;
    item->next = q->head;
    q->head = item;
    if (q->tail == NULL)
        q->tail = item;
}

struct stream_event *call_queue_pop(struct call_queue *q)
{
    struct queued *item = q->head;
    struct stream_event *ev = item->ev;
    q->head = item->next;
    if (q->head == NULL)
        q->tail = NULL;
    free(item);
    return ev;
}

void call_queue_free(struct call_queue *q)
{
    while (q->head != NULL)
        stream_event_free(call_queue_pop(q));
    while (q->parked != NULL) {
        struct parked *p = q->parked;
        q->parked = p->next;
        event_free(p->timer);
        stream_event_free(p->ev);
        free(p);
    }
}

void call_event_done(struct call_ctx *c, struct stream_event *ev, bool is_ok)
{
    struct tenant *t = c->t;
    worker_metrics_count_event(t->w, ev->type, is_ok);
    if (ev->handle_start.tv_sec != 0) {   /* handled, not dead-lettered unseen */
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        metrics_histogram_observe(&t->w->metrics.handler_latency,
                                  (double)(now.tv_sec - ev->handle_start.tv_sec) +
                                      (double)(now.tv_nsec - ev->handle_start.tv_nsec) / 1e9);
    }
    bool was_stream = !ev->is_timer;
    stream_event_free(ev);
    if (was_stream)
        reader_event_done(t);
}

/* Back at the head of its call: it is the oldest event the call has left. */
static void on_unpark(evutil_socket_t fd, short what, void *arg)
{
    struct parked *p = arg;
    struct call_ctx *c = p->c;
    (void)fd;
    (void)what;
    for (struct parked **pp = &c->queue.parked; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == p) {
            *pp = p->next;
            break;
        }
    }
    push_front(&c->queue, p->ev);
    event_free(p->timer);
    free(p);
    c->t->reading.parked--;
    call_advance_with(c, CALL_WAKE);
}

/* A failure is logged the first time and then at every doubling of its tries, so a long
 * outage writes a handful of lines per event, not one per retry. */
static void log_failure(const struct call_ctx *c, const struct stream_event *ev, const char *why,
                        bool is_transient, int tries)
{
    if ((tries & (tries - 1)) != 0)
        return;
    struct log_line l;
    if (log_begin(&l, LOG_WARN, "event failed; will retry")) {
        log_str(&l, "business_id", c->t->id);
        log_str(&l, "call", c->id);
        log_str(&l, "event_type", ev->type);
        log_str(&l, "event_id", ev->eid);
        log_str(&l, "cause", is_transient ? "unavailable" : "event");
        log_int(&l, "tries", tries);
        log_int(&l, "deliveries", ev->deliveries);
        log_str(&l, "error", why);
        log_end(&l);
    }
}

/* RETRY_BASE_MS doubling per try up to RETRY_MAX_MS, then 50-150 % of it, so the events
 * an outage set aside do not all come back in the same instant. */
int call_retry_delay_ms(int tries)
{
    int ms = RETRY_BASE_MS << (tries > 6 ? 6 : tries - 1);
    if (ms > RETRY_MAX_MS)
        ms = RETRY_MAX_MS;
    return ms / 2 + (int)(random() % (ms + 1));
}

/* The event stays pending in the stream meanwhile, so a new owner would find it too. A
 * failure of the event itself is counted again before the next try (the COUNT step), so
 * a poison event reaches the dead stream; an unavailable dependency is not: the event
 * waits out the outage however long it lasts. */
void call_event_set_aside(struct call_ctx *c, struct stream_event *ev, const char *why, bool is_transient)
{
    int tries;
    if (is_transient) {
        tries = ++ev->unavailable_tries;
    } else {
        tries = ev->deliveries < 1 ? 1 : ev->deliveries;
        if (!ev->is_timer)
            ev->deliveries = 0;     /* recount before the next try */
    }
    log_failure(c, ev, why, is_transient, tries);
    worker_metrics_count_event(c->t->w, ev->type, false);
    struct parked *p = xcalloc(1, sizeof *p);
    p->c = c;
    p->ev = ev;
    p->is_holding_call = is_transient;
    p->timer = evtimer_new(c->t->w->base, on_unpark, p);
    p->next = c->queue.parked;
    c->queue.parked = p;
    c->t->reading.parked++;
    int ms = call_retry_delay_ms(tries);
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    evtimer_add(p->timer, &tv);
}

bool call_queue_is_held(const struct call_queue *q)
{
    for (const struct parked *p = q->parked; p != NULL; p = p->next)
        if (p->is_holding_call)
            return true;
    return false;
}
