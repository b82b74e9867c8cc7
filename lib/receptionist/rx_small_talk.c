/* lib/receptionist/rx_small_talk.c: see rx_small_talk.h. */
#include "receptionist/rx_small_talk.h"

bool rx_small_talk_is_robot_question(const struct rx_turn *t)
{
    return rx_text_has_any(&t->text, rx_robot_words);
}

bool rx_small_talk_asks_for_someone(const struct rx_turn *t)
{
    return rx_text_has_any(&t->text, rx_ask_for_someone_words);
}

bool rx_small_talk_is_chat(const struct rx_turn *t)
{
    return t->mem->task == RX_TASK_NONE && (rx_text_has_any(&t->text, rx_how_are_you_words) ||
                                            rx_text_has_any(&t->text, rx_hear_me_words));
}

void rx_small_talk_answer_robot(struct rx_turn *t)
{
    t->out->intent = "robot";
    rx_say_gap(t);
    RX_FILL(&t->say, rx_pick(t, rx_robot_answer_wordings), t->cfg->business_name);
}

void rx_small_talk_answer_chat(struct rx_turn *t)
{
    t->out->intent = "hello";
    if (rx_text_has_any(&t->text, rx_how_are_you_words))
        rx_say_pick(t, rx_how_are_you_wordings);
    else
        rx_say_pick(t, rx_hear_you_wordings);
}
