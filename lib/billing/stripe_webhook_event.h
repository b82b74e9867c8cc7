/* lib/billing/stripe_webhook_event.h: what the api reads of a Stripe event whose signature
 * checked out (docs/billing.md, "Inbound"): its id, type and created time, and what names
 * its business. The event itself goes on the business's stream as Stripe sent it; the
 * worker reads the rest. */
#ifndef FD_STRIPE_WEBHOOK_EVENT_H
#define FD_STRIPE_WEBHOOK_EVENT_H
#include <stddef.h>

#include "core/err.h"
#include "store/tenant_keys.h"

#define STRIPE_EVENT_ID_MAX 254          /* "evt_" + 1..250 of [A-Za-z0-9_] (stripe_events.id) */
#define STRIPE_EVENT_TYPE_MAX 100        /* stripe_events.type */
#define STRIPE_CUSTOMER_ID_MAX 254       /* "cus_" + 1..250 (businesses.stripe_customer_id) */
#define STRIPE_STREAM_TYPE_PREFIX "stripe."   /* Telnyx's events never carry it */
#define STRIPE_STREAM_EID_PREFIX "stripe:"
#define STRIPE_STREAM_CALL "billing"     /* one ordering key: applied one at a time */
#define STRIPE_STREAM_BODY_EVENT "event" /* the body's one key: the event as Stripe sent it */

struct mp_buf;

/* Where the business id came from, in the order docs/billing.md routes by. */
enum stripe_business_source {
    STRIPE_BUSINESS_NONE,                /* only the customer (if any) can name it */
    STRIPE_BUSINESS_METADATA,            /* data.object.metadata.business_id */
    STRIPE_BUSINESS_CLIENT_REFERENCE,    /* data.object.client_reference_id (Checkout) */
};

struct stripe_webhook_event {
    char id[STRIPE_EVENT_ID_MAX + 1];                    /* evt_... */
    char type[STRIPE_EVENT_TYPE_MAX + 1];                /* invoice.paid */
    char stream_type[sizeof STRIPE_STREAM_TYPE_PREFIX + STRIPE_EVENT_TYPE_MAX];  /* stripe.invoice.paid */
    char eid[sizeof STRIPE_STREAM_EID_PREFIX + STRIPE_EVENT_ID_MAX];             /* stripe:evt_... */
    long long created;                                   /* Unix seconds */
    char at[32];                                         /* created as ISO 8601 UTC */
    char business_id[FD_UUID_LEN + 1];                   /* canonical; "" when none */
    enum stripe_business_source business_source;
    char customer[STRIPE_CUSTOMER_ID_MAX + 1];           /* cus_...; "" when none */
};

/* Reads the event in json[0..len). APP_OK fills *out. APP_EINVAL when the body is not a
 * Stripe event (not a JSON object; id, type, created or data.object missing or
 * malformed): *why (static text) says what. A business id or customer id that is not
 * well formed is left out (routing falls to the next source), never an error: what
 * metadata holds is whatever was sent to Stripe, and the event is still Stripe's. */
enum app_err stripe_webhook_event_parse(const char *json, size_t len,
                                        struct stripe_webhook_event *out, const char **why);

/* Packs the stream entry's body into out (initialised by the caller, who owns and cleans
 * it up): the MessagePack map {"event": <json[0..len) as a string>}, byte for byte what
 * Stripe signed, so the worker reads the event exactly as it was verified. */
void stripe_webhook_event_pack_body(const char *json, size_t len, struct mp_buf *out);

#endif
