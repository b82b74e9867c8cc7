/* lib/receptionist/rx_small_talk.c: see rx_small_talk.h. */
#include "receptionist/rx_small_talk.h"

/* "Is this a robot?": asked what it is talking to, answered honestly. */
static const char *const robot_words[] = {
    "robot", "a machine", "a bot", "automated", "are you real", "are you human",
    "are you a person", "are you a real person", "is this a person", "is this a real person",
    "am i talking to a person", "am i talking to a real person", "artificial", "an ai",
    "is this ai", "are you ai", NULL};
/* "Is this a robot? I want to speak to a human" asks for one all the same. */
static const char *const ask_for_words[] = {"i want", "id like", "i would like", "let me",
                                            "speak to", "talk to", "transfer", "put me through",
                                            "connect me", "get me", NULL};
static const char *const how_are_you_words[] = {"how are you", "hows it going", "how is it going",
                                                "how have you been", "hows your day", NULL};
static const char *const hear_me_words[] = {"can you hear me", "are you there", "you there",
                                            "anyone there", "is anyone there", NULL};

static rx_wordings robot_answer = {
    {"I'm @1's automated receptionist. I can answer questions, book appointments and take messages, or put you through to the team. How can I help?",
     "You're talking to @1's virtual receptionist. I can help with questions, bookings and messages. What can I do for you?",
     "I'm an automated assistant for @1. I can answer questions, book you in or take a message. What do you need?"},
    {"I am the automated receptionist of @1. I can answer questions, book appointments and take messages. How may I help you?",
     "This is @1's virtual receptionist. I can help with questions, appointments and messages. How may I assist you?",
     "I am an automated assistant for @1. I can answer questions, make bookings and take messages. How may I help?"},
    {"I'm @1's automated receptionist. How can I help?", "Automated receptionist for @1. What do you need?",
     "Virtual receptionist, @1. How can I help?"},
};
static rx_wordings how_are_you_answer = {
    {"I'm doing well, thanks for asking! How can I help you today?", "Doing great, thank you! What can I do for you?",
     "All good here, thanks! How can I help?"},
    {"I am well, thank you. How may I help you today?", "Very well, thank you for asking. How may I assist you?",
     "I am well, thank you. What can I do for you?"},
    {"Good, thanks. How can I help?", "Fine, thanks. What do you need?", "Good. Go ahead."},
};
static rx_wordings hear_you = {
    {"Yes, I can hear you! How can I help?", "I'm here and I can hear you. What can I do for you?",
     "Yes, loud and clear. How can I help?"},
    {"Yes, I can hear you. How may I help you?", "I am here and can hear you clearly. How may I assist you?",
     "Yes, I hear you. What can I do for you?"},
    {"Yes, I hear you. Go ahead.", "I'm here. Go ahead.", "Yes. How can I help?"},
};

bool rx_small_talk_answer(struct rx_turn *t, bool is_robot_only, bool is_person_asked)
{
    if (rx_text_has_any(&t->text, robot_words) &&
        !(is_person_asked && rx_text_has_any(&t->text, ask_for_words))) {
        t->out->intent = "robot";
        rx_say_gap(t);
        RX_FILL(&t->say, rx_pick(t, robot_answer), t->cfg->business_name);
        return true;
    }
    if (is_robot_only || t->mem->task != RX_TASK_NONE)
        return false;
    if (rx_text_has_any(&t->text, how_are_you_words)) {
        t->out->intent = "hello";
        rx_say_pick(t, how_are_you_answer);
        return true;
    }
    if (rx_text_has_any(&t->text, hear_me_words)) {
        t->out->intent = "hello";
        rx_say_pick(t, hear_you);
        return true;
    }
    return false;
}
