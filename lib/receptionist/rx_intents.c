/* lib/receptionist/rx_intents.c: what a caller's turn is about, as one ordered table. rx_dispatch()
 * notes the caller's name, then walks rx_intents[] (at the bottom of this file) and runs
 * the first row whose matches() is true. matches() only looks at the turn; handle()
 * answers it and returns true, except in the two rows that try the words (the task
 * under way, a question about the business): finding nothing to answer, they return
 * false and the walk goes on as if they had not matched. The last row matches every
 * turn. A new intent is one row, placed above the rows its words should win over.
 *
 * Why the order is what it is. A turn often reads several ways ("no thanks, bye", "can
 * I speak to the manager about my booking"), and the first row that reads it decides:
 *
 *   escalation          an emergency keyword wins over everything, a task under way too.
 *   repeat              "sorry, what was that?" says the last reply again before any row
 *                       reads the words as something new; not with a service or a time
 *                       said, which make it a new request.
 *   robot               "are you a real person?" holds the words of a request for a
 *                       person, so it is answered first; unless the caller also asks for
 *                       one ("is this a robot? I want to speak to a human").
 *   person              a request for a person comes before the task under way: a caller
 *                       who wants a human is not asked for the day again.
 *   goodbye_at_name     asked for a name, "thanks, that's all, bye" ends the call before
 *                       the task can read a name in it.
 *   goodbye_in_booking  "actually forget it, bye" in a booking or a cancel ends the call,
 *                       where the task would only drop the booking; not with a yes (a yes
 *                       at the read-back books) nor with a service or a time (a change).
 *   task                the booking, cancel or message under way reads the answer to its
 *                       question ("Tuesday", "Jane", "yes") before any row below can take
 *                       it for something else.
 *   cancel              "I can't make it" before goodbye ("I can't make it, that's all")
 *                       and before booking ("cancel my appointment" has a booking word).
 *   goodbye             also "no" to "anything else?"; before the answer to an offer, so
 *                       that "no thanks, bye" to "shall I book it?" ends the call.
 *   offer_answer        "yes please" to "shall I book it?" or to "would you like to leave
 *                       a message?", which the rows below would not understand.
 *   night_trouble       at night, "my dog ate chocolate, what do I do?" hears the
 *                       business's after-hours message before a question row can read an
 *                       FAQ word in it ("dog") or a booking row a day.
 *   book, message       a request to start a task when none is under way; a booking
 *                       first: "have someone call me to book a cleaning" is booked now.
 *   question            hours, prices, services, the FAQ, from the configuration; a task
 *                       under way then asks its question again.
 *   thanks              after the questions: "thanks, and when do you close?" gets the hours.
 *   small_talk, hello   "how are you?" before a bare hello: "hi, how are you?" is asked how.
 *   unanswered          a question none of the rows above could answer: said so, and a
 *                       message offered.
 *   misunderstood       every turn that nothing above took.
 *
 * A business that forwards at night but answers questions first (rx_dispatch) answers
 * the rows marked so and puts every other turn through. */
#include <string.h>

#include "receptionist/rx_internal.h"
#include "receptionist/rx_keywords.h"
#include "receptionist/rx_small_talk.h"

struct rx_intent {
    const char *name;
    bool (*matches)(const struct rx_turn *t);   /* no side effect */
    bool (*handle)(struct rx_turn *t);          /* false: the walk goes on */
    /* A business that forwards after hours but answers questions first
     * (after_hours.answer_questions_first) answers this row itself while closed;
     * every other row puts the caller through. */
    bool is_answered_before_forwarding;
};

static bool is_any_turn(const struct rx_turn *t)
{
    (void)t;
    return true;
}

/* ---- an emergency, a repeat, a person ---- */

/* Callers in an emergency do not recite the configured words: "i smell gas" must find
 * "gas smell" and "swollen" must find "swelling" (rx_keywords.h). */
static bool is_escalation(const struct rx_turn *t)
{
    for (size_t i = 0; i < t->cfg->escalation.nkeywords; i++)
        if (rx_keyword_is_said(&t->text, t->cfg->escalation.keywords[i]))
            return true;
    return false;
}

