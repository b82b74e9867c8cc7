/* lib/billing/stripe_answer.h: what one answer of Stripe's API means for the job that
 * asked (STRIPE.md §1, copied into docs/billing.md "Outbound"), and how long a job waits
 * before its next attempt. Pure: no I/O, so every rule is unit-tested.
 *
 * A request is sent with a deterministic Idempotency-Key, so the verdicts say what to do
 * with that key: send it again later (RETRY, INDETERMINATE), never again (FAILED: the
 * request itself is wrong; only a new key may retry it), or nothing (DONE). */
#ifndef FD_STRIPE_ANSWER_H
#define FD_STRIPE_ANSWER_H
#include <stdbool.h>
#include <stddef.h>

enum stripe_verdict {
    STRIPE_DONE,            /* 2xx: Stripe did it (or had done it: a replay) */
    STRIPE_RETRY,           /* no answer, 409, 429, 502-504, or Stripe-Should-Retry: true */
    STRIPE_INDETERMINATE,   /* 500 (or another 5xx): maybe done; Stripe replays it for the
                               key, so the same key is sent again and never a new one */
    STRIPE_FAILED,          /* any other 4xx, or Stripe-Should-Retry: false */
};

#define STRIPE_ID_MAX 256
#define STRIPE_MESSAGE_MAX 512

struct stripe_answer {
    enum stripe_verdict verdict;
    long status;                            /* HTTP status; 0: no answer */
    char object_id[STRIPE_ID_MAX];          /* DONE: the object's id, else its identifier
                                               (a meter event has no id); "" if neither */
    char error_type[64];                    /* error.type, "" when none */
    char error_code[64];                    /* error.code, "" when none */
    char message[STRIPE_MESSAGE_MAX];       /* error.message, or why there was no answer */
};

/* What the transport saw, as the classifier takes it. */
struct stripe_response {
    long status;                /* 0 when no response arrived */
    const char *should_retry;   /* the Stripe-Should-Retry header's value; NULL if absent */
    const char *body;           /* may be NULL; need not be JSON */
    size_t body_len;
    const char *transport_error;/* status 0: why (curl's words); may be NULL */
};

/* Fills *out from r. Never fails: a body that does not read leaves the ids and error
 * fields "" (a 2xx without an id is still DONE). */
void stripe_answer_classify(const struct stripe_response *r, struct stripe_answer *out);

/* One line for operators (last_error), e.g. "HTTP 400 invalid_request_error
 * resource_missing: No such customer: 'cus_x'" or "no answer: Timeout was reached". */
void stripe_answer_describe(const struct stripe_answer *a, char *out, size_t out_len);

/* The wait before attempt number attempts + 1 after a transient failure: 1 s doubled per
 * attempt made, capped at STRIPE_RETRY_CAP_MS, then jittered down by up to a quarter;
 * unit is a random number in [0, 1). attempts < 1 counts as 1. */
#define STRIPE_RETRY_BASE_MS 1000
#define STRIPE_RETRY_CAP_MS (5 * 60 * 1000)
long long stripe_retry_delay_ms(int attempts, double unit);

const char *stripe_verdict_name(enum stripe_verdict v);

/* True for Stripe's refusal of a meter event whose identifier it already holds
 * (resource_already_exists): the booking was reported under another key (one Stripe
 * forgot after a 500, or an operator's retry), so it is billed, and must not be again. */
bool stripe_answer_is_known_identifier(const struct stripe_answer *a);

#endif
