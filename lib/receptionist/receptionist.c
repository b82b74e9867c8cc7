/* lib/receptionist/receptionist.c: see receptionist.h. One turn reads the caller's words once
 * (normalised text, the day and time said, the services named), then tries in order:
 * an escalation keyword, a request for a person, the task in progress (booking,
 * cancelling, a message), cancel or move, goodbye, the answer to an offer just made,
 * a booking, a message, a question about the business, thanks, and finally "not
 * understood". The reply is checked against the hashes of the call's recent replies
 * so that the caller never hears the same sentence twice word for word.
 *
 * Workload: one call at a time per struct rx_memory, a few hundred phrases of the
 * configuration looked up per turn, no allocation. */
#include <string.h>

#include "receptionist/rx_internal.h"
#include "receptionist/rx_small_talk.h"
#include "receptionist/rx_keywords.h"

static const char *const person_words[] = {
    "talk to someone", "speak to someone", "talk to somebody", "speak to somebody",
    "real person", "a person", "human", "operator", "representative", "live person",
    "talk to a", "speak to a", "speak with", "talk with", "someone real", "receptionist",
    "manager", "the owner", "an agent", "a real", "talk to the", "speak to the",
    "put me through", "transfer me", "connect me", "agent", "speak to", "talk to", NULL};
/* "I don't need a human", "I have to talk to my wife first": a person named, not asked
 * for. */
static const char *const not_wanted_words[] = {
    "dont need", "do not need", "dont want", "do not want", "no need", "without",
    "talk to you", "speak to you", "talk to my", "speak to my", "talk to him", "talk to her",
    "talk to them", "check with", NULL};
static const char *const goodbye_words[] = {
    "bye", "goodbye", "good bye", "thats all", "that is all", "thats it", "that was all",
    "have a good day", "have a nice day", "hang up", "im done", "nothing else", "thats everything",
    "talk to you later", "see you", "have a good one", "have a great day", "have a good night",
    "good night", "thatll be all", "that will be all", "thats all i needed", "talk soon",
    "take care", "catch you later", NULL};
/* "Sorry, can you repeat that?": the last reply again. */
static const char *const repeat_words[] = {
    "repeat that", "repeat it", "say that again", "say it again", "what was that", "come again",
    "pardon", "what did you say", "didnt catch that", "didnt hear", "one more time",
    "can you repeat", "could you repeat", NULL};
static const char *const thanks_words[] = {"thank you", "thanks", "appreciate", "cheers", NULL};
static const char *const hello_words[] = {"hi", "hello", "hey", "good morning", "good afternoon",
                                          "good evening", NULL};

static rx_wordings repeat_lead = {
    {"Sure! ", "Of course. ", "No problem. "},
    {"Certainly. ", "Of course. I said: ", "Allow me to repeat. "},
    {"Sure. ", "Again: ", "Once more: "},
};
bool rx_is_goodbye(const struct rx_text *text)
{
    return rx_text_has_any(text, goodbye_words);
}