static bool escalate_urgently(struct rx_turn *t)
{
    t->mem->intents_seen |= RX_INTENT_ESCALATION;
    rx_escalate(t, "the caller said an escalation keyword", true);
    return true;
}

static bool is_repeat_request(const struct rx_turn *t)
{
    return t->mem->last_reply[0] != '\0' && rx_text_has_any(&t->text, rx_repeat_words) &&
           t->nservices == 0 && !t->has_when;
}

static bool say_again(struct rx_turn *t)
{
    t->out->intent = "repeat";     /* the question asked last is still the one pending */
    rx_say_pick(t, rx_repeat_lead_wordings);
    rx_say_put(&t->say, t->mem->last_reply);
    return true;
}

/* A request for a person ("can I speak to someone", "agent", "speak to Doctor Kim");
 * not "I don't need a human", not "talk to you later", not a message for the owner,
 * and not the words of a message being taken ("have the manager call me"). */
static bool is_person_request(const struct rx_turn *t)
{
    /* "could you put me through to Maya, she said to call her", "can I talk to a real
     * person, the owner, I don't want to do this with a machine": asked for outright,
     * whatever else is said; not "can I talk to you about prices", "let me talk to my
     * wife first" */
    static const char *const put_through[] = {"put me through", "transfer me", "connect me", "patch me through",
                                              "can i talk to", "can i speak to", "can i speak with", "could i talk to",
                                              "could i speak to", "let me talk to", "let me speak to",
                                              "i want to talk to", "i want to speak to", "i need to talk to",
                                              "i need to speak to", NULL};
    static const char *const to_you[] = {"to you", "with you", "to my", "with my", NULL};
    if (t->mem->pending != RX_ASK_MSG_TEXT && rx_text_has_any(&t->text, put_through) &&
        !rx_text_has_any(&t->text, to_you))
        return true;
    if (t->mem->pending == RX_ASK_MSG_TEXT || rx_message_is_request(t) ||
        rx_text_has_any(&t->text, rx_person_not_wanted_words))
        return false;
    return rx_text_has_any(&t->text, rx_person_words);
}

static bool is_robot_question(const struct rx_turn *t)
{
    return rx_small_talk_is_robot_question(t) &&
           !(rx_small_talk_asks_for_someone(t) && is_person_request(t));
}

static bool answer_robot(struct rx_turn *t)
{
    rx_small_talk_answer_robot(t);
    return true;
}

static bool hand_to_person(struct rx_turn *t)
{
    t->mem->intents_seen |= RX_INTENT_PERSON;
    if (t->cfg->escalation.on_request) {
        rx_escalate(t, "the caller asked for a person", false);
        return true;
    }
    rx_say_put(&t->say, "I'm sorry, no one can come to the phone, but I'll take a message and make sure it gets to the team.");
    t->is_message_announced = true;
    rx_message_start(t);
    return true;
}

/* ---- goodbyes, the task under way, cancelling ---- */

static bool is_goodbye_at_name(const struct rx_turn *t)
{
    return (t->mem->pending == RX_ASK_NAME || t->mem->pending == RX_ASK_MSG_NAME) &&
           rx_text_is_goodbye(&t->text);
}

static bool is_goodbye_in_booking(const struct rx_turn *t)
{
    return (t->mem->task == RX_TASK_BOOKING || t->mem->task == RX_TASK_CANCEL) &&
           rx_text_is_goodbye(&t->text) && !rx_text_is_yes(&t->text) &&
           t->nservices == 0 && !t->has_when;
}

static bool is_goodbye(const struct rx_turn *t)
{
    return rx_text_is_goodbye(&t->text) ||
           (t->mem->pending == RX_ASK_ANYTHING_ELSE && rx_text_is_no(&t->text) &&
            t->nservices == 0 && !t->has_when);
}

static bool end_call(struct rx_turn *t)
{
    rx_say_goodbye(t);
    return true;
}

static bool has_task(const struct rx_turn *t)
{
    return t->mem->task != RX_TASK_NONE;
}

/* False when the words answer nothing the task asked: the rows below read them (a
 * question in the middle of a booking is answered, then the booking goes on). */
