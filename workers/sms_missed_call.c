/* workers/sms_missed_call.c: see sms_missed_call.h. The text is queued with the commit of
 * the call's hang-up, so within a second or two (and at most a minute) of the missed
 * call; workers/sms_sender.c (lua/sms_take.lua) then keeps the three rules a send must:
 * not before 8:00 in the business's zone (a text queued at night waits until then, by
 * the receptionist's clock), at most one a day per caller (`once`), and never to a
 * number that opted out of the business's texts, checked when it is sent. */
#include "sms_missed_call.h"

#include <stdio.h>
#include <string.h>

#include "calendar/tz.h"
#include "calendar/wall_clock.h"
#include "call_ctx.h"
#include "core/det_uuid.h"
#include "core/e164.h"
#include "tenant.h"
#include "worker.h"

bool sms_number_is_textable(const char *number)
{
    return number != NULL && e164_is_valid(number, strlen(number)) && strlen(number) >= 11;
}

/* When a text that is not an answer may go out: now between 8:00 and 21:00, else the
 * next 8:00, in the business's zone. 0 means now. */
static long long first_polite_ms(const struct tz *tz, long long now_ms, const struct tz_local *local)
{
    int hour = local->wall.hour;
    if (hour >= SMS_QUIET_END_HOUR && hour < SMS_QUIET_START_HOUR)
        return 0;
    struct civil_date day = local->wall.date;
    if (hour >= SMS_QUIET_START_HOUR)
        day = civil_date_from_days(civil_days_from_date(&day) + 1);
    struct civil_time eight = {.date = day, .hour = SMS_QUIET_END_HOUR};
    int64_t utc_s;
    if (!tz_from_local(tz, &eight, &utc_s, NULL))
        return now_ms + 3600000;    /* cannot happen for a valid zone: an hour later */
    return (long long)utc_s * 1000;
}

void sms_missed_call_add(struct call_ctx *c)
{
    struct call_work *w = &c->work;
    const struct tenant *t = c->t;
    const struct agent_config *cfg = t->agent.config;
    if (!w->fx.is_finished || strcmp(w->next.outcome, CALL_OUTCOME_MISSED) != 0 ||
        strcmp(w->next.direction, "incoming") != 0 || cfg == NULL || cfg->missed_call_text == NULL ||
        t->agent.tz == NULL || !sms_number_is_textable(w->next.from) || w->next.to[0] == '\0' ||
        c->out.nsms >= CALL_SMS_MAX)
        return;
    long long now_ms = wall_clock_now_ms(t->w->clock);
    struct tz_local local;
    if (!tz_to_local(t->agent.tz, now_ms / 1000, &local))
        return;
    struct queued_sms *m = &c->out.sms[c->out.nsms++];
    *m = (struct queued_sms){.not_before_ms = first_polite_ms(t->agent.tz, now_ms, &local)};
    det_uuid2(m->id, "sms-missed-call", t->id, w->next.call_control_id);
    snprintf(m->to, sizeof m->to, "%s", w->next.from);
    snprintf(m->text, sizeof m->text, "%s", cfg->missed_call_text);
    snprintf(m->audience, sizeof m->audience, "caller");
    snprintf(m->kind, sizeof m->kind, "missed_call");
    /* the day of the missed call, in the business's zone: one text per caller and day */
    snprintf(m->once, sizeof m->once, "missed:%.20s %04d-%02d-%02d", w->next.from, local.wall.date.year,
             local.wall.date.month, local.wall.date.day);
}