static rx_wordings goodbye = {
    {"Thanks so much for calling @1. Have a great day, bye!", "Thanks for calling @1! Take care, goodbye!",
     "It was a pleasure. Thanks for calling @1, bye!"},
    {"Thank you for calling @1. Goodbye.", "Thank you for calling @1. Have a good day. Goodbye.",
     "Thank you for your call to @1. Goodbye."},
    {"Thanks for calling @1. Bye.", "Bye, thanks for calling @1.", "Thanks, bye."},
};
static rx_wordings transfer_words = {
    {"Sure, let me put you through to someone now.", "Of course, I'll connect you with a member of our team.",
     "No problem, putting you through to someone now."},
    {"Certainly. I will transfer you to a member of our staff now.",
     "Of course. Please hold while I transfer you.", "Certainly. One moment while I connect you."},
    {"Transferring you now.", "Putting you through.", "Connecting you now."},
};
static rx_wordings urgent_words = {
    {"That sounds urgent, so I'm putting you through to someone right now.",
     "I understand, this is urgent. Connecting you to someone now.",
     "Let's get you help right away. Putting you through now."},
    {"I understand this is urgent. I am transferring you to a member of our staff immediately.",
     "That sounds urgent. Please hold while I transfer you right away.",
     "I will connect you with someone immediately."},
    {"Urgent: transferring you now.", "Putting you through right away.", "Connecting you now."},
};
static rx_wordings help_words = {
    {"Let me put you through to someone who can help.", "I'll connect you with someone who can help.",
     "Let me get you to a person who can help."},
    {"Allow me to transfer you to a member of our staff who can help.",
     "I will connect you with a member of our staff.", "Please hold while I transfer you to someone who can help."},
    {"Transferring you to someone who can help.", "Putting you through to a person.", "Connecting you."},
};
static rx_wordings sorry = {
    {"Sorry, I didn't quite catch that.", "Hmm, I'm not sure I followed.", "Sorry, I missed that."},
    {"I beg your pardon, I did not understand.", "I am sorry, I did not follow that.",
     "My apologies, I did not catch that."},
    {"Sorry, didn't get that.", "Didn't catch that.", "Sorry?"},
};
static rx_wordings menu = {
    {"I can help with our services, prices and hours@1, or take a message. What would you like?",
     "You can ask me about prices, hours or where we are@1, or leave a message.",
     "Could you say that another way? For example, ask about a service or our hours@1, or leave a message."},
    {"I can tell you about our services, prices and opening hours@1, or take a message. How may I help?",
     "Could you phrase that differently? I can answer questions about our services and hours@1, or take a message.",
     "You may ask about our services, prices or hours@1, or leave a message."},
    {"Ask about services, prices, hours@1, or leave a message.", "Try: prices, hours@1, or a message.",
     "Services, prices, hours@1, or a message?"},
};
static rx_wordings still_there = {
    {"Are you still there?", "Hello, are you still with me?", "Still there?"},
    {"Are you still on the line?", "Hello, are you still there?", "May I help you with something?"},
    {"Still there?", "Hello?", "Are you there?"},
};
static rx_wordings welcome = {
    {"You're welcome!", "My pleasure!", "Happy to help!"},
    {"You are most welcome.", "It is my pleasure.", "You are welcome."},
    {"Sure.", "Welcome.", "No problem."},
};
static rx_wordings hello_back = {
    {"Hi there! How can I help you today?", "Hello! What can I do for you?", "Hi! How can I help?"},
    {"Good day. How may I help you?", "Hello. How may I assist you?", "Good day. What can I do for you?"},
    {"Hi. How can I help?", "Hello. What do you need?", "Hi. Go ahead."},
};
static rx_wordings go_ahead = {
    {"Sure! What can I help you with?", "Of course, what do you need?", "Go ahead, I'm listening."},
    {"Certainly. What may I help you with?", "Of course. How may I help?", "Please, go ahead."},
    {"Sure. What?", "Go ahead.", "Yes?"},
};
static rx_wordings book_offer = {
    {"Would you like to book it?", "Shall I book that for you?", "Want me to book you in?"},
    {"Would you like to book an appointment?", "Shall I book it for you?", "May I book it for you?"},
    {"Book it?", "Want to book?", "Shall I book it?"},
};

void rx_memory_clear_booking(struct rx_memory *mem)
{
    mem->service_index = -1;
    memset(&mem->day, 0, sizeof mem->day);
    mem->minute = -1;
    mem->alt_minute = -1;
    mem->part = SPOKEN_PART_NONE;
    mem->is_time_checked = false;
    mem->is_awaiting_confirmation = false;
    mem->is_moving = false;
    for (int i = 0; i < RX_FREE_MAX; i++)
        mem->offered[i] = -1;
}

void rx_memory_init(struct rx_memory *mem)
{
    memset(mem, 0, sizeof *mem);
    rx_memory_clear_booking(mem);
    for (int i = 0; i < 8; i++)
        mem->services_asked[i] = -1;
}

/* Keeps at most size - 1 bytes of words, cut at a UTF-8 character boundary. */
static void keep_words(char *dst, size_t size, const char *words)
{
    size_t n = strlen(words);
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)words[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, words, n);
    dst[n] = '\0';
}

void rx_note_service(struct rx_memory *mem, int index, const char *words)
{
    for (int i = 0; i < mem->nservices_asked; i++) {
        if (mem->services_asked[i] == index) {
            if (mem->asked_words[i][0] == '\0' && words != NULL)
                keep_words(mem->asked_words[i], RX_WORDS_MAX, words);
            return;
        }
    }
    if (mem->nservices_asked < 8) {
        keep_words(mem->asked_words[mem->nservices_asked], RX_WORDS_MAX, words != NULL ? words : "");
        mem->services_asked[mem->nservices_asked++] = index;
    }
}

/* The services named in the text: the longest names first, overlaps dropped
 * ("men's haircut" is not also "haircut"). */
