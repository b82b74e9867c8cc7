/* lib/sms/sms_event.h: the fields of a normalised message.* event (the MessagePack body
 * lib/telnyx/telnyx_event.c packs) that the worker reads, in fixed buffers: the inbound
 * text (message.received) or the delivery status of one of ours (message.sent,
 * message.finalized). */
#ifndef FD_SMS_EVENT_H
#define FD_SMS_EVENT_H
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define SMS_TEXT_MAX 1600       /* bytes of an inbound text kept (10 parts of 160) */

struct sms_event {
    char type[32];              /* "message.received", "message.sent", "message.finalized" */
    char at[64];                /* occurred_at */
    char message_id[129];       /* Telnyx's id of the text */
    char from[48];              /* from.phone_number */
    char to[48];                /* to[0].phone_number */
    char text[SMS_TEXT_MAX + 1];
    char status[32];            /* sent, finalized: to[0].status */
    char error_code[32];        /* errors[0].code, "" if none */
    char error_detail[256];     /* errors[0].title (and detail) */
    /* Telnyx answered a STOP/START/HELP itself (its advanced opt-in/out auto-response,
     * `autoresponse_type` in the payload): frontdesk does not answer it again. */
    char autoresponse_type[32];
};

/* Decodes a body. APP_EINVAL (with *why) when the bytes are not a MessagePack map with a
 * type; unknown keys are ignored and over-long strings cut. */
enum app_err sms_event_decode(const char *body, size_t len, struct sms_event *out, const char **why);

/* The status frontdesk records for a delivery status Telnyx reports (queued, sending,
 * sent, delivered, sending_failed, delivery_failed, delivery_unconfirmed, expired):
 * "queued", "sent", "delivered" or "failed"; NULL for one that is not a status. */
const char *sms_event_status_recorded(const char *telnyx_status);

#endif
