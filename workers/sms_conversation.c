/* workers/sms_conversation.c: see sms_conversation.h. Every step is deterministic in the
 * event: ids of records and texts come from the event id, so a replayed event queues the
 * same texts and records, which the commit writes once.
 *
 * Compliance comes first. STOP (and its synonyms) from a number that is not opted out
 * opts it out in the commit that also queues the one confirmation; a STOP from a number
 * already out, or one Telnyx reports it answered itself (`autoresponse_type`), is not
 * confirmed again. Nothing else is answered to an opted-out number; START, UNSTOP or YES
 * lifts the opt-out with one confirmation; HELP is answered whatever the opt-out. */
#include "sms_conversation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call_ctx.h"
#include "call_records.h"
#include "calendar/wall_clock.h"
#include "core/det_uuid.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "sms/sms_compliance.h"
#include "sms/sms_event.h"
#include "sms/sms_keywords.h"
#include "sms_analysis.h"
#include "store/lua_args.h"
#include "store/outbox_record.h"
#include "store/redis_conn.h"
#include "tenant.h"
#include "worker.h"

bool sms_conversation_is_id(const char *call_id)
{
    return strncmp(call_id, "sms:", 4) == 0;
}

static const char *caller_of(const struct call_ctx *c)
{
    return c->id + 4;
}

/* ---- the opt-out, read with the state ---- */

static void on_optout_read(const redisReply *reply, enum app_err err, void *arg)
{
    struct call_ctx *c = arg;
    struct tenant *t = c->t;
    if (tenant_is_owned(t)) {
        if (err != APP_OK || reply == NULL) {
            call_advance_redis_failed(c, reply, "could not read the number's opt-out");
        } else {
            c->sms.is_opted_out = reply->type == REDIS_REPLY_STRING;
            snprintf(c->sms.optout_value, sizeof c->sms.optout_value, "%s",
                     c->sms.is_opted_out ? reply->str : "");
            call_advance_with(c, CALL_OK);
        }
    }
    tenant_unref(t);
}

void sms_conversation_load_optout(struct call_ctx *c)
{
    const char *argv[] = {"HGET", c->t->keys.sms_optout, caller_of(c)};
    size_t len[] = {4, strlen(argv[1]), strlen(argv[2])};
    tenant_ref(c->t);
    redis_conn_command(c->t->w->redis, CALL_REDIS_TIMEOUT_MS, on_optout_read, c, 3, argv, len);
}

/* ---- output: records and texts committed with the event ---- */

static void add_record(struct call_ctx *c, struct outbox_record *r)
{
    if (c->out.nrecords < CALL_EXTRA_MAX) {
        c->out.records[c->out.nrecords++] = r;
        return;
    }
    log_msg(LOG_ERROR, "text record dropped: no room", "business_id", c->t->id);
    outbox_record_free(r);
}

static void queue_text(struct call_ctx *c, const char *seed, const char *audience, const char *kind,
                       const char *to, const char *text)
{
    if (c->out.nsms >= CALL_SMS_MAX || text[0] == '\0')
        return;
    struct queued_sms *m = &c->out.sms[c->out.nsms++];
    *m = (struct queued_sms){.not_before_ms = 0};
    det_uuid2(m->id, "sms-conversation", c->work.ce.eid, seed);
    snprintf(m->to, sizeof m->to, "%s", to);
    snprintf(m->text, sizeof m->text, "%s", text);
    snprintf(m->audience, sizeof m->audience, "%s", audience);
    snprintf(m->kind, sizeof m->kind, "%s", kind);
}

static long long now_ms(const struct call_ctx *c)
{
    return wall_clock_now_ms(c->t->w->clock);
}

/* The inbound text's row: its id from Telnyx's, so a text delivered twice is one row. */
static void record_inbound(struct call_ctx *c, const struct sms_event *ev)
{
    char id[37];
    det_uuid2(id, "sms_messages", c->t->id, ev->message_id[0] ? ev->message_id : c->work.ce.eid);
    struct outbox_record *r = outbox_record_create("sms_messages", id);
    outbox_record_add_str(r, "conversation_id", c->work.next.conversation_id);
    outbox_record_add_str(r, "direction", "inbound");
    outbox_record_add_str(r, "from_number", caller_of(c));
    outbox_record_add_str(r, "to_number", ev->to[0] ? ev->to : c->work.next.to);
    outbox_record_add_str(r, "caller_number", caller_of(c));
    outbox_record_add_str(r, "body", ev->text);
    if (ev->message_id[0] != '\0')
        outbox_record_add_str(r, "telnyx_message_id", ev->message_id);
    outbox_record_add_str(r, "status", "received");
    long long at_ms = call_records_parse_iso_ms(ev->at);
    outbox_record_add_time_ms(r, "at", at_ms > 0 ? at_ms : now_ms(c));
    add_record(c, r);
}