static void find_services(struct rx_turn *t)
{
    size_t at[RX_TURN_SERVICES], len[RX_TURN_SERVICES];
    char norm[AGENT_NAME_MAX * 4 + 1];
    t->nservices = 0;
    for (size_t i = 0; i < t->cfg->nservices; i++) {
        const struct agent_service *s = &t->cfg->services[i];
        size_t best_at = 0, best_len = 0;
        for (size_t k = 0; k <= s->naliases; k++) {
            size_t a;
            const char *name = k == 0 ? s->name : s->aliases[k - 1];
            if (!rx_text_may_have(&t->text, name))
                continue;
            rx_text_normalise(name, norm, sizeof norm);
            size_t n = strlen(norm);
            if (n > best_len && rx_text_has_norm_forms(&t->text, norm, &a)) {
                best_at = a;
                best_len = n;
            }
        }
        if (best_len == 0)
            continue;
        int slot = t->nservices;
        for (int j = 0; j < t->nservices; j++) {
            bool is_overlap = best_at < at[j] + len[j] && at[j] < best_at + best_len;
            if (is_overlap && len[j] >= best_len) {
                slot = -1;
                break;
            }
            if (is_overlap) {
                slot = j;
                break;
            }
        }
        if (slot < 0 || slot >= RX_TURN_SERVICES)
            continue;
        if (slot == t->nservices)
            t->nservices++;
        t->services[slot] = (int)i;
        at[slot] = best_at;
        len[slot] = best_len;
    }
    /* in the order the caller said them */
    for (int i = 1; i < t->nservices; i++)
        for (int j = i; j > 0 && at[j] < at[j - 1]; j--) {
            size_t ta = at[j], tl = len[j];
            int ts = t->services[j];
            at[j] = at[j - 1], len[j] = len[j - 1], t->services[j] = t->services[j - 1];
            at[j - 1] = ta, len[j - 1] = tl, t->services[j - 1] = ts;
        }
}

static void turn_init(struct rx_turn *t, const struct rx_context *ctx, struct rx_memory *mem,
                      const char *text, struct rx_output *out)
{
    memset(out, 0, sizeof *out);
    memset(t, 0, sizeof *t);
    out->intent = "";
    t->ctx = ctx;
    t->cfg = ctx->config;
    t->mem = mem;
    t->out = out;
    t->raw = text != NULL ? text : "";
    /* a memory from an earlier version of the configuration must not index past it */
    if (mem->service_index >= (int)t->cfg->nservices)
        rx_memory_clear_booking(mem);
    for (int i = 0; i < mem->nservices_asked; i++)
        if (mem->services_asked[i] >= (int)t->cfg->nservices)
            mem->nservices_asked = i;
    rx_say_init(&t->say, out->say, sizeof out->say);
    rx_text_init(&t->text, t->raw);
    bool is_time_expected = mem->pending == RX_ASK_TIME || mem->pending == RX_ASK_PICK_OFFERED;
    t->has_when = spoken_time_parse(t->raw, strlen(t->raw), &ctx->now,
                                    is_time_expected ? SPOKEN_EXPECT_TIME : 0, &t->when);
    find_services(t);
    for (int i = 0; i < t->nservices; i++)
        rx_note_service(mem, t->services[i], t->raw);
}

static bool has_transfer_number(const struct rx_turn *t)
{
    return t->cfg->escalation.transfer_number != NULL ||
           (t->ctx->fallback_number != NULL && t->ctx->fallback_number[0] != '\0');
}

static void set_transfer(struct rx_turn *t, const char *reason)
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
    set_transfer(t, reason);
}

void rx_escalate(struct rx_turn *t, const char *reason, bool is_urgent)
{
    rx_wordings *words = is_urgent ? &urgent_words : t->out->is_misunderstood ? &help_words : &transfer_words;
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
        rx_say_put(&t->say, is_open ? "No one can come to the phone right now, but I'll take a message and make sure they get it."
                                    : "We're closed right now, so no one can take your call, but I'll take a message and make sure they get it.");
        t->is_message_announced = true;
        t->mem->task = RX_TASK_NONE;
        rx_message_start(t);
        return;
    }
    ask_transfer(t, reason, *words);
}

static void say_goodbye(struct rx_turn *t)
{
    t->mem->intents_seen |= RX_INTENT_GOODBYE;
    t->out->intent = "goodbye";
    t->out->is_goodbye = true;
    rx_say_gap(t);
    RX_FILL(&t->say, rx_pick(t, goodbye), t->cfg->business_name);
    t->mem->task = RX_TASK_NONE;
    t->mem->pending = RX_ASK_NONE;
}

