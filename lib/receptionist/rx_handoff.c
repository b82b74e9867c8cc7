/* lib/receptionist/rx_handoff.c: where a turn hands the conversation on, shared by the intents
 * (rx_intents.c) and the entry points (receptionist.c): to a person (a transfer, or when
 * no one can come a message or a booking instead), to the end of the call (goodbye), or
 * back to the task under way (its question asked again). Apart from the dispatcher so
 * that nothing below it calls back into it: the tasks (rx_booking.c, rx_cancel.c,
 * rx_message.c) are called from here, never the other way round. */
#include <string.h>

#include "receptionist/rx_internal.h"

static bool has_transfer_number(const struct rx_turn *t)
{
    return t->cfg->escalation.transfer_number != NULL ||
           (t->ctx->fallback_number != NULL && t->ctx->fallback_number[0] != '\0');
}

void rx_transfer(struct rx_turn *t, const char *reason)
{
    struct rx_tool_call *c = &t->out->tool;
    memset(c, 0, sizeof *c);
    c->tool = RX_TOOL_TRANSFER;
    size_t n = strnlen(reason, sizeof c->reason - 1);
    memcpy(c->reason, reason, n);
    c->reason[n] = '\0';
    t->mem->was_transferred = true;
    t->mem->task = RX_TASK_NONE;
    t->mem->pending = RX_ASK_WAIT_TOOL;
    t->out->intent = "transfer";
}

static void ask_transfer(struct rx_turn *t, const char *reason, rx_wordings words)
{
    rx_say_pick(t, words);
    rx_transfer(t, reason);
}

void rx_escalate(struct rx_turn *t, const char *reason, bool is_urgent)
{
    rx_wordings *words = is_urgent ? &rx_urgent_wordings
                         : t->out->is_misunderstood ? &rx_help_wordings : &rx_transfer_wordings;
    bool is_open = rx_is_open_now(t->ctx);
    if (!is_open && t->cfg->after_hours == AGENT_AFTER_HOURS_FORWARD) {
        ask_transfer(t, reason, *words);
        return;
    }
    if (!is_open && t->cfg->after_hours == AGENT_AFTER_HOURS_BOOKING_ONLY) {
        t->out->intent = "transfer";
        rx_say_gap(t);
        rx_say_put(&t->say, t->say.len > 0 ? "We're closed and no one is available right now; "
                                           : "I'm sorry, we're closed and no one is available right now; ");
        rx_say_next_open(t);
        rx_say_put(&t->say, ". I can book an appointment for you. Would you like that?");
        t->mem->task = RX_TASK_NONE;
        t->mem->pending = RX_ASK_OFFER_BOOKING;
        return;
    }
    if (!is_open || !has_transfer_number(t)) {
        rx_say_gap(t);
        /* "sparks coming out of the switch" at night: what the business wants such
         * callers told comes before the message */
        if (!is_open && is_urgent && t->cfg->after_hours_message[0] != '\0') {
            rx_say_sentence(&t->say, t->cfg->after_hours_message);
            rx_say_put(&t->say, " ");
        }
        rx_say_put(&t->say, is_open ? "No one can come to the phone right now, but I'll take a message and make sure they get it."
                                    : "We're closed right now, so no one can take your call, but I'll take a message and make sure they get it.");
        t->is_message_announced = true;
        t->mem->task = RX_TASK_NONE;
        rx_message_start(t);
        return;
    }
    ask_transfer(t, reason, *words);
}

void rx_say_goodbye(struct rx_turn *t)
{
    t->mem->intents_seen |= RX_INTENT_GOODBYE;
    t->out->intent = "goodbye";
    t->out->is_goodbye = true;
    rx_say_gap(t);
    RX_FILL(&t->say, rx_pick(t, rx_goodbye_wordings), t->cfg->business_name);
    t->mem->task = RX_TASK_NONE;
    t->mem->pending = RX_ASK_NONE;
}

void rx_reask(struct rx_turn *t)
{
    switch (t->mem->task) {
    case RX_TASK_BOOKING:
        rx_booking_reask(t);
        break;
    case RX_TASK_CANCEL:
        rx_cancel_reask(t);
        break;
    case RX_TASK_MESSAGE:
        rx_message_reask(t);
        break;
    default:
        break;
    }
}