static bool continue_task(struct rx_turn *t)
{
    switch (t->mem->task) {
    case RX_TASK_BOOKING:
        return rx_booking_turn(t);
    case RX_TASK_CANCEL:
        return rx_cancel_turn(t);
    case RX_TASK_MESSAGE:
        return rx_message_turn(t);
    default:
        return false;
    }
}

static bool start_cancel(struct rx_turn *t)
{
    rx_cancel_start(t, rx_cancel_is_move(t));
    return true;
}

/* ---- the answer to an offer ---- */

enum offer_answer { OFFER_NONE, OFFER_MESSAGE_TAKEN, OFFER_BOOKING_TAKEN, OFFER_GO_AHEAD, OFFER_DECLINED };

/* "Yes please, do you have Friday?" is a yes with a question after it. */
static bool starts_with_yes(const struct rx_text *text)
{
    for (size_t i = 0; rx_yes_first_words[i] != NULL; i++)
        if (strncmp(text->norm, rx_yes_first_words[i], strlen(rx_yes_first_words[i])) == 0)
            return true;
    return false;
}

/* The answer to an offer just made ("Would you like that?"); OFFER_NONE if not one. */
static enum offer_answer offer_answer_of(const struct rx_turn *t)
{
    enum rx_ask asked = t->mem->pending;
    bool is_offer = asked == RX_ASK_OFFER_MESSAGE || asked == RX_ASK_OFFER_BOOKING;
    if (!is_offer && asked != RX_ASK_ANYTHING_ELSE)
        return OFFER_NONE;
    bool is_yes = rx_text_is_yes(&t->text), is_no = rx_text_is_no(&t->text);
    if (rx_text_is_question(&t->text) && !starts_with_yes(&t->text))
        is_yes = is_no = false;         /* "are you open right now?" is not a yes */
    /* "ok, thank you" to "want me to book that?" closes the subject: thanks with only an
     * acknowledgement ("ok", "great") is no acceptance of an offer */
    if (is_offer && is_yes && rx_text_has_any(&t->text, rx_thanks_words) &&
        !rx_text_has_any(&t->text, rx_accept_words) && !t->has_when) {
        is_yes = false;
        is_no = t->nservices == 0;
    }
    if (asked == RX_ASK_OFFER_MESSAGE && is_yes)
        return OFFER_MESSAGE_TAKEN;
    /* "Wednesday if you can" to "want me to book you in?" says yes with a day or time */
    bool has_day_or_time = t->has_when && (t->when.has_date || t->when.has_time || t->when.part != SPOKEN_PART_NONE);
    bool is_day_answer = has_day_or_time && !is_no && !rx_text_is_question(&t->text) && !rx_message_is_request(t);
    if (asked == RX_ASK_OFFER_BOOKING && (is_yes || is_day_answer))
        return OFFER_BOOKING_TAKEN;
    if (asked == RX_ASK_ANYTHING_ELSE && is_yes && t->nservices == 0 && !t->has_when &&
        t->text.nwords <= 3)
        return OFFER_GO_AHEAD;          /* "yes" to "anything else?" is not a misunderstanding */
    if (is_offer && is_no && t->nservices == 0)
        return OFFER_DECLINED;
    return OFFER_NONE;
}

static bool is_offer_answer(const struct rx_turn *t)
{
    return offer_answer_of(t) != OFFER_NONE;
}

static bool take_offer_answer(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    switch (offer_answer_of(t)) {
    case OFFER_MESSAGE_TAKEN:
        rx_message_start(t);
        break;
    case OFFER_BOOKING_TAKEN:
        if (t->nservices == 0 && m->nservices_asked > 0) {
            t->services[0] = m->services_asked[m->nservices_asked - 1];
            t->nservices = 1;
        }
        rx_booking_start(t);
        break;
    case OFFER_GO_AHEAD:
        t->out->intent = "yes";
        rx_say_pick(t, rx_go_ahead_wordings);
        m->pending = RX_ASK_NONE;
        break;
    case OFFER_DECLINED:
        rx_say_put(&t->say, "Alright.");
        rx_say_anything_else(t);
        break;
    case OFFER_NONE:
        break;
    }
    return true;
}