/* message.sent / message.finalized: the status Telnyx reports for one of our texts. */
static void record_status(struct call_ctx *c, const struct sms_event *ev)
{
    const char *status = sms_event_status_recorded(ev->status);
    if (status == NULL || ev->message_id[0] == '\0')
        return;
    char id[37];
    det_uuid2(id, "sms_status_reports", ev->message_id, status);
    struct outbox_record *r = outbox_record_create("sms_status_reports", id);
    outbox_record_add_str(r, "telnyx_message_id", ev->message_id);
    outbox_record_add_str(r, "status", status);
    if (ev->error_code[0] != '\0')
        outbox_record_add_str(r, "error_code", ev->error_code);
    if (ev->error_detail[0] != '\0')
        outbox_record_add_str(r, "error_detail", ev->error_detail);
    long long at_ms = call_records_parse_iso_ms(ev->at);
    outbox_record_add_time_ms(r, "at", at_ms > 0 ? at_ms : now_ms(c));
    add_record(c, r);
}

/* ---- compliance ---- */

static const char *business_name(const struct call_ctx *c)
{
    const struct tenant *t = c->t;
    if (t->agent.config != NULL && t->agent.config->business_name != NULL)
        return t->agent.config->business_name;
    return t->agent.view.business_name[0] ? t->agent.view.business_name : "this business";
}

static void opt_out(struct call_ctx *c, const struct sms_event *ev, const char *word)
{
    struct sms_conv *s = &c->sms;
    if (s->is_opted_out)
        return;                     /* out already: confirmed once, never again */
    char id[37];
    const char *parts[] = {c->t->id, caller_of(c), c->work.ce.eid};
    det_uuid(id, "sms_opt_outs", 3, parts);
    struct outbox_record *r = outbox_record_create("sms_opt_outs", id);
    outbox_record_add_str(r, "number", caller_of(c));
    outbox_record_add_str(r, "how", "keyword");
    outbox_record_add_str(r, "keyword", word);
    outbox_record_add_time_ms(r, "opted_out_at", now_ms(c));
    add_record(c, r);
    s->is_optout_changed = true;
    s->next_is_opted_out = true;
    snprintf(s->next_optout_value, sizeof s->next_optout_value, "%s %lld", id, now_ms(c));
    /* a booking question or gathered texts are not answered any more */
    c->work.next.last_caller_text[0] = '\0';
    c->work.next.timer_due_ms = 0;
    if (ev->autoresponse_type[0] != '\0')
        return;                     /* Telnyx confirmed it already */
    char text[SMS_COMPLIANCE_TEXT_MAX];
    sms_compliance_opt_out_text(text, sizeof text, business_name(c));
    queue_text(c, "opt-out", "compliance", "opt_out", caller_of(c), text);
}

static void opt_in(struct call_ctx *c, const struct sms_event *ev)
{
    struct sms_conv *s = &c->sms;
    char opt_out_id[37] = "";
    sscanf(s->optout_value, "%36s", opt_out_id);
    if (uuid_is_valid(opt_out_id, strlen(opt_out_id))) {
        char id[37];
        det_uuid2(id, "sms_opt_out_lifts", c->t->id, opt_out_id);
        struct outbox_record *r = outbox_record_create("sms_opt_out_lifts", id);
        outbox_record_add_str(r, "opt_out_id", opt_out_id);
        outbox_record_add_str(r, "how", "keyword");
        outbox_record_add_time_ms(r, "lifted_at", now_ms(c));
        add_record(c, r);
    }
    s->is_optout_changed = true;
    s->next_is_opted_out = false;
    s->next_optout_value[0] = '\0';
    if (ev->autoresponse_type[0] != '\0')
        return;
    char text[SMS_COMPLIANCE_TEXT_MAX];
    sms_compliance_opt_in_text(text, sizeof text, business_name(c));
    queue_text(c, "opt-in", "compliance", "opt_in", caller_of(c), text);
}

