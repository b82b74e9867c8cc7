/* lib/rx_message.c: taking a message for the business: the caller's name, a callback
 * number and the message, then the take_message tool. The number the caller calls
 * from is offered first; another number is read back digit by digit ("2 0 1, 5 5 5,
 * 0 1 2 3") and used only after a yes. A seven-digit number takes the area code of the
 * number the caller calls from. */
#include <string.h>

#include "rx_internal.h"

static const char *const message_words[] = {
    "leave a message", "take a message", "message", "call me back", "callback", "call back",
    "have someone call", "get back to me", "pass on", "let them know", "tell them",
    "leave a note", "have them call", "someone call me", NULL};

bool rx_message_is_request(struct rx_turn *t)
{
    return rx_text_has_any(&t->text, message_words);
}

static void copy(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static rx_wordings ask_name = {
    {"Sure, I can take a message. What's your name?", "Happy to take a message. Who's calling?",
     "Of course. Can I get your name for the message?"},
    {"Certainly, I will take a message. May I have your name?",
     "I would be glad to take a message. May I have your name, please?",
     "Of course. Whom shall I say is calling?"},
    {"Sure. Your name?", "OK. Name?", "Message it is. Your name?"},
};
static rx_wordings ask_text = {
    {"And what would you like me to pass on?", "What's the message?", "What should I tell them?"},
    {"What message would you like me to pass on?", "Please go ahead with your message.",
     "What would you like me to tell them?"},
    {"Your message?", "Go ahead.", "What's the message?"},
};
static rx_wordings ask_number = {
    {"What number should we call you back on?", "What's the best number to reach you?",
     "Which number should they call?"},
    {"At which number may we call you back?", "What is the best number to reach you?",
     "Which number should we use to call you back?"},
    {"Callback number?", "Your number?", "Best number?"},
};

/* The callback number (E.164) of the digits said, or false. */
static bool to_e164(const struct rx_turn *t, const char *digits, size_t n, bool has_plus,
                    char *out, size_t size)
{
    const char *caller = t->ctx->caller_number;
    char e[24];
    if (has_plus && n >= 8 && n <= 15) {
        e[0] = '+';
        memcpy(e + 1, digits, n + 1);
    } else if (n == 11 && digits[0] == '1') {
        e[0] = '+';
        memcpy(e + 1, digits, n + 1);
    } else if (n == 10) {
        memcpy(e, "+1", 2);
        memcpy(e + 2, digits, n + 1);
    } else if (n == 7 && strlen(caller) == 12 && strncmp(caller, "+1", 2) == 0) {
        memcpy(e, caller, 5);               /* "+1" and the area code */
        memcpy(e + 5, digits, n + 1);
    } else {
        return false;
    }
    copy(out, size, e);
    return true;
}

static void next_step(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    t->out->intent = "message";
    rx_say_gap(t);
    if (m->message_name[0] == '\0') {
        rx_say_put(&t->say, rx_pick(t, ask_name));
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
        rx_say_put(&t->say, rx_pick(t, ask_number));
        m->pending = RX_ASK_MSG_NUMBER;
        return;
    }
    if (m->message[0] == '\0') {
        rx_say_put(&t->say, rx_pick(t, ask_text));
        m->pending = RX_ASK_MSG_TEXT;
        return;
    }
    struct rtool_call *c = &t->out->tool;
    memset(c, 0, sizeof *c);
    c->tool = RTOOL_TAKE_MESSAGE;
    copy(c->caller_name, sizeof c->caller_name, m->message_name);
    copy(c->callback_number, sizeof c->callback_number, m->callback_number);
    copy(c->message, sizeof c->message, m->message);
    rx_say_put(&t->say, "Thank you. One moment while I note that down.");
    m->pending = RX_ASK_WAIT_TOOL;
}

void rx_message_reask(struct rx_turn *t)
{
    next_step(t);
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
    m->callback_number[0] = '\0';
    m->is_number_confirmed = false;
    char name[RTOOL_NAME_MAX];
    if (m->caller_name[0] != '\0')
        copy(m->message_name, sizeof m->message_name, m->caller_name);
    else if (rx_text_name(&t->text, false, name, sizeof name))
        copy(m->message_name, sizeof m->message_name, name);
    /* "call me back on 415 555 0134": the number said with the request is read back
     * once the name is known, instead of the number the caller calls from */
    char digits[24];
    bool has_plus;
    size_t n = rx_text_digits(t->raw, digits, sizeof digits, &has_plus);
    if (n > 0 && !to_e164(t, digits, n, has_plus, m->callback_number, sizeof m->callback_number))
        m->callback_number[0] = '\0';
    m->pending = RX_ASK_NONE;
    next_step(t);
}

/* Digits said this turn as a callback number; false (and a request for the area code
 * said) when there were digits but not a number. */
static bool take_number(struct rx_turn *t, bool *has_digits)
{
    char digits[24];
    bool has_plus;
    size_t n = rx_text_digits(t->raw, digits, sizeof digits, &has_plus);
    *has_digits = n > 0;
    if (n == 0)
        return false;
    if (!to_e164(t, digits, n, has_plus, t->mem->callback_number, sizeof t->mem->callback_number)) {
        rx_say_gap(t);
        rx_say_put(&t->say, "Sorry, I need the whole number, with the area code. What is it?");
        t->mem->pending = RX_ASK_MSG_NUMBER;
        return false;
    }
    t->mem->is_number_confirmed = false;
    return true;
}

bool rx_message_turn(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    bool has_digits = false;
    if (m->task != RX_TASK_MESSAGE)
        return false;
    t->out->intent = "message";
    switch (m->pending) {
    case RX_ASK_MSG_NAME: {
        char name[RTOOL_NAME_MAX];
        if (!rx_text_name(&t->text, true, name, sizeof name))
            return false;
        copy(m->message_name, sizeof m->message_name, name);
        next_step(t);
        return true;
    }
    case RX_ASK_MSG_NUMBER_OFFER:
        if (take_number(t, &has_digits)) {
            next_step(t);
            return true;
        }
        if (has_digits)
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
    case RX_ASK_MSG_NUMBER:
        if (take_number(t, &has_digits)) {
            next_step(t);
            return true;
        }
        return has_digits;
    case RX_ASK_MSG_NUMBER_CONFIRM:
        if (take_number(t, &has_digits)) {
            next_step(t);
            return true;
        }
        if (has_digits)
            return true;
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
    case RX_ASK_MSG_TEXT:
        if (t->text.nwords == 0)
            return false;
        copy(m->message, sizeof m->message, t->raw);
        next_step(t);
        return true;
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
    rx_say_put(&t->say, ". I've passed your message on, and someone will call you back at ");
    rx_say_digits(&t->say, m->callback_number);
    rx_say_put(&t->say, ".");
    rx_say_anything_else(t);
}
