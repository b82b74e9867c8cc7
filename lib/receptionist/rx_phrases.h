/* lib/receptionist/rx_phrases.h: the receptionist's phrase catalogue (rx_phrases.c), one place
 * for its conversation in words. Two kinds:
 *
 *   - words it listens for (rx_*_words): phrases that tell what a caller means, already
 *     normalised as rx_text.h does it (lowercase, no apostrophes: "thats all"), in
 *     NULL-terminated lists for rx_text_has_any() unless a comment says otherwise;
 *   - wordings it says (rx_*_wordings): up to three sentences per tone (friendly, formal,
 *     brief), rotated by rx_pick() so a caller rarely hears one twice; "@1".."@9" are
 *     filled by RX_FILL.
 *
 * Not here: the vocabulary of the parsers and formatters, which reads only next to its
 * algorithm (digit names in rx_text.c and rx_message_words.c, irregular forms in
 * rx_keywords.c, the cues and words of a name in rx_text.c, the words scoring skips in
 * rx_faq_answer.c and rx_services.c, the words around an unknown service in
 * rx_services_not_offered.c, day and currency names in rx_say.c and
 * rx_hours_answer.c), and sentences said in one place only, inline where they are said.
 * Plain constant data, no state. */
#ifndef FD_RX_PHRASES_H
#define FD_RX_PHRASES_H

/* A wording table: [tone][variant], a tone's unused variants NULL. */
typedef const char *const rx_wordings[3][3];

/* ---- words it listens for: the conversation (rx_intents.c, rx_text.c) ---- */

extern const char *const rx_yes_words[];
extern const char *const rx_no_words[];
/* "Yes please, do you have Friday?": a yes first, padded (" yes ") to compare with the
 * start of a normalised text. */
extern const char *const rx_yes_first_words[];
/* The words ask something: "no wait, what's the policy?" is a question, not a no. */
extern const char *const rx_question_words[];
/* The caller no longer wants what is under way (a booking, a message). */
extern const char *const rx_drop_words[];
/* The call is over: "bye", "that's all", "have a good one". One list, so every part
 * (and the fallback call flow, through rx_is_goodbye_words) agrees on a goodbye. */
extern const char *const rx_goodbye_words[];
/* Goodbyes only as the last words said: "take care", not "do you take CareCredit". */
extern const char *const rx_goodbye_last_words[];
extern const char *const rx_repeat_words[];     /* "sorry, can you repeat that?" */
extern const char *const rx_thanks_words[];
extern const char *const rx_accept_words[];
extern const char *const rx_hello_words[];
/* A request for a person ("can I speak to someone", "agent"), unless a not_wanted word
 * says the person is named, not asked for ("I don't need a human", "talk to my wife"). */
extern const char *const rx_person_words[];
extern const char *const rx_person_not_wanted_words[];

/* ---- small talk (rx_small_talk.c) ---- */

extern const char *const rx_robot_words[];      /* "is this a robot?" */
/* "Is this a robot? I want to speak to a human" asks for one all the same. */
extern const char *const rx_ask_for_someone_words[];
extern const char *const rx_how_are_you_words[];
extern const char *const rx_hear_me_words[];    /* "can you hear me?" */

/* ---- booking, cancelling, moving (rx_booking.c, rx_cancel.c) ---- */

extern const char *const rx_book_words[];
extern const char *const rx_want_words[];       /* "i'd like", "can i get" */
/* "How long is a color appointment?" asks about a service and books nothing, unless a
 * want word or a booking verb comes with it. */
extern const char *const rx_service_question_words[];
extern const char *const rx_booking_verb_words[];
extern const char *const rx_any_time_words[];   /* "whenever", "what do you have" */
/* "first thing Saturday": the day's opening time */
extern const char *const rx_first_thing_words[];
extern const char *const rx_right_now_words[];
extern const char *const rx_soonest_words[];    /* "first available", "asap" */
/* Which of the times offered: "the first one", "the middle one", "the later one". */
extern const char *const rx_first_pick_words[];
extern const char *const rx_second_pick_words[];
extern const char *const rx_last_pick_words[];
extern const char *const rx_move_words[];       /* "reschedule", "move my" */
extern const char *const rx_same_time_words[];  /* "same time": a move keeps the time */
/* A question at the read-back that changes the booking: "can we do five instead?". */
extern const char *const rx_change_words[];
/* A caller in trouble asking what to do ("what do I do", "I'm scared"): at night, the
 * business's after-hours message is its answer. */
extern const char *const rx_trouble_words[];
/* "what am I supposed to do if something happens when you're closed?": the
 * after-hours advice, asked for at any time */
extern const char *const rx_when_closed_words[];
extern const char *const rx_what_then_words[];
extern const char *const rx_cancel_words[];     /* "cancel my", "can't make it" */
/* A question about what would happen, not a request: "what if I can't make it?",
 * "is there a fee if I cancel last minute?". */
extern const char *const rx_hypothetical_words[];

/* ---- a message (rx_message.c, rx_message_words.c) ---- */