static void help(struct call_ctx *c, const struct sms_event *ev)
{
    if (ev->autoresponse_type[0] != '\0')
        return;
    const struct tenant *t = c->t;
    const char *call_number = t->agent.view.fallback_number[0] ? t->agent.view.fallback_number : c->work.next.to;
    char text[SMS_COMPLIANCE_TEXT_MAX];
    sms_compliance_help_text(text, sizeof text, business_name(c), call_number);
    queue_text(c, "help", "compliance", "help", caller_of(c), text);
}

/* ---- the receptionist ---- */

static void start_conversation(struct call_ctx *c, const struct sms_event *ev);

/* One answer of the receptionist, in text form. A transfer cannot happen by text: the
 * owner is told instead and the texter hears when to expect a call (finish). The end
 * of a call means nothing here. */
static void take_output(struct call_ctx *c, const struct rx_output *out)
{
    struct call_work *w = &c->work;
    w->fx.tool.tool = RX_TOOL_NONE;
    if (out->tool.tool == RX_TOOL_TRANSFER) {
        c->sms.is_person_asked = true;
        snprintf(c->sms.person_reason, sizeof c->sms.person_reason, "%s",
                 out->tool.reason[0] ? out->tool.reason : "asked for a person");
        return;
    }
    sms_render_add(&c->sms.reply, out->say);
    if (out->tool.tool != RX_TOOL_END_CALL && out->tool.tool != RX_TOOL_NONE)
        w->fx.tool = out->tool;
}

static void answer(struct call_ctx *c, const char *text)
{
    struct call_work *w = &c->work;
    c->sms.is_answering = true;
    if (!w->has_rx) {             /* the business's configuration does not validate */
        char reply[512];
        bool is_goodbye = false;
        agent_reply(&c->t->agent.view, text, reply, sizeof reply, &is_goodbye);
        sms_render_add(&c->sms.reply, reply);
        return;
    }
    if (c->llm.has_answer) {      /* model mode: the model answered these words (MODEL step) */
        take_output(c, &c->llm.answer);
        return;
    }
    w->rxctx.caller_number = w->next.from;
    struct rx_output out;
    rx_on_caller(&w->rxctx, &w->next_mem, text, &out);
    take_output(c, &out);
}

/* The words the receptionist answers in the event in hand, or NULL: the gathered texts
 * when their time has come, or a text answered at once (no gathering), unless it is a
 * compliance keyword or the number opted out. */
const char *sms_conversation_turn_text(struct call_ctx *c)
{
    const struct call_work *w = &c->work;
    if (c->sms.is_opted_out)
        return NULL;
    if (strcmp(w->ce.type, "timer") == 0)
        return w->ce.timer_due_ms == c->st.timer_due_ms && c->st.last_caller_text[0] ? c->st.last_caller_text
                                                                                     : NULL;
    if (strcmp(w->ce.type, "message.received") != 0 || c->t->w->wcfg.sms_gather_ms > 0 ||
        c->st.last_caller_text[0] != '\0')
        return NULL;
    const struct stream_event *se = call_event_in_hand(c);
    struct sms_event *ev = xcalloc(1, sizeof *ev);
    const char *why = NULL;
    const char *text = NULL;
    if (se->body != NULL && sms_event_decode(se->body, se->body_len, ev, &why) == APP_OK) {
        enum sms_keyword k = sms_keyword_of(ev->text, NULL, 0);
        if (k == SMS_KEYWORD_NONE || k == SMS_KEYWORD_START) {
            start_conversation(c, ev);  /* the model's tools name the conversation */
            snprintf(c->sms.turn_text, sizeof c->sms.turn_text, "%s", ev->text);
            text = c->sms.turn_text;
        }
    }
    free(ev);
    return text;
}

/* Texts that came close together are answered as one: each one is kept in the state
 * (last_caller_text: its first 1023 bytes, as much as the receptionist reads) until the
 * gathering time after the first is over (a timer, kept in Redis like a call's, so
 * another worker answers them if this one dies). */
static void gather(struct call_ctx *c, const char *text)
{
    struct call_state *next = &c->work.next;
    if (c->t->w->wcfg.sms_gather_ms <= 0 && next->last_caller_text[0] == '\0') {
        answer(c, text);            /* nothing to wait for */
        return;
    }
    size_t len = strlen(next->last_caller_text);
    int room = (int)(sizeof next->last_caller_text - len - 2);     /* a space and the NUL */
    if (room > 0)                   /* what does not fit is not answered */
        snprintf(next->last_caller_text + len, sizeof next->last_caller_text - len, "%s%.*s", len ? " " : "",
                 room, text);
    if (len == 0)                   /* the first of a burst (a quiet timer gives way) */
        next->timer_due_ms = worker_now_ms() + c->t->w->wcfg.sms_gather_ms;
}

