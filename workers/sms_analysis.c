/* workers/sms_analysis.c: see sms_analysis.h. A text conversation has no call_logs row
 * (it is no call, and the calls' figures must not count it); its records name the
 * conversation where a call's name the call's log, and their ids come from its
 * sms:<conversation id>, so an analysis replayed is recorded once. */
#include "sms_analysis.h"

#include <stdio.h>

#include "call/call_analysis.h"
#include "call_ctx.h"
#include "core/det_uuid.h"
#include "core/log.h"
#include "store/outbox_record.h"
#include "tenant.h"

static void keep(struct call_ctx *c, struct outbox_record *r)
{
    if (c->out.nrecords < CALL_EXTRA_MAX) {
        c->out.records[c->out.nrecords++] = r;
        return;
    }
    log_msg(LOG_ERROR, "text analysis record dropped: no room", "business_id", c->t->id);
    outbox_record_free(r);
}

void sms_analysis_add(struct call_ctx *c)
{
    const struct call_state *s = &c->work.next;
    const char *business_id = c->t->id;
    struct call_analysis a;
    call_analysis_run(c->t->agent.config, &c->work.next_mem, s->from, "text", &a);
    char id[37];
    det_uuid2(id, "lead_scores", business_id, s->call_control_id);
    struct outbox_record *r = outbox_record_create("lead_scores", id);
    outbox_record_add_str(r, "call_log_id", s->conversation_id);
    outbox_record_add_str(r, "call_control_id", s->call_control_id);
    outbox_record_add_int(r, "score", a.score);
    outbox_record_add_str(r, "reasons", a.reasons);
    keep(c, r);
    for (int i = 0; i < a.nupsells; i++) {
        const char *parts[] = {business_id, s->call_control_id, a.upsells[i].suggested};
        det_uuid(id, "upsell_opportunities", 3, parts);
        r = outbox_record_create("upsell_opportunities", id);
        outbox_record_add_str(r, "call_log_id", s->conversation_id);
        outbox_record_add_str(r, "call_control_id", s->call_control_id);
        outbox_record_add_str(r, "service", a.upsells[i].service);
        outbox_record_add_str(r, "suggested_service", a.upsells[i].suggested);
        outbox_record_add_str(r, "evidence", a.upsells[i].evidence);
        keep(c, r);
    }
    det_uuid2(id, "call_conversations", business_id, s->call_control_id);
    r = outbox_record_create("call_conversations", id);
    outbox_record_add_str(r, "call_log_id", s->conversation_id);
    outbox_record_add_str(r, "summary", a.summary);
    outbox_record_add_int(r, "turns", s->turns);
    keep(c, r);
}