extern const char *const rx_message_request_words[];
/* "I need to give you the new lockbox code": the message is announced, not said yet. */
extern const char *const rx_message_announce_words[];
/* At the message question, words that change the number ("use my work number"). */
extern const char *const rx_new_number_words[];
/* What the caller wants them told, as said (lowercase, apostrophes kept, matched on
 * word boundaries in the raw words): the longest first. */
extern const char *const rx_tell_them_words[];
/* Which part of the number read back is said again: its start, its end. */
extern const char *const rx_number_start_words[];
extern const char *const rx_number_end_words[];
/* "Just use the number I'm calling from", unless another is meant ("not this one"). */
extern const char *const rx_calling_from_words[];
extern const char *const rx_other_number_words[];
extern const char *const rx_no_number_words[];  /* "i'd rather not give my number" */

/* ---- questions about the business (rx_answer.c and its parts) ---- */

extern const char *const rx_hours_words[];
extern const char *const rx_work_words[];       /* "do you work saturdays" */
/* Words that can only ask for the opening hours ("what days and times do you work"),
 * whatever else the question holds; and that ask for all of the week's ("during the
 * week and on the weekend"). */
extern const char *const rx_hours_only_words[];
extern const char *const rx_whole_week_words[];
extern const char *const rx_follow_up_words[];  /* "what about sunday?" after the hours */
extern const char *const rx_close_words[];      /* "how late", "when do you close" */
extern const char *const rx_now_words[];        /* "right now", "at the moment" */
extern const char *const rx_price_words[];
/* "how much" that asks no price: "how much notice do you need", "how much longer" */
extern const char *const rx_how_much_not_price_words[];
extern const char *const rx_price_covers_words[];
extern const char *const rx_duration_words[];
extern const char *const rx_services_list_words[]; /* "what do you offer", "menu" */
extern const char *const rx_address_words[];
extern const char *const rx_place_words[];
/* "How much is it?": the service just talked about. */
extern const char *const rx_it_words[];
/* Words that make a service one for an age group ("kids cut"), each one word, for
 * rx_is_word_of(). Who the visit is for ("for my daughter") is not one. */
extern const char *const rx_age_words[];

/* Words of a policy beyond its name, as callers say them. The list ends with a NULL
 * name. */
struct rx_policy_words {
    const char *name;           /* the policy's name in the configuration */
    const char *words[14];
};
extern const struct rx_policy_words rx_policy_words[];

/* A cue before the words of a service the caller asked for, padded (" do you fix ")
 * for strstr in a normalised text; the list ends with a NULL cue. verb is what the
 * reply says the business does not do: "offer" for "do you do X", the caller's own
 * verb for "do you fix X" ("we don't fix X"). */
struct rx_service_cue {
    const char *cue;
    const char *verb;
};
extern const struct rx_service_cue rx_service_cues[];

/* ---- wordings it says: the conversation (rx_intents.c, rx_handoff.c, rx_say.c) ---- */

extern rx_wordings rx_hello_back_wordings;
extern rx_wordings rx_go_ahead_wordings;        /* "yes" to "anything else?" */
extern rx_wordings rx_welcome_wordings;         /* to thanks */
extern rx_wordings rx_anything_else_wordings;
extern rx_wordings rx_book_offer_wordings;      /* after a service is described */
extern rx_wordings rx_repeat_lead_wordings;     /* before the last reply said again */
extern rx_wordings rx_sorry_wordings;           /* not understood... */
extern rx_wordings rx_menu_wordings;            /* ...and what it can do; @1 ", book ..." */
extern rx_wordings rx_still_there_wordings;     /* a silence */
extern rx_wordings rx_goodbye_wordings;         /* @1 the business */
extern rx_wordings rx_transfer_wordings;
extern rx_wordings rx_urgent_wordings;          /* an escalation keyword */
extern rx_wordings rx_help_wordings;            /* a transfer after not understanding */
/* Said around a reply that would repeat a recent one word for word, so that it does
 * not: leads before it, tails after; the first of each is nothing. NULL-terminated. */
extern const char *const rx_again_leads[];
extern const char *const rx_again_tails[];

/* ---- small talk (rx_small_talk.c) ---- */

extern rx_wordings rx_robot_answer_wordings;    /* @1 the business */
extern rx_wordings rx_how_are_you_wordings;
extern rx_wordings rx_hear_you_wordings;

/* ---- booking (rx_booking.c) ---- */

extern rx_wordings rx_ask_day_wordings;
extern rx_wordings rx_ask_name_wordings;
extern rx_wordings rx_checking_wordings;
extern rx_wordings rx_read_back_wordings;       /* @1 service, @2 when, @3 name */

/* ---- a message (rx_message.c) ---- */

extern rx_wordings rx_message_ask_name_wordings;
/* The name question after the reply has said a message will be taken. */
extern rx_wordings rx_message_ask_name_only_wordings;
extern rx_wordings rx_message_ask_number_wordings;
extern rx_wordings rx_message_ask_text_wordings;
extern rx_wordings rx_message_noted_wordings;
extern rx_wordings rx_message_dropped_wordings;
extern rx_wordings rx_without_number_wordings;

/* ---- answers (rx_hours_answer.c, rx_services.c) ---- */

extern rx_wordings rx_closed_now_wordings;
extern rx_wordings rx_yes_we_offer_wordings;    /* @1 the service */

#endif
