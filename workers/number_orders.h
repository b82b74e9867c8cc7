/* workers/number_orders.h: the worker's provisioning job. With FRONTDESK_TELNYX_CONNECTION_ID
 * and FRONTDESK_TELNYX_MESSAGING_PROFILE_ID set, every worker claims due number requests
 * (number_requests rows left by sign-up or the owner API) and fulfils them through Telnyx:
 * search, order once, follow the order, store and route the number (lib/numbers/). Any
 * number of workers run it side by side; see number_orders.c for why it is safe. */
#ifndef FD_NUMBER_ORDERS_H
#define FD_NUMBER_ORDERS_H
#include <stdbool.h>

struct evbuffer;
struct number_orders;
struct worker;

/* NULL when provisioning is off (neither variable set). Borrows w, whose Telnyx client,
 * Redis and PostgreSQL connections must outlive every request in flight: free this after
 * them. */
struct number_orders *number_orders_create(struct worker *w);
/* Frees what is left. Call after the Telnyx client, Redis and PostgreSQL connections are
 * freed: their callbacks end the requests in flight first. NULL is fine. */
void number_orders_free(struct number_orders *n);

/* Claims due requests while fewer than NUMBER_JOBS_MAX are in hand (each claim at most
 * every second when none was due). NULL is fine. */
void number_orders_tick(struct number_orders *n, long long now_ms);
/* The worker is stopping: no more claims, and no order is sent from now on (a request
 * about to order waits for the next worker instead). NULL is fine. */
void number_orders_stop(struct number_orders *n);
/* True while an order is out or its id not yet recorded: a stopping worker waits for
 * these (within its drain limit), so a deploy seldom leaves an order unanswered. */
bool number_orders_is_ordering(const struct number_orders *n);

/* Prometheus lines: frontdesk_number_requests_claimed_total,
 * frontdesk_number_orders_sent_total, frontdesk_number_requests_ended_total{end} and
 * frontdesk_number_requests_in_hand. NULL is fine (nothing written). */
void number_orders_write_metrics(const struct number_orders *n, struct evbuffer *out);

#endif