/* ---- requests, questions and the rest ---- */

static bool is_booking_request(const struct rx_turn *t)
{
    return t->mem->task == RX_TASK_NONE && rx_booking_is_request(t);
}

static bool start_booking(struct rx_turn *t)
{
    rx_booking_start(t);
    return true;
}

static bool is_message_request(const struct rx_turn *t)
{
    return t->mem->task == RX_TASK_NONE && rx_message_is_request(t);
}

static bool start_message(struct rx_turn *t)
{
    rx_message_start(t);
    return true;
}

/* False when the turn asked nothing the configuration answers. */
static bool answer_question(struct rx_turn *t)
{
    enum rx_ask before = t->mem->pending;
    if (t->mem->task == RX_TASK_NONE)
        t->mem->pending = RX_ASK_NONE;      /* an answer that asks its own question sets it */
    if (!rx_answer(t)) {
        t->mem->pending = before;
        return false;
    }
    if (t->mem->task == RX_TASK_NONE && t->mem->pending == RX_ASK_OFFER_MESSAGE) {
        /* the answer ends with its own question: a message for the team */
    } else if (t->mem->task != RX_TASK_NONE) {
        rx_reask(t);
    } else if (t->nservices > 0 && rx_booking_can_book_now(t)) {
        rx_say_pick(t, rx_book_offer_wordings);
        t->mem->pending = RX_ASK_OFFER_BOOKING;
    } else {
        rx_say_anything_else(t);
    }
    return true;
}

static bool is_thanks(const struct rx_turn *t)
{
    return rx_text_has_any(&t->text, rx_thanks_words);
}

static bool say_welcome(struct rx_turn *t)
{
    t->out->intent = "thanks";
    rx_say_pick(t, rx_welcome_wordings);
    if (t->mem->task != RX_TASK_NONE)
        rx_reask(t);
    else
        rx_say_anything_else(t);
    return true;
}

static bool is_small_talk(const struct rx_turn *t)
{
    return rx_small_talk_is_robot_question(t) || rx_small_talk_is_chat(t);
}

static bool answer_small_talk(struct rx_turn *t)
{
    if (rx_small_talk_is_robot_question(t))
        rx_small_talk_answer_robot(t);
    else
        rx_small_talk_answer_chat(t);
    return true;
}

static bool is_hello(const struct rx_turn *t)
{
    return t->mem->task == RX_TASK_NONE && t->text.nwords <= 4 &&
           rx_text_has_any(&t->text, rx_hello_words);
}

static bool say_hello(struct rx_turn *t)
{
    t->out->intent = "hello";
    rx_say_pick(t, rx_hello_back_wordings);
    return true;
}

/* Sorry and what the receptionist can do, or the task's question again; a person after
 * the business's number of turns in a row not understood. */
/* At night, a caller in trouble hears what the business wants such callers told
 * (after_hours.message), then what can be done now; so does a caller who asks, at any
 * time, what to do when the business is closed. */
static bool is_night_trouble(const struct rx_turn *t)
{
    if (t->cfg->after_hours_message[0] == '\0' || t->mem->task != RX_TASK_NONE)
        return false;
    bool is_asked = rx_text_has_any(&t->text, rx_when_closed_words) && rx_text_has_any(&t->text, rx_what_then_words);
    return is_asked || (!rx_is_open_now(t->ctx) && rx_text_has_any(&t->text, rx_trouble_words));
}

static bool say_night_advice(struct rx_turn *t)
{
    t->out->intent = "after_hours";
    rx_say_gap(t);
    rx_say_sentence(&t->say, t->cfg->after_hours_message);
    rx_say_put(&t->say, " I can also take a message for the team. Would you like that?");
    t->mem->pending = RX_ASK_OFFER_MESSAGE;
    return true;
}

/* A question the configuration does not answer: said so, and a message offered, so
 * that someone who knows can call back. */
static bool is_unanswered_question(const struct rx_turn *t)
{
    /* "what about Sunday?" alone is not understood: it asks about nothing said */
    return t->mem->task == RX_TASK_NONE && t->text.nwords >= 4 && !t->has_when && rx_text_is_question(&t->text);
}

