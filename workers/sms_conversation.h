/* workers/sms_conversation.h: a text conversation between a business and one number,
 * run by the call runner like a call (its events queued under `sms:<number>`, applied in
 * order, once, committed with the same fenced script) but with its own flow instead of
 * the call flow (docs/worker.md, "Text conversations"):
 *
 *   message.received   STOP / START / HELP answered as CTIA asks (lib/sms/sms_keywords.h);
 *                      any other text gathered for FRONTDESK_SMS_GATHER_MS, then the
 *                      built-in receptionist answers the gathered texts at once, in text
 *                      form (lib/sms/sms_render.h), with the same tools as on a call
 *   timer              the gathering time is over: the receptionist answers
 *   message.sent,
 *   message.finalized  the delivery status of one of the business's texts, recorded
 *
 * Its state is the hash fd:{sNNN}:t:B:sms:<number> (the call state's fields, read as
 * the list in docs/design.md says), which expires FRONTDESK_SMS_IDLE_S after the last
 * text. Whether the number opted out is read from fd:{sNNN}:t:B:sms_optout with it. */
#ifndef FD_SMS_CONVERSATION_H
#define FD_SMS_CONVERSATION_H
#include <stdbool.h>

#include "sms/sms_event.h"
#include "sms/sms_render.h"

struct call_ctx;
struct tool_done;
struct lua_args;

/* What the conversation knows besides its call-shaped state, and what the event in
 * hand will commit besides texts and records. */
struct sms_conv {
    bool is_opted_out;              /* as loaded with the state, or as this event left it */
    char optout_value[96];          /* "<opt-out id> <ms>" while opted out */
    /* the event in hand */
    bool is_optout_changed;         /* commit the opt-out (or its lifting) */
    bool next_is_opted_out;         /* as the event leaves it, adopted after the commit */
    char next_optout_value[96];
    struct sms_reply reply;         /* the receptionist's words of this turn, as texts */
    bool is_answering;              /* the receptionist answers in this event */
    bool is_person_asked;           /* a person was asked for: the owner is told */
    char person_reason[256];
    char turn_text[SMS_TEXT_MAX + 1]; /* model mode: a text answered at once */
};

bool sms_conversation_is_id(const char *call_id);          /* "sms:..." */
/* After the state's HGETALL: reads the number's opt-out, then advances c. */
void sms_conversation_load_optout(struct call_ctx *c);
/* Model mode: the words the receptionist answers in the event in hand (the gathered
 * texts when their time came, or a text answered at once), or NULL when it answers
 * none; borrowed from c. */
const char *sms_conversation_turn_text(struct call_ctx *c);
/* The event in hand through the text flow (instead of call_flow_apply). */
void sms_conversation_apply(struct call_ctx *c);
/* A tool the receptionist asked for has run (instead of call_flow_tool_result). */
void sms_conversation_tool_result(struct call_ctx *c, const struct tool_done *done);
/* Before the commit: the turn's texts and their records join c's output. */
void sms_conversation_finish(struct call_ctx *c);
/* The commit's last part: the opt-out change, as worker_commit.lua reads it. */
void sms_conversation_commit_args(const struct call_ctx *c, struct lua_args *a);
/* The commit succeeded: the opt-out it wrote is the conversation's. */
void sms_conversation_adopt(struct call_ctx *c);

#endif