static void reask(struct rx_turn *t)
{
    if (t->mem->task == RX_TASK_BOOKING || t->mem->task == RX_TASK_CANCEL)
        rx_booking_reask(t);
    else if (t->mem->task == RX_TASK_MESSAGE)
        rx_message_reask(t);
}

static void misunderstood(struct rx_turn *t)
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
        return;
    }
    rx_say_pick(t, sorry);
    if (m->task != RX_TASK_NONE) {
        reask(t);
        return;
    }
    rx_say_gap(t);
    /* an apology and a menu, each rotating with the turns: shifted every third turn in
     * a row, so nine turns pass before a pair comes back */
    t->npicks += (unsigned)(m->misunderstood - 1) / 3;
    RX_FILL(&t->say, rx_pick(t, menu), rx_booking_can_book_now(t) ? ", book an appointment" : "");
}

/* Ends a reply: capitalised, never the same as a recent one, remembered. */
static void finish(struct rx_turn *t)
{
    static const char *const leads[] = {"", "To repeat: ", "Once more: ", "As I said: ", "Again: ",
                                        "Just to say it again: ", "Let me repeat that: "};
    static const char *const tails[] = {"", " Take your time.", " I'm here if you need me.",
                                        " Let me know."};
    struct rx_memory *m = t->mem;
    char said[RX_SAY_MAX];
    if (t->out->say[0] == '\0')
        return;
    for (char *p = t->out->say; *p != '\0'; p++) {   /* a capital after ". " and at the start */
        bool is_start = p == t->out->say || (p - t->out->say >= 2 && p[-1] == ' ' &&
                                             (p[-2] == '.' || p[-2] == '?' || p[-2] == '!'));
        if (is_start && *p >= 'a' && *p <= 'z')
            *p = (char)(*p - 32);
    }
    memcpy(said, t->out->say, sizeof said);
    unsigned h = rx_hash(said);
    size_t tries = 0, nleads = sizeof leads / sizeof leads[0], ntails = sizeof tails / sizeof tails[0];
    for (;;) {
        bool is_repeat = false;
        int n = m->nrecent < RX_RECENT_MAX ? m->nrecent : RX_RECENT_MAX;
        for (int i = 0; i < n && !is_repeat; i++)
            is_repeat = m->recent_replies[i] == h;
        if (!is_repeat || ++tries >= nleads * ntails)
            break;
        rx_say_init(&t->say, t->out->say, sizeof t->out->say);
        rx_say_put(&t->say, leads[(tries + m->variant) % nleads]);
        rx_say_put(&t->say, said);
        rx_say_put(&t->say, tails[(tries / nleads) % ntails]);
        h = rx_hash(t->out->say);
    }
    m->variant++;
    if (strcmp(t->out->intent, "repeat") != 0)     /* a repeat keeps what it repeated */
        keep_words(m->last_reply, sizeof m->last_reply, t->out->say);
    m->recent_replies[m->nrecent % RX_RECENT_MAX] = h;
    m->nrecent++;
    if (m->nrecent >= 2 * RX_RECENT_MAX)    /* stays a ring position, never overflows */
        m->nrecent -= RX_RECENT_MAX;
}

void rx_greet(const struct rx_context *ctx, struct rx_memory *mem, struct rx_output *out)
{
    struct rx_turn t;
    turn_init(&t, ctx, mem, "", out);
    out->intent = "greeting";
    rx_say_put(&t.say, t.cfg->greeting);
    mem->pending = RX_ASK_NONE;
    if (!rx_is_open_now(ctx)) {
        switch (t.cfg->after_hours) {
        case AGENT_AFTER_HOURS_FORWARD:
            rx_say_put(&t.say, " We're closed right now, so I'm putting you through to the person on call.");
            set_transfer(&t, "after hours");
            out->intent = "greeting";
            break;
        case AGENT_AFTER_HOURS_BOOKING_ONLY:
            rx_say_put(&t.say, " We're closed right now; ");
            rx_say_next_open(&t);
            rx_say_put(&t.say, ". I can still book an appointment for you or answer your questions.");
            mem->pending = RX_ASK_OFFER_BOOKING;    /* "yes please" books */
            break;
        case AGENT_AFTER_HOURS_TAKE_MESSAGE:
        default:
            rx_say_put(&t.say, " We're closed right now; ");
            rx_say_next_open(&t);
            rx_say_put(&t.say, ". I can answer your questions or take a message for the team.");
            mem->pending = RX_ASK_OFFER_MESSAGE;    /* "yes please, this is Carl" leaves one */
            break;
        }
    }
    mem->turns++;
    finish(&t);
}