static void on_gathered(struct call_ctx *c)
{
    struct call_state *next = &c->work.next;
    if (c->work.ce.timer_due_ms != c->st.timer_due_ms)
        return;                     /* a stale timer (another one is due): nothing changes */
    if (next->last_caller_text[0] == '\0') {  /* quiet since the last answer */
        c->work.fx.is_state_changed = true;
        next->timer_due_ms = 0;
        if (strcmp(next->outcome, SMS_ANALYSED) != 0 && c->t->agent.config != NULL) {
            sms_analysis_add(c);
            snprintf(next->outcome, sizeof next->outcome, "%s", SMS_ANALYSED);
        }
        return;
    }
    char said[sizeof next->last_caller_text];
    snprintf(said, sizeof said, "%s", next->last_caller_text);
    next->last_caller_text[0] = '\0';
    next->timer_due_ms = 0;
    c->work.fx.is_state_changed = true;
    if (!c->sms.is_opted_out)
        answer(c, said);
}

/* The first text of a conversation (or the first after its state expired). */
static void start_conversation(struct call_ctx *c, const struct sms_event *ev)
{
    struct call_state *next = &c->work.next;
    if (next->conversation_id[0] == '\0') {
        const char *parts[] = {c->t->id, caller_of(c), c->work.ce.eid};
        det_uuid(next->conversation_id, "sms_conversations", 3, parts);
        next->phase = CALL_LISTENING;
        snprintf(next->from, sizeof next->from, "%s", caller_of(c));
        snprintf(next->direction, sizeof next->direction, "incoming");
        snprintf(next->started_at, sizeof next->started_at, "%s", ev->at);
        /* the tools' records name the conversation as a call's name the call */
        snprintf(next->call_control_id, sizeof next->call_control_id, "sms:%s", next->conversation_id);
    }
    if (ev->to[0] != '\0')      /* answers go from the number the texter wrote to */
        snprintf(next->to, sizeof next->to, "%s", ev->to);
}

static void on_received(struct call_ctx *c, const struct sms_event *ev)
{
    struct call_work *w = &c->work;
    start_conversation(c, ev);
    w->next.turns++;
    w->fx.is_state_changed = true;
    record_inbound(c, ev);
    char word[24];
    switch (sms_keyword_of(ev->text, word, sizeof word)) {
    case SMS_KEYWORD_STOP:
        opt_out(c, ev, word);
        return;
    case SMS_KEYWORD_HELP:
        help(c, ev);
        return;
    case SMS_KEYWORD_START:
        if (c->sms.is_opted_out) {
            opt_in(c, ev);
            return;
        }
        break;                      /* "yes" to the receptionist's question */
    case SMS_KEYWORD_NONE:
        break;
    }
    if (!c->sms.is_opted_out)
        gather(c, ev->text);
}

void sms_conversation_apply(struct call_ctx *c)
{
    struct call_work *w = &c->work;
    struct sms_conv *s = &c->sms;
    memset(&w->fx, 0, sizeof w->fx);
    w->tool_rounds = 0;
    s->is_optout_changed = false;
    s->next_is_opted_out = s->is_opted_out;
    snprintf(s->next_optout_value, sizeof s->next_optout_value, "%s", s->optout_value);
    memset(&s->reply, 0, sizeof s->reply);
    s->is_answering = false;
    s->is_person_asked = false;
    if (strcmp(w->ce.type, "timer") == 0) {
        on_gathered(c);
        return;
    }
    const struct stream_event *se = call_event_in_hand(c);
    struct sms_event *ev = xcalloc(1, sizeof *ev);
    const char *why = NULL;
    if (se->body == NULL || sms_event_decode(se->body, se->body_len, ev, &why) != APP_OK) {
        log_msg(LOG_WARN, "text event not readable; acknowledged", "error", why ? why : "no body");
    } else if (strcmp(ev->type, "message.received") == 0) {
        on_received(c, ev);
    } else if (strcmp(ev->type, "message.sent") == 0 || strcmp(ev->type, "message.finalized") == 0) {
        record_status(c, ev);
    }
    free(ev);
}

