/* lib/numbers/number_requests.h: the number_requests rows (schema/0006_number_requests.sql) as
 * the provisioning job claims and writes them, on the worker's non-blocking PostgreSQL
 * connection (lib/store/pg_conn.h).
 *
 * Claiming is the one read across tenants: number_request_claim() leases the request due
 * first to a claimant ("<worker id>/<claim uuid>", unique per claim). Every write then
 * runs as frontdesk_app in one transaction under the request's own tenant, and all but
 * KEEP_ORDER and STORE only match while the row is still the claimant's, so a claim whose
 * lease ran out and was taken over changes nothing. A write that moves the request on
 * renews the lease; WAIT, FORGET, FAIL and ACTIVATE let the request go. */
#ifndef FD_NUMBER_REQUESTS_H
#define FD_NUMBER_REQUESTS_H
#include <stdbool.h>

#include "core/err.h"
#include "numbers/number_order.h"

struct pg_conn;

/* o is the claimed request (borrowed for the call), NULL when none is due or when the
 * claim failed (err, why). */
typedef void (*number_claimed_fn)(const struct number_order *o, enum app_err err,
                                  const char *why, void *arg);

/* Claims the request due first for lease_ms. claimant is copied. */
void number_requests_claim(struct pg_conn *pg, const char *claimant, int lease_ms,
                           int timeout_ms, number_claimed_fn cb, void *arg);

/* r (borrowed for the call) is the outcome of the step's write: NUMBER_OK; NUMBER_LOST
 * when the row is no longer the claimant's (or gone); NUMBER_TAKEN when STORE found the
 * number another business's; NUMBER_UNAVAILABLE, with the database's words in detail. */
typedef void (*number_written_fn)(const struct number_result *r, void *arg);

/* True for the steps whose work is a write of the row (or of phone_numbers): CHOOSE,
 * COUNT, KEEP_ORDER, STORE, ACTIVATE, FORGET, WAIT and FAIL. */
bool number_requests_is_write(enum number_step step);

/* Runs the write of the step o is in, which must be one number_requests_is_write names,
 * for claimant, and calls cb once with its outcome, never from inside this call. lease_ms
 * is the renewed lease. Everything is copied. */
void number_requests_write(struct pg_conn *pg, const struct number_order *o,
                           const char *claimant, int lease_ms, int timeout_ms,
                           number_written_fn cb, void *arg);

#endif
