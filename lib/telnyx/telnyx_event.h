/* lib/telnyx/telnyx_event.h: a Telnyx v2 webhook body (docs/telnyx.md §2, §3, §5) turned into
 * frontdesk's internal event: the few plain fields the api needs to route and enqueue
 * it, and a MessagePack body that workers decode. Parsing is lenient about what the
 * spec leaves optional and strict about what we need (data.id, data.event_type).
 *
 * The MessagePack body (stream field `body`) is a map with string keys; its layout is
 * documented in telnyx_event.c and versioned by its "v" key. */
#ifndef FD_TELNYX_EVENT_H
#define FD_TELNYX_EVENT_H
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define TELNYX_EVENT_ID_MAX 128
#define TELNYX_EVENT_TYPE_MAX 64
/* Event types frontdesk puts on a business's stream itself (the owner API's actions);
 * a webhook carrying one is refused. */
#define TELNYX_RESERVED_TYPE_PREFIX "owner."
/* Stripe's events share the stream too (lib/billing/stripe_webhook_event.h, the same
 * prefixes): a Telnyx webhook may neither carry their type nor take their event ids. */
#define TELNYX_RESERVED_STRIPE_TYPE_PREFIX "stripe."
#define TELNYX_RESERVED_STRIPE_ID_PREFIX "stripe:"

struct telnyx_event {
    char type[TELNYX_EVENT_TYPE_MAX + 1];   /* data.event_type, e.g. "call.initiated" */
    char eid[TELNYX_EVENT_ID_MAX + 1];      /* data.id */
    char at[64];            /* data.occurred_at as sent, "" when absent */
    /* Ordering key of the conversation the event belongs to: the call_control_id for
     * call events (call_leg_id, then call_session_id when it has none), "sms:<E.164
     * of the other party>" for messages, "" otherwise. */
    char call[192];
    /* The number that names the business: `to` of an incoming call or inbound
     * message, `from` of an outgoing call or outbound message; "" when none. */
    char route_number[48];
    char client_state[1024];  /* payload.client_state as sent (base64), "" when absent */
    /* call.initiated of an incoming call (direction "incoming" or none): the first event
     * of a leg someone dialled, whose number names the business whatever else it says. */
    bool is_dialled_in;
    bool is_known_type;       /* one of the types of docs/telnyx.md §3 and §5 */
    unsigned char *body;      /* owned: MessagePack of the normalised event */
    size_t body_len;
};

/* Parses one webhook body. On APP_OK the caller owns out->body (free with
 * telnyx_event_cleanup). On APP_EINVAL *why (static text) says what was wrong:
 * not JSON, no data object, data.id or data.event_type missing or too long.
 * Unknown event types are APP_OK with is_known_type false and the raw payload kept. */
enum app_err telnyx_event_parse(const char *json, size_t len, struct telnyx_event *out,
                                const char **why);
void telnyx_event_cleanup(struct telnyx_event *ev);   /* NULL is fine */

#endif
