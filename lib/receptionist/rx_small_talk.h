/* lib/receptionist/rx_small_talk.h: the built-in receptionist's answers to what is not business:
 * "is this a robot?" (answered honestly: the business's automated receptionist), "how
 * are you?", "can you hear me?". Apart from lib/receptionist/receptionist.c's dispatch, which calls
 * it, so the word lists and wordings read on their own. */
#ifndef FD_RX_SMALL_TALK_H
#define FD_RX_SMALL_TALK_H
#include <stdbool.h>

#include "receptionist/rx_internal.h"

/* Answers the turn when it is small talk; false when it is not. is_robot_only: only
 * the robot question (dispatch asks it before a request for a person, "are you a real
 * person?"); is_person_asked: the turn also asks for a person, and "is this a robot? I
 * want to speak to a human" is then that request, not a question. Outside a task only,
 * except the robot question. */
bool rx_small_talk_answer(struct rx_turn *t, bool is_robot_only, bool is_person_asked);

#endif