/* Callers in an emergency do not recite the configured words: "i smell gas" must find
 * "gas smell" and "swollen" must find "swelling" (rx_keywords.h). */
static bool has_escalation_keyword(struct rx_turn *t)
{
    for (size_t i = 0; i < t->cfg->escalation.nkeywords; i++)
        if (rx_keyword_is_said(&t->text, t->cfg->escalation.keywords[i]))
            return true;
    return false;
}

/* A request for a person ("can I speak to someone", "agent", "speak to Doctor Kim");
 * not "I don't need a human", not "talk to you later", not a message for the owner,
 * and not the words of a message being taken ("have the manager call me"). */
static bool is_person_request(struct rx_turn *t)
{
    if (t->mem->pending == RX_ASK_MSG_TEXT || rx_message_is_request(t) ||
        rx_text_has_any(&t->text, not_wanted_words))
        return false;
    return rx_text_has_any(&t->text, person_words);
}

/* "Yes please, do you have Friday?" is a yes with a question after it. */
static bool starts_with_yes(const struct rx_text *text)
{
    static const char *const yes[] = {" yes ", " yeah ", " yep ", " yup ", " sure ", " ok ",
                                      " okay ", " please ", NULL};
    for (size_t i = 0; yes[i] != NULL; i++)
        if (strncmp(text->norm, yes[i], strlen(yes[i])) == 0)
            return true;
    return false;
}

/* The answer to an offer just made ("Would you like that?"); false if not one. */
static bool answer_offer(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    bool is_yes = rx_text_is_yes(&t->text), is_no = rx_text_is_no(&t->text);
    if (rx_text_is_question(&t->text) && !starts_with_yes(&t->text))
        is_yes = is_no = false;         /* "are you open right now?" is not a yes */
    if (m->pending == RX_ASK_OFFER_MESSAGE && is_yes) {
        rx_message_start(t);
        return true;
    }
    if (m->pending == RX_ASK_OFFER_BOOKING && is_yes) {
        if (t->nservices == 0 && m->nservices_asked > 0) {
            t->services[0] = m->services_asked[m->nservices_asked - 1];
            t->nservices = 1;
        }
        rx_booking_start(t);
        return true;
    }
    if (m->pending == RX_ASK_ANYTHING_ELSE && is_yes && t->nservices == 0 && !t->has_when &&
        t->text.nwords <= 3) {
        t->out->intent = "yes";        /* "yes" to "anything else?" is not a misunderstanding */
        rx_say_pick(t, go_ahead);
        m->pending = RX_ASK_NONE;
        return true;
    }
    if ((m->pending == RX_ASK_OFFER_MESSAGE || m->pending == RX_ASK_OFFER_BOOKING) && is_no &&
        t->nservices == 0) {
        rx_say_put(&t->say, "Alright.");
        rx_say_anything_else(t);
        return true;
    }
    return false;
}