void sms_conversation_tool_result(struct call_ctx *c, const struct tool_done *done)
{
    struct call_work *w = &c->work;
    struct rx_output out;
    rx_on_tool_result(&w->rxctx, &w->next_mem, &done->result, &out);
    take_output(c, &out);
}

/* ---- before the commit ---- */

/* Asked for a person: the owner is texted at once, the texter told when to expect a
 * call. Without an owner's number, the message is the way to a person. */
static void tell_owner(struct call_ctx *c)
{
    const struct agent_config *cfg = c->t->agent.config;
    const char *caller = caller_of(c);
    char text[480];
    if (cfg != NULL && cfg->owner_sms != NULL) {
        snprintf(text, sizeof text, "A texter (%.20s) asks for a person: %.200s. Please call them back.", caller,
                 c->sms.person_reason);
        queue_text(c, "person-owner", "owner", "notice", cfg->owner_sms, text);
        snprintf(text, sizeof text, "I've asked %.150s to call you back at %.20s. Expect a call within the hour "
                 "during opening hours.", business_name(c), caller);
    } else {
        snprintf(text, sizeof text, "I can't reach a person by text right now. Please call %.20s, or text me "
                 "your message and I'll pass it on.", c->work.next.to);
    }
    sms_render_add(&c->sms.reply, text);
}

/* A booking waiting for its yes is asked as a texter answers it: "Reply YES to book". */
static void ask_booking_by_text(struct call_ctx *c)
{
    const struct rx_memory *m = &c->work.next_mem;
    const struct agent_config *cfg = c->t->agent.config;
    if (cfg == NULL || m->pending != RX_ASK_CONFIRM_BOOKING || m->day.year == 0 || m->minute < 0)
        return;
    const char *service = m->service_index >= 0 && (size_t)m->service_index < cfg->nservices
                              ? cfg->services[m->service_index].name : "";
    char text[SMS_RENDER_TEXT_MAX + 1];
    sms_render_booking_question(text, sizeof text, service, &m->day, m->minute);
    memset(&c->sms.reply, 0, sizeof c->sms.reply);
    sms_render_add(&c->sms.reply, text);
}

/* Model mode: when the built-in receptionist answered the texter in the model's place,
 * the model's conversation gets its words, so that it knows them next time. */
static void note_said_for_the_model(struct call_ctx *c)
{
    if (c->llm.next == NULL || c->llm.has_answer || c->sms.reply.ntexts == 0)
        return;
    struct call_effects *fx = xcalloc(1, sizeof *fx);
    fx->nturns = 1;
    fx->turns[0].speaker = "agent";
    for (int i = 0; i < c->sms.reply.ntexts; i++) {
        size_t len = strlen(fx->turns[0].text);
        snprintf(fx->turns[0].text + len, sizeof fx->turns[0].text - len, "%s%s", len ? " " : "",
                 c->sms.reply.texts[i]);
    }
    llm_call_note_said(&c->llm, fx);
    free(fx);
}

void sms_conversation_finish(struct call_ctx *c)
{
    struct sms_conv *s = &c->sms;
    if (!s->is_answering)
        return;
    if (s->is_person_asked)
        tell_owner(c);
    ask_booking_by_text(c);
    /* analysed once, when it first goes quiet after an answer */
    struct call_state *next = &c->work.next;
    if (strcmp(next->outcome, SMS_ANALYSED) != 0 && next->last_caller_text[0] == '\0')
        next->timer_due_ms = worker_now_ms() + c->t->w->wcfg.sms_quiet_ms;
    note_said_for_the_model(c);
    for (int i = 0; i < s->reply.ntexts; i++) {
        char seed[24];
        snprintf(seed, sizeof seed, "reply-%d", i);
        queue_text(c, seed, "caller", "conversation", caller_of(c), s->reply.texts[i]);
    }
}

void sms_conversation_commit_args(const struct call_ctx *c, struct lua_args *a)
{
    const struct sms_conv *s = &c->sms;
    if (!s->is_optout_changed) {
        lua_args_int(a, 0);
        return;
    }
    lua_args_int(a, 1);
    lua_args_arg(a, caller_of(c));
    lua_args_arg(a, s->next_is_opted_out ? s->next_optout_value : "");
}

void sms_conversation_adopt(struct call_ctx *c)
{
    struct sms_conv *s = &c->sms;
    s->is_opted_out = s->next_is_opted_out;
    snprintf(s->optout_value, sizeof s->optout_value, "%s", s->next_optout_value);
}