static bool offer_message_for_question(struct rx_turn *t)
{
    t->out->intent = "unanswered";
    rx_say_gap(t);
    rx_say_put(&t->say, "I'm sorry, I don't have that information. I can take a message so someone from the team can get back to you. Would you like that?");
    t->mem->pending = RX_ASK_OFFER_MESSAGE;
    return true;
}

static bool say_not_understood(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    t->out->is_misunderstood = true;
    t->out->intent = "misunderstood";
    m->intents_seen |= RX_INTENT_MISUNDERSTOOD;
    m->misunderstood++;
    unsigned limit = t->cfg->escalation.after_misunderstood_turns;
    if (limit > 0 && (unsigned)m->misunderstood >= limit) {
        m->misunderstood = 0;
        rx_say_put(&t->say, "I'm sorry, I'm having trouble understanding.");
        rx_escalate(t, "the receptionist did not understand the caller", false);
        return true;
    }
    rx_say_pick(t, rx_sorry_wordings);
    if (m->task != RX_TASK_NONE) {
        rx_reask(t);
        return true;
    }
    rx_say_gap(t);
    /* an apology and a menu, each rotating with the turns: shifted every third turn in
     * a row, so nine turns pass before a pair comes back */
    t->npicks += (unsigned)(m->misunderstood - 1) / 3;
    RX_FILL(&t->say, rx_pick(t, rx_menu_wordings), rx_booking_can_book_now(t) ? ", book an appointment" : "");
    return true;
}

/* ---- the table: see the top of the file for its order ---- */

static const struct rx_intent rx_intents[] = {
    {"escalation", is_escalation, escalate_urgently, true},
    {"repeat", is_repeat_request, say_again, true},
    {"robot", is_robot_question, answer_robot, true},
    {"person", is_person_request, hand_to_person, true},
    {"goodbye_at_name", is_goodbye_at_name, end_call, true},
    {"goodbye_in_booking", is_goodbye_in_booking, end_call, true},
    {"task", has_task, continue_task, false},
    {"cancel", rx_cancel_is_request, start_cancel, false},
    {"goodbye", is_goodbye, end_call, true},
    {"offer_answer", is_offer_answer, take_offer_answer, false},
    {"night_trouble", is_night_trouble, say_night_advice, true},
    {"book", is_booking_request, start_booking, false},
    {"message", is_message_request, start_message, false},
    {"question", is_any_turn, answer_question, true},
    {"thanks", is_thanks, say_welcome, true},
    {"small_talk", is_small_talk, answer_small_talk, true},
    {"hello", is_hello, say_hello, true},
    {"unanswered", is_unanswered_question, offer_message_for_question, true},
    {"misunderstood", is_any_turn, say_not_understood, false},
};

/* "Hi, this is Dana": a name said at any point is kept for a booking or a message. */
static void note_caller_name(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    char name[RX_TOOL_NAME_MAX];
    if (m->caller_name[0] == '\0' && rx_text_name(&t->text, false, name, sizeof name)) {
        size_t n = strnlen(name, sizeof m->caller_name - 1);
        memcpy(m->caller_name, name, n);
        m->caller_name[n] = '\0';
    }
}

void rx_dispatch(struct rx_turn *t)
{
    note_caller_name(t);
    /* a task under way while forwarding is the message taken after a transfer that
     * no one answered: it goes on */
    bool is_forwarding = t->cfg->after_hours == AGENT_AFTER_HOURS_FORWARD && t->cfg->after_hours_answers_first &&
                         t->mem->task == RX_TASK_NONE && !rx_is_open_now(t->ctx);
    for (size_t i = 0; i < sizeof rx_intents / sizeof rx_intents[0]; i++) {
        if (!rx_intents[i].matches(t))
            continue;
        if (is_forwarding && !rx_intents[i].is_answered_before_forwarding) {
            t->out->intent = "transfer";
            rx_escalate(t, "after hours", false);
            return;
        }
        if (rx_intents[i].handle(t))
            return;
    }
}
