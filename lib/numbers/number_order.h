/* lib/numbers/number_order.h: a business's request for a phone number (a row of
 * number_requests, schema/0006_number_requests.sql) as it is fulfilled through Telnyx
 * (docs/telnyx.md §6), one step at a time. Each step is one request to Telnyx, PostgreSQL
 * or Redis:
 *
 *   SEARCH      find US numbers with voice and SMS, in the area code asked for
 *   CHOOSE      record the number picked (status ordering)
 *   COUNT       record that an order is about to go out (order_attempts + 1)
 *   PLACE       order it, customer_reference naming the request; sent once
 *   KEEP_ORDER  record Telnyx's order id
 *   FOLLOW      ask Telnyx how the order is doing, until success or failure
 *   STORE       the number in phone_numbers, the business's
 *   ROUTE       the number in fd:numbers: its calls reach the business at once
 *   ACTIVATE    record the request active
 *   FORGET      a refused order: drop the number, search again later
 *   WAIT        record when to try again (backoff with jitter) and let the request go
 *   FAIL        record the request failed, with a reason its owner can act on
 *   END         nothing more in this claim
 *
 * Why it never orders two numbers for one request: a request orders only the number it
 * recorded at CHOOSE, and COUNT records each order before it is sent. An order whose
 * answer was lost (a timeout, a crash) is sent again for that same number, which Telnyx
 * cannot sell twice; if Telnyx then refuses it, the first order may have taken the
 * number, and the request fails for an operator to check instead of buying another.
 * Telnyx's order list by customer_reference would settle that, but it is not in the
 * spec extract we hold requests to (tests/schemas/telnyx-openapi-subset.json).
 *
 * Pure: the job that does the I/O (workers/number_orders.c) runs the step an order is
 * in, hands the outcome to number_order_advance and runs the step it returns. */
#ifndef FD_NUMBER_ORDER_H
#define FD_NUMBER_ORDER_H
#include <stdbool.h>

#include "core/e164.h"

#define NUMBER_REFERENCE_MAX 64     /* "frontdesk-request-<uuid>" and its NUL */
#define NUMBER_ORDER_ID_MAX 101
#define NUMBER_REASON_MAX 500       /* number_requests.failure_reason */
#define NUMBER_ERROR_MAX 1000       /* number_requests.last_error */
#define NUMBER_KEEP_TRIES 5         /* KEEP_ORDER, again within the claim, before WAIT */
#define NUMBER_RETRY_BASE_MS 1000
#define NUMBER_RETRY_MAX_MS 300000

enum number_step {
    NUMBER_SEARCH,
    NUMBER_CHOOSE,
    NUMBER_COUNT,
    NUMBER_PLACE,
    NUMBER_KEEP_ORDER,
    NUMBER_FOLLOW,
    NUMBER_STORE,
    NUMBER_ROUTE,
    NUMBER_ACTIVATE,
    NUMBER_FORGET,
    NUMBER_WAIT,
    NUMBER_FAIL,
    NUMBER_END,
};

/* How a claim ended, once the order is at NUMBER_END. */
enum number_end {
    NUMBER_ENDED_ACTIVE,        /* the number is the business's and routes */
    NUMBER_ENDED_FAILED,        /* failed, with failure_reason */
    NUMBER_ENDED_LATER,         /* waits for next_attempt_at (or for the lease to run out) */
    NUMBER_ENDED_LOST,          /* the row was no longer this claim's */
};

enum number_outcome {
    NUMBER_OK,
    NUMBER_NONE_FOUND,          /* SEARCH: no number with voice and SMS (in the area code) */
    NUMBER_PENDING,             /* FOLLOW: Telnyx has not finished the order */
    NUMBER_ORDER_FAILED,        /* FOLLOW: Telnyx says the order failed */
    NUMBER_REFUSED,             /* Telnyx refused the request itself (a 4xx other than 429) */
    NUMBER_TAKEN,               /* STORE: another business has the number */
    NUMBER_LOST,                /* the row is not this claim's any more, or is gone */
    NUMBER_UNAVAILABLE,         /* Telnyx, PostgreSQL or Redis failed or did not answer */
};

/* What a step's I/O came to. Strings are borrowed for the call (copied as needed). */
struct number_result {
    enum number_outcome outcome;
    const char *value;          /* SEARCH OK: the number picked; PLACE OK: the order id */
    const char *detail;         /* what went wrong, for operators; NULL: nothing to say */
    double jitter;              /* uniform in [0, 1): spreads the retries of requests that
                                   failed together */
};

/* One request in one claim: what its row says, and where the steps have taken it. */
struct number_order {
    char request_id[37], business_id[37];
    char area_code[4];                      /* "" when any area code will do */
    char phone_number[E164_MAX_LEN + 1];    /* "" until CHOOSE */
    char order_id[NUMBER_ORDER_ID_MAX];     /* "" until Telnyx accepted an order */
    int order_attempts;                     /* orders sent for phone_number (COUNT) */
    int attempts;                           /* tries of the current step without progress */
    enum number_step step;
    enum number_end end;                    /* at NUMBER_END */
    int keep_tries;                         /* KEEP_ORDER failures in this claim */
    long long delay_ms;                     /* run the next step after this long */
    long long wait_ms;                      /* WAIT, FORGET: next_attempt_at = now + this */
    char failure_reason[NUMBER_REASON_MAX + 1];  /* FAIL: for the owner */
    char last_error[NUMBER_ERROR_MAX + 1];       /* WAIT, FORGET, FAIL: for operators */
};

/* Fills o from a claimed row: status one of the schema's four, the other texts NULL when
 * the column is. The step is the one the row resumes at: pending -> SEARCH; ordering ->
 * FOLLOW once an order id is recorded, else COUNT (a chosen number, maybe ordered
 * already); active or failed -> END. False when a value is malformed. */
bool number_order_from_row(struct number_order *o, const char *request_id,
                           const char *business_id, const char *status, const char *area_code,
                           const char *phone_number, const char *order_id, int order_attempts,
                           int attempts);

/* Runs the outcome r of the step o is in and returns the step that follows (also o->step):
 * the only place that moves an order. At NUMBER_END, o->end says how the claim ended. */
enum number_step number_order_advance(struct number_order *o, const struct number_result *r);

/* "search", "choose", ... for logs and metrics. */
const char *number_step_name(enum number_step step);

/* The wait before try number attempts (1 for the first retry): 1 s doubling to 5 min,
 * jittered to 50..150% by jitter in [0, 1). */
long long number_retry_delay_ms(int attempts, double jitter);

/* Which of n numbers found to order (0..n-1), from random in [0, 1): requests searching
 * the same area code at once seldom pick the same one. */
int number_order_pick(int n, double random);

/* customer_reference of the request's orders: "frontdesk-request-<request id>". */
void number_order_reference(const struct number_order *o, char out[NUMBER_REFERENCE_MAX]);

#endif
