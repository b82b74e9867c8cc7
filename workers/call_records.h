/* workers/call_records.h: the durable records an event produces, as outbox entries
 * (docs/worker.md): a conversation_history row per new turn, and when the call ends its
 * call_logs and call_conversations rows. Every id is derived from the business and the
 * call (lib/core/det_uuid.h), so a replay produces the same rows and the drain's
 * ON CONFLICT DO NOTHING keeps each exactly once. */
#ifndef FD_CALL_RECORDS_H
#define FD_CALL_RECORDS_H
#include <stddef.h>

#include "call/call_analysis.h"
#include "call/call_flow.h"
#include "store/outbox_record.h"

/* turns, the call log, the conversation, the lead score and the upsells */
#define CALL_RECORDS_MAX (CALL_FLOW_MAX_TURNS + 3 + CALL_ANALYSIS_UPSELLS_MAX)

struct call_records {
    struct outbox_record *records[CALL_RECORDS_MAX];   /* owned */
    struct outbox_fields fields[CALL_RECORDS_MAX];     /* borrowed from records */
    int count;
};

/* Builds the records of one event: before/after are the call's state around it, fx what
 * call_flow_apply said, analysis what the receptionist's memory says of a call that
 * ended (NULL when there is none: no configuration): its summary replaces the generic
 * one, and its lead score and upsells become rows. Records that fail the whitelist are
 * logged and left out (a bug, never the caller's input). Release with
 * call_records_cleanup. */
void call_records_build(struct call_records *out, const char *business_id,
                        const struct call_state *before, const struct call_state *after,
                        const struct call_effects *fx, const struct call_analysis *analysis);
void call_records_cleanup(struct call_records *r);

/* The current UTC time as ISO 8601 with milliseconds. */
void call_records_iso_now(char *out, size_t len);
/* Parses ISO 8601 UTC ("2026-11-28T10:00:00.123456Z", offset-less or Z) into epoch ms;
 * -1 when it cannot. */
long long call_records_parse_iso_ms(const char *text);

#endif
