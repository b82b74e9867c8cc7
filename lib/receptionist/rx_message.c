/* lib/receptionist/rx_message.c: taking a message for the business, step by step: the caller's
 * name, a callback number and the message, then the take_message tool. The number the
 * caller calls from is offered first; another number is read back digit by digit ("2 0
 * 1, 5 5 5, 0 1 2 3") and used only after a yes. A seven-digit number takes the area
 * code of the number the caller calls from.
 *
 * Callers do not wait for each question: the name, the number and the words of the
 * message may come in one sentence, at the name question or with the request; a number
 * is corrected in part ("4 5 6 7 at the end") or changed at the message question; a
 * caller may refuse to leave a number, go back to the one they call from, or drop the
 * message. Reading those from the caller's words is lib/receptionist/rx_message_words.c's job; this
 * file decides what each answer does to the message and what to ask next. */
#include <string.h>

#include "receptionist/rx_internal.h"
#include "receptionist/rx_message_words.h"

bool rx_message_is_request(const struct rx_turn *t)
{
    return rx_text_has_any(&t->text, rx_message_request_words) || rx_message_told(t->raw) != NULL ||
           rx_message_is_let_know(t->raw) || rx_message_asks_callback(&t->text);
}

static void copy(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* ---- the steps ---- */

/* Written into the message when the caller would not leave a number: the worker still
 * records the number the call came from (workers/tool_runner.c take_message), and the
 * owner must not read that as a request to be called back on it. */
static const char no_number_note[] = " (The caller did not leave a callback number.)";

static void ask_tool(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    struct rx_tool_call *c = &t->out->tool;
    memset(c, 0, sizeof *c);
    c->tool = RX_TOOL_TAKE_MESSAGE;
    copy(c->caller_name, sizeof c->caller_name, m->message_name);
    copy(c->callback_number, sizeof c->callback_number, m->callback_number);
    copy(c->message, sizeof c->message, m->message);
    size_t len = strlen(c->message);
    if (m->callback_number[0] == '\0' && len + sizeof no_number_note <= sizeof c->message)
        memcpy(c->message + len, no_number_note, sizeof no_number_note);
    rx_say_put(&t->say, m->has_left_message ? "Thanks, I'll add that. One moment."
                                            : "Thank you. One moment while I note that down.");
    m->pending = RX_ASK_WAIT_TOOL;
}

static void next_step(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    t->out->intent = "message";
    rx_say_gap(t);
    if (m->message_name[0] == '\0') {
        rx_say_put(&t->say, rx_pick(t, t->is_message_announced ? rx_message_ask_name_only_wordings
                                                               : rx_message_ask_name_wordings));
        m->pending = RX_ASK_MSG_NAME;
        return;
    }
    if (!m->is_number_confirmed && m->callback_number[0] != '\0') {
        rx_say_put(&t->say, "I have ");
        rx_say_digits(&t->say, m->callback_number);
        rx_say_put(&t->say, ". Is that right?");
        m->pending = RX_ASK_MSG_NUMBER_CONFIRM;
        return;
    }
    if (!m->is_number_confirmed && t->ctx->caller_number[0] != '\0' &&
        m->pending != RX_ASK_MSG_NUMBER) {
        rx_say_put(&t->say, "Thanks, ");
        rx_say_put(&t->say, m->message_name);
        rx_say_put(&t->say, ". Is the number you're calling from, ");
        rx_say_digits(&t->say, t->ctx->caller_number);
        rx_say_put(&t->say, ", the best one to call you back on?");
        m->pending = RX_ASK_MSG_NUMBER_OFFER;
        return;
    }
    if (!m->is_number_confirmed) {
        rx_say_put(&t->say, rx_pick(t, rx_message_ask_number_wordings));
        m->pending = RX_ASK_MSG_NUMBER;
        return;
    }
    if (m->message[0] == '\0') {
        rx_say_put(&t->say, rx_pick(t, rx_message_ask_text_wordings));
        m->pending = RX_ASK_MSG_TEXT;
        return;
    }
    ask_tool(t);
}

void rx_message_reask(struct rx_turn *t)
{
    next_step(t);
}

/* A whole number said this turn becomes the callback number, to be read back; false
 * (the number kept) if none was said or it was not a whole one. */
static bool note_number(struct rx_turn *t)
{
    char digits[24], e164[32];
    bool has_plus;
    size_t n = rx_callback_digits(t->raw, digits, sizeof digits, &has_plus);
    if (n == 0 || !rx_callback_to_e164(t->ctx->caller_number, digits, n, has_plus, e164, sizeof e164))
        return false;
    copy(t->mem->callback_number, sizeof t->mem->callback_number, e164);
    t->mem->is_number_confirmed = false;
    return true;
}

/* The words of the message said along with the name or the number, kept so that the
 * caller is not asked for them again. */
static void note_message(struct rx_turn *t)
{
    const char *said = rx_message_said_with(t->raw);
    if (t->mem->message[0] != '\0' || rx_text_has_any(&t->text, rx_message_announce_words))
        return;         /* "I need to give you the new code": asked for once name and number are in */
    if (said != NULL)
        copy(t->mem->message, sizeof t->mem->message, said);
    else
        rx_message_said_around(t->raw, t->mem->message_name, t->mem->message, sizeof t->mem->message);
}

void rx_message_start(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    m->intents_seen |= RX_INTENT_MESSAGE;
    t->out->intent = "message";
    if (!rx_is_open_now(t->ctx) && t->cfg->after_hours == AGENT_AFTER_HOURS_BOOKING_ONLY) {
        rx_say_gap(t);
        rx_say_put(&t->say, "I'm sorry, I can't take messages while we're closed; ");
        rx_say_next_open(t);
        rx_say_put(&t->say, ". I can book an appointment for you, though. Would you like that?");
        m->pending = RX_ASK_OFFER_BOOKING;
        return;
    }
    m->task = RX_TASK_MESSAGE;
    m->message[0] = '\0';
    /* "oh, and one more thing": the name and number of the message just left still
     * hold, and asking for them again would lose the caller's patience */
    if (!m->has_left_message) {
        m->callback_number[0] = '\0';
        m->is_number_confirmed = false;
    }
    char name[RX_TOOL_NAME_MAX];
    if (m->caller_name[0] != '\0')
        copy(m->message_name, sizeof m->message_name, m->caller_name);
    else if (rx_text_name(&t->text, false, name, sizeof name))
        copy(m->message_name, sizeof m->message_name, name);
    /* "call me back on 415 555 0134": the number said with the request is read back
     * once the name is known, instead of the number the caller calls from */
    note_number(t);
    note_message(t);
    m->pending = RX_ASK_NONE;
    next_step(t);
}

/* Digits said this turn as a callback number; false (and a request for the area code
 * said) when there were digits but not a number. */
static bool take_number(struct rx_turn *t, bool *has_digits)
{
    char digits[24];
    bool has_plus;
    size_t n = rx_callback_digits(t->raw, digits, sizeof digits, &has_plus);
    *has_digits = n > 0;
    if (n == 0)
        return false;
    if (!rx_callback_to_e164(t->ctx->caller_number, digits, n, has_plus, t->mem->callback_number,
                             sizeof t->mem->callback_number)) {
        rx_say_gap(t);
        rx_say_put(&t->say, "Sorry, I need the whole number, with the area code. What is it?");
        t->mem->pending = RX_ASK_MSG_NUMBER;
        return false;
    }
    t->mem->is_number_confirmed = false;
    return true;
}

/* An answer about the number that any number question accepts: a whole number, the
 * number called from, or none at all. False (nothing said) if it was none of these. */
static bool take_number_answer(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    bool has_digits = false;
    if (take_number(t, &has_digits)) {
        next_step(t);
        return true;
    }
    if (has_digits)
        return true;
    if (rx_callback_is_calling_from(&t->text, t->ctx->caller_number)) {
        copy(m->callback_number, sizeof m->callback_number, t->ctx->caller_number);
        m->is_number_confirmed = true;
        next_step(t);
        return true;
    }
    /* The owner would rather have the message than lose the caller to a question asked
     * again; it goes without a number, and says so (no_number_note). */
    if (rx_callback_is_refused(&t->text)) {
        m->callback_number[0] = '\0';
        m->is_number_confirmed = true;
        rx_say_gap(t);
        rx_say_put(&t->say, rx_pick(t, rx_without_number_wordings));
        next_step(t);
        return true;
    }
    return false;
}

/* "Actually never mind", "oh forget it": the caller no longer wants to leave a message.
 * At the message question the words must come first, since "tell her to forget it" is
 * a message. */
static bool is_dropped(const struct rx_turn *t)
{
    for (size_t i = 0; rx_drop_words[i] != NULL; i++) {
        size_t at;
        if (!rx_text_has_norm(&t->text, rx_drop_words[i], &at))
            continue;
        if (t->mem->pending != RX_ASK_MSG_TEXT)
            return true;
        unsigned before = 0;
        for (size_t k = 1; k < at; k++)
            before += t->text.norm[k] == ' ';
        if (before <= 2)
            return true;
    }
    return false;
}

/* Drops the message. With a goodbye ("oh forget it, bye") the turn is left to the
 * dispatcher's goodbye, so false; otherwise says so and asks if there is anything
 * else. */
static bool drop_message(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    m->task = RX_TASK_NONE;
    m->pending = RX_ASK_NONE;
    m->message[0] = '\0';
    if (rx_text_is_goodbye(&t->text))
        return false;
    rx_say_gap(t);
    rx_say_put(&t->say, rx_pick(t, rx_message_dropped_wordings));
    rx_say_gap(t);
    rx_say_anything_else(t);
    return true;
}

static bool on_name(struct rx_turn *t)
{
    char name[RX_TOOL_NAME_MAX];
    if (!rx_text_name(&t->text, true, name, sizeof name))
        return false;
    copy(t->mem->message_name, sizeof t->mem->message_name, name);
    note_number(t);                     /* "tom baker, 310 555 0199" */
    note_message(t);
    next_step(t);
    return true;
}

static bool on_number_offer(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    if (take_number_answer(t))
        return true;
    if (rx_text_is_yes(&t->text)) {
        copy(m->callback_number, sizeof m->callback_number, t->ctx->caller_number);
        m->is_number_confirmed = true;
        next_step(t);
        return true;
    }
    if (rx_text_is_no(&t->text)) {
        m->pending = RX_ASK_MSG_NUMBER;
        next_step(t);
        return true;
    }
    return false;
}

static bool on_number_confirm(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    if (take_number_answer(t))
        return true;
    if (rx_callback_fix_part(&t->text, m->callback_number)) {
        m->is_number_confirmed = false;
        next_step(t);
        return true;
    }
    if (rx_text_is_yes(&t->text)) {
        m->is_number_confirmed = true;
        next_step(t);
        return true;
    }
    if (rx_text_is_no(&t->text)) {
        m->callback_number[0] = '\0';
        rx_say_gap(t);
        rx_say_put(&t->say, "Sorry about that. Could you say the number again, digit by digit?");
        m->pending = RX_ASK_MSG_NUMBER;
        return true;
    }
    return false;
}

/* The message; or, with a number and words that change it ("oh wait, use my work
 * number, 212 555 0187"), a new number to read back before the message is asked. */
static bool on_text(struct rx_turn *t)
{
    if (t->text.nwords == 0)
        return false;
    if (rx_text_has_any(&t->text, rx_new_number_words) && note_number(t)) {
        note_message(t);
        next_step(t);
        return true;
    }
    copy(t->mem->message, sizeof t->mem->message, t->raw);
    next_step(t);
    return true;
}

/* Asked for a number, the caller says what the message is ("I lost my receipt and need
 * a copy for my insurance", "tell him the password is under the keyboard"): kept as the
 * message, and the number asked for again, rather than read as a question. Not a
 * question, nor a few words ("hold on a second"), nor words about the number itself
 * ("you can reach me on my cell after five"), nor once the message is in. */
static bool take_early_message(struct rx_turn *t)
{
    static const char *const number_words[] = {"number", "phone", "cell", "reach me", "call me", "text me", NULL};
    struct rx_memory *m = t->mem;
    if (m->message[0] != '\0' || t->text.nwords < 6 || rx_text_is_question(&t->text) ||
        rx_text_has_any(&t->text, number_words))
        return false;
    const char *said = rx_message_told(t->raw);
    copy(m->message, sizeof m->message, said != NULL ? said : t->raw);
    rx_say_gap(t);
    rx_say_put(&t->say, rx_pick(t, rx_message_noted_wordings));
    next_step(t);
    return true;
}

bool rx_message_turn(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    if (m->task != RX_TASK_MESSAGE)
        return false;
    t->out->intent = "message";
    if (m->pending != RX_ASK_WAIT_TOOL && is_dropped(t))
        return drop_message(t);
    switch (m->pending) {
    case RX_ASK_MSG_NAME:
        return on_name(t);
    case RX_ASK_MSG_NUMBER_OFFER:
        return on_number_offer(t) || take_early_message(t);
    case RX_ASK_MSG_NUMBER:
        return take_number_answer(t) || take_early_message(t);
    case RX_ASK_MSG_NUMBER_CONFIRM:
        return on_number_confirm(t);
    case RX_ASK_MSG_TEXT:
        return on_text(t);
    default:
        return false;
    }
}

void rx_message_on_tool(struct rx_turn *t, const struct rx_tool_result *r)
{
    struct rx_memory *m = t->mem;
    t->out->intent = "message";
    m->task = RX_TASK_NONE;
    rx_say_gap(t);
    if (!r->is_ok) {
        rx_say_put(&t->say, "I'm sorry, I couldn't save your message just now. Please try calling again a little later.");
        rx_say_anything_else(t);
        return;
    }
    m->has_left_message = true;
    rx_say_put(&t->say, "Thanks, ");
    rx_say_put(&t->say, m->message_name);
    if (m->callback_number[0] == '\0') {
        rx_say_put(&t->say, ". I've passed your message on.");
    } else {
        rx_say_put(&t->say, ". I've passed your message on, and someone will call you back at ");
        rx_say_digits(&t->say, m->callback_number);
        rx_say_put(&t->say, ".");
    }
    rx_say_anything_else(t);
}
