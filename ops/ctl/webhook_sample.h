/* ops/ctl/webhook_sample.h: realistic Telnyx v2 webhook bodies (docs/telnyx.md §2, §3, §5)
 * for development and tests; the services never use them. Each body validates against
 * the Telnyx schema extract (tests/schemas/openapi_subset.py). */
#ifndef FD_CTL_WEBHOOK_SAMPLE_H
#define FD_CTL_WEBHOOK_SAMPLE_H
#include <stdbool.h>

struct webhook_sample {
    const char *type;            /* data.event_type; NULL: "call.initiated" */
    const char *to, *from;       /* NULL: the defaults below */
    const char *id;              /* data.id; NULL: a fresh UUID */
    const char *call_control_id; /* NULL: a fresh one */
    const char *client_state;    /* NULL: left out */
    const char *text;            /* message text, transcript, or DTMF digits; NULL: a sample */
    const char *occurred_at;     /* NULL: now */
};

#define WEBHOOK_SAMPLE_TO "+13125550100"     /* the business's number */
#define WEBHOOK_SAMPLE_FROM "+13125550199"   /* the caller */

/* True for the types that get a type-specific payload; others get the common call
 * fields (call.*) or an empty payload. */
bool webhook_sample_is_known_type(const char *type);
/* The body as compact JSON on one line (owned: free()); NULL when a string of s is
 * not UTF-8. */
char *webhook_sample_build(const struct webhook_sample *s);

#endif
