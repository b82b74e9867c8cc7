/* lib/owner/owner_items.h: the JSON of the business's records as the owner API shows
 * them, one SQL expression per kind so that a list and a call's detail show an item
 * the same way. Built by PostgreSQL (json_build_object), so times come out in the
 * transaction's TimeZone (the business's) with their offset.
 *
 * Bookings and messages name their call by Telnyx's call_control_id; the call's id
 * (call_logs.id) is derived from it as the worker derives it (det_uuid2("call_logs",
 * business, call_control_id), workers/call_records.c), so a page costs no lookup per
 * row: owner_items_link_calls turns the one into the other. */
#ifndef FD_OWNER_ITEMS_H
#define FD_OWNER_ITEMS_H
#include <jansson.h>

/* b: bookings. call_control_id is replaced by call_id (owner_items_link_calls). */
#define OWNER_BOOKING_JSON                                                                  \
    "json_build_object('id', b.id, 'call_control_id', b.call_control_id, 'service', "       \
    "b.service, 'starts_at', b.starts_at, 'ends_at', b.ends_at, 'status', b.status, "       \
    "'caller_name', b.caller_name, 'caller_number', b.caller_number, 'created_at', "        \
    "b.created_at, 'cancelled_at', b.cancelled_at)"

/* m: messages. call_control_id is replaced by call_id. handled_at and handled_by (the
 * email of the user who marked it) are null until the business handles it
 * (schema/0013_message_handlings.sql); each is one lookup by the message's id. */
#define OWNER_MESSAGE_JSON                                                                  \
    "json_build_object('id', m.id, 'call_control_id', m.call_control_id, 'caller_name', "   \
    "m.caller_name, 'callback_number', m.callback_number, 'message', m.message, "           \
    "'taken_at', m.taken_at, 'handled_at', (SELECT h.handled_at FROM message_handlings h "  \
    "WHERE h.message_id = m.id), 'handled_by', (SELECT u.email FROM message_handlings h "   \
    "JOIN users u ON u.id = h.user_id WHERE h.message_id = m.id))"

/* u: upsell_opportunities; evidence holds the caller's own words. */
#define OWNER_UPSELL_JSON                                                                   \
    "json_build_object('id', u.id, 'call_id', u.call_log_id, 'service', u.service, "        \
    "'suggested_service', u.suggested_service, 'evidence', u.evidence, 'created_at', "      \
    "u.created_at)"

/* c: call_logs, l: its lead_scores row, v: its call_conversations row (both may be
 * missing: NULL). */
#define OWNER_CALL_FIELDS                                                                   \
    "'id', c.id, 'started_at', c.started_at, 'ended_at', c.ended_at, 'duration_s', "        \
    "c.duration_s, 'from', c.from_number, 'to', c.to_number, 'outcome', c.outcome, "        \
    "'lead_score', l.score, 'summary', v.summary"

/* The joins OWNER_CALL_FIELDS reads, after "FROM call_logs c". */
#define OWNER_CALL_JOINS                                                                    \
    " LEFT JOIN lead_scores l ON l.business_id = c.business_id AND l.call_log_id = c.id"    \
    " LEFT JOIN LATERAL (SELECT v.id, v.summary FROM call_conversations v"                  \
    " WHERE v.business_id = c.business_id AND v.call_log_id = c.id"                         \
    " ORDER BY v.created_at LIMIT 1) v ON true"

/* For each object of items (a JSON array; NULL is fine): its "call_control_id" becomes
 * "call_id", the id of its call in business_id, or null when it has none. */
void owner_items_link_calls(json_t *items, const char *business_id);

#endif
