/* lib/receptionist/rx_small_talk.h: the built-in receptionist's answers to what is not business:
 * "is this a robot?" (answered honestly: the business's automated receptionist), "how
 * are you?", "can you hear me?". Tests and answers apart, so that the intents
 * (rx_intents.c) can ask without answering; the words are in rx_phrases.c. */
#ifndef FD_RX_SMALL_TALK_H
#define FD_RX_SMALL_TALK_H
#include <stdbool.h>

#include "receptionist/rx_internal.h"

/* "Is this a robot?", "are you a real person?": asked what it is talking to. */
bool rx_small_talk_is_robot_question(const struct rx_turn *t);
/* The words also ask for someone ("is this a robot? I want to speak to a human"): with
 * a request for a person, that request, not a question. */
bool rx_small_talk_asks_for_someone(const struct rx_turn *t);
/* "How are you?", "can you hear me?", outside a task only. */
bool rx_small_talk_is_chat(const struct rx_turn *t);

void rx_small_talk_answer_robot(struct rx_turn *t);
/* For a turn rx_small_talk_is_chat() is true of. */
void rx_small_talk_answer_chat(struct rx_turn *t);

#endif