static void dispatch(struct rx_turn *t)
{
    struct rx_memory *m = t->mem;
    bool is_move = false;
    char name[RX_TOOL_NAME_MAX];
    if (m->caller_name[0] == '\0' && rx_text_name(&t->text, false, name, sizeof name)) {
        size_t n = strnlen(name, sizeof m->caller_name - 1);
        memcpy(m->caller_name, name, n);
        m->caller_name[n] = '\0';
    }
    if (has_escalation_keyword(t)) {
        m->intents_seen |= RX_INTENT_ESCALATION;
        rx_escalate(t, "the caller said an escalation keyword", true);
        return;
    }
    if (m->last_reply[0] != '\0' && rx_text_has_any(&t->text, repeat_words) && t->nservices == 0 &&
        !t->has_when) {
        t->out->intent = "repeat";     /* the question asked last is still the one pending */
        rx_say_pick(t, repeat_lead);
        rx_say_put(&t->say, m->last_reply);
        return;
    }
    bool is_person = is_person_request(t);
    if (rx_small_talk_answer(t, true, is_person))   /* "are you a real person?" asks */
        return;
    if (is_person) {
        m->intents_seen |= RX_INTENT_PERSON;
        if (t->cfg->escalation.on_request) {
            rx_escalate(t, "the caller asked for a person", false);
        } else {
            rx_say_put(&t->say, "I'm sorry, no one can come to the phone, but I'll take a message and make sure it gets to the team.");
            t->is_message_announced = true;
            rx_message_start(t);
        }
        return;
    }
    /* "thanks, that's all, bye" when asked for a name is a goodbye, not a name */
    if ((m->pending == RX_ASK_NAME || m->pending == RX_ASK_MSG_NAME) &&
        rx_is_goodbye(&t->text)) {
        say_goodbye(t);
        return;
    }
    /* "actually forget it, bye" in the middle of a booking ends the call */
    if ((m->task == RX_TASK_BOOKING || m->task == RX_TASK_CANCEL) &&
        rx_is_goodbye(&t->text) && !rx_text_is_yes(&t->text) &&
        t->nservices == 0 && !t->has_when) {
        say_goodbye(t);
        return;
    }
    if (rx_booking_turn(t) || rx_message_turn(t))
        return;
    if (rx_booking_is_cancel_request(t, &is_move)) {
        rx_booking_cancel_start(t, is_move);
        return;
    }
    if (rx_is_goodbye(&t->text) ||
        (m->pending == RX_ASK_ANYTHING_ELSE && rx_text_is_no(&t->text) && t->nservices == 0 &&
         !t->has_when)) {
        say_goodbye(t);
        return;
    }
    if (answer_offer(t))
        return;
    if (m->task == RX_TASK_NONE && rx_booking_is_request(t)) {
        rx_booking_start(t);
        return;
    }
    if (m->task == RX_TASK_NONE && rx_message_is_request(t)) {
        rx_message_start(t);
        return;
    }
    if (rx_answer(t)) {
        if (m->task != RX_TASK_NONE) {
            reask(t);
        } else if (t->nservices > 0 && rx_booking_can_book_now(t)) {
            rx_say_pick(t, book_offer);
            m->pending = RX_ASK_OFFER_BOOKING;
        } else {
            rx_say_anything_else(t);
        }
        return;
    }
    if (rx_text_has_any(&t->text, thanks_words)) {
        t->out->intent = "thanks";
        rx_say_pick(t, welcome);
        if (m->task != RX_TASK_NONE)
            reask(t);
        else
            rx_say_anything_else(t);
        return;
    }
    if (rx_small_talk_answer(t, false, false))
        return;
    if (m->task == RX_TASK_NONE && t->text.nwords <= 4 && rx_text_has_any(&t->text, hello_words)) {
        t->out->intent = "hello";
        rx_say_pick(t, hello_back);
        return;
    }
    misunderstood(t);
}

void rx_on_caller(const struct rx_context *ctx, struct rx_memory *mem, const char *text,
                  struct rx_output *out)
{
    struct rx_turn t;
    turn_init(&t, ctx, mem, text, out);
    mem->turns++;
    dispatch(&t);
    if (!out->is_misunderstood)
        mem->misunderstood = 0;
    finish(&t);
}

void rx_on_tool_result(const struct rx_context *ctx, struct rx_memory *mem,
                       const struct rx_tool_result *result, struct rx_output *out)
{
    struct rx_turn t;
    turn_init(&t, ctx, mem, "", out);
    if (mem->pending == RX_ASK_WAIT_TOOL)
        mem->pending = RX_ASK_NONE;
    switch (result->tool) {
    case RX_TOOL_CHECK_AVAILABILITY:
    case RX_TOOL_BOOK:
    case RX_TOOL_CANCEL:
        rx_booking_on_tool(&t, result);
        break;
    case RX_TOOL_TAKE_MESSAGE:
        rx_message_on_tool(&t, result);
        break;
    case RX_TOOL_TRANSFER:
        out->intent = "transfer";
        if (!result->is_ok) {
            mem->was_transferred = false;
            rx_say_put(&t.say, "I'm sorry, I couldn't reach anyone just now, so I'll take a message for the team.");
            t.is_message_announced = true;
            rx_message_start(&t);
        }
        break;
    default:
        break;
    }
    finish(&t);
}

void rx_on_silence(const struct rx_context *ctx, struct rx_memory *mem, int silences,
                   struct rx_output *out)
{
    struct rx_turn t;
    turn_init(&t, ctx, mem, "", out);
    out->intent = "silence";
    if (silences >= 2) {
        rx_say_put(&t.say, "I haven't heard anything, so I'll hang up now.");
        say_goodbye(&t);
    } else {
        rx_say_pick(&t, still_there);
        if (mem->task != RX_TASK_NONE)
            reask(&t);
        else
            rx_say_anything_else(&t);
    }
    finish(&t);
}
