/* lib/receptionist/rx_internal.h: what the parts of the built-in receptionist share (internal to
 * lib/receptionist/; the public interface is lib/receptionist/receptionist.h). From the top, each
 * part calls only those below it:
 *
 *   receptionist.c  the entry points: a turn read once (words, day and time, services),
 *                   answered, and its reply finished (never twice alike)
 *   rx_intents.c    what a caller's turn is about: one ordered table of intents
 *   rx_handoff.c    transfer or escalate, goodbye, the task's question again
 *   rx_small_talk.c "is this a robot?", "how are you?", "can you hear me?"
 *   rx_keywords.c   the business's escalation keywords as callers say them
 *   rx_message.c    taking a message (name, callback number read back, the message);
 *                   rx_message_words.c reads numbers and message words from speech
 *   rx_cancel.c     cancelling or moving the caller's booking (a move books through
 *                   rx_booking.c)
 *   rx_booking.c    booking by slot filling, with the worker's tools
 *   rx_booking_rules.c  whether a day and time can be booked, and why not
 *   rx_answer.c     questions answered from the configuration: which kind of answer,
 *                   and the address; rx_search.c finds the text that answers a question
 *                   without the FAQ's keywords (rx_search_words.c: its word lists); the parts (rx_answer_parts.h) are
 *                   rx_hours_answer.c, rx_faq_answer.c (FAQ and policies),
 *                   rx_services.c, rx_services_not_offered.c
 *   rx_say.c        how things are said: tones, times, days, prices, lists
 *   rx_memory.c     the call's memory: set up, cleared, noted; to MessagePack and back
 *   rx_text.c       words: normalising, phrase lookup, yes, no, goodbye, digits,
 *                   bounded replies
 *   rx_repair.c     corrections inside an utterance: the last value said wins
 *   rx_names.c      a caller's name as people say it (rx_name_words.c: the word lists)
 *   rx_tokens.c     words with their capitals, places and punctuation, for the two above
 *   rx_phrases.c    the phrase catalogue: the words listened for, the wordings said */
#ifndef FD_RX_INTERNAL_H
#define FD_RX_INTERNAL_H
#include <stdbool.h>

#include "receptionist/receptionist.h"
#include "receptionist/rx_phrases.h"
#include "receptionist/rx_text.h"
#include "calendar/spoken_time.h"

#define RX_TURN_SERVICES 4

/* One turn being handled. */
/* mem->part beyond the spoken parts of a day: "any time", "what do you have". */
#define RX_PART_ANY 9

/* The FAQ entry or policy that answers the caller best (rx_faq_pick_best). */
struct rx_faq_pick {
    int score;                  /* the FAQ entry's (0: none), or the policy's 3 */
    bool is_policy;
    size_t index;
};

struct rx_turn {
    const struct rx_context *ctx;
    const struct agent_config *cfg;
    struct rx_memory *mem;
    struct rx_output *out;
    const char *raw;                    /* the caller's words as meant ("" for none):
                                         * as said, or repaired into repaired[] */
    char repaired[RX_TEXT_MAX + 1];
    struct rx_text text;
    bool has_when;
    struct spoken_when when;
    int services[RX_TURN_SERVICES];     /* services named this turn, longest match first */
    size_t service_at[RX_TURN_SERVICES];    /* where each is said in text.norm */
    int nservices;
    /* the caller's words for a service named with an age group it lacks ("kids cut"):
     * dropped from services; "" if none */
    char unlisted[128];
    /* an FAQ entry the business wrote to say no picks the thing asked for ("a full
     * haircut" where "Do you groom?" says "No, ..."): no booking starts, it answers */
    bool is_refused_by_faq;
    struct rx_say say;                  /* into out->say */
    unsigned npicks;                    /* wordings picked so far this turn */
    bool has_said_hours;                /* the reply names the day's opening hours */
    bool is_message_announced;          /* the reply already says a message is taken */
    /* the trades' services said this turn (rx_trade_services_said), looked for once; the
     * first eight of the vocabulary's order, more than a caller says at once */
    struct rx_trade_said {
        size_t index;                   /* in rx_common_services */
        size_t at;                      /* where it is said in text.norm */
    } trade_said[8];
    size_t ntrade_said;
    bool is_trade_read;
    /* what rx_faq_answer.c reads of the words, each part once, when first asked (up to
     * three parts of a turn ask): it depends on raw, text and cfg only, which the turn's
     * reading sets before any part asks and nothing changes after (services, which do
     * change, are not read) */
    struct rx_faq_read {
        bool is_child_age_read, says_child_age;
        bool is_keyword_read, has_keyword;      /* rx_faq_has_keyword */
        bool is_picked;                         /* rx_faq_pick_best */
        struct rx_faq_pick pick;
    } faq;
};

/* rx_say.c: the tones. A table of rx_phrases.h holds up to three wordings per tone
 * (friendly, formal, brief); rx_pick rotates through them. */
const char *rx_pick(struct rx_turn *t, rx_wordings w);
void rx_say_pick(struct rx_turn *t, rx_wordings w);
/* A space between sentences when the reply already has one. */
void rx_say_gap(struct rx_turn *t);
void rx_say_clock(struct rx_say *s, int minute);        /* "2:30 PM", "noon" */
/* Why a day is closed, after "We're closed on Friday, March 27th": " for Christmas Day",
 * or ": both doctors are away at a seminar" when the owner wrote a sentence ("We're
 * closed for Memorial Day weekend." is said " for Memorial Day weekend"). */
void rx_say_closure_reason(struct rx_say *s, const char *reason);
void rx_say_date(struct rx_turn *t, const struct civil_date *d); /* "tomorrow, Tuesday, March 3rd" */
/* "today", "tomorrow, Tuesday, March 3rd", "on Thursday, March 5th": after a verb. */
void rx_say_on(struct rx_say *s, const struct civil_date *d, const struct civil_date *today);
void rx_say_date_into(struct rx_say *s, const struct civil_date *d, const struct civil_date *today);
void rx_say_price(struct rx_say *s, const struct agent_service *svc);
void rx_say_ranges(struct rx_say *s, const struct agent_day *day); /* "8 AM to noon and 1 PM to 5 PM" */
/* "In the evening we're open on Thursday until 7 PM.": the weekdays whose hours reach
 * into [first_minute, end_minute) of the day (an evening asked for with no day), after
 * when_words ("In the evening"); false, saying nothing, when every open day or most of
 * them do. */
bool rx_say_days_open_in(struct rx_turn *t, const char *when_words, int first_minute, int end_minute);
void rx_say_week(struct rx_turn *t);                    /* the opening hours of the week */
/* "cleaning, X-rays and whitening" (at most max names, then "and N more"). */
void rx_say_services(struct rx_turn *t, size_t max);
void rx_say_digits(struct rx_say *s, const char *e164); /* "2 0 1, 5 5 5, 0 1 4 3" */
void rx_say_anything_else(struct rx_turn *t);
/* The business's own sentence (after_hours.message), ended with a full stop when the
 * owner wrote none. */
void rx_say_sentence(struct rx_say *s, const char *text);

/* Calendar helpers on the business's local time. */
int rx_weekday(const struct civil_date *d);
bool rx_is_open_now(const struct rx_context *ctx);
/* The next time the business opens at or after (date, minute), within 14 days. */
bool rx_next_open(const struct agent_config *cfg, const struct civil_date *from, int minute,
                  struct civil_date *day, int *open_minute);
/* Says "we open again tomorrow, Tuesday, March 3rd at 8 AM" (or nothing if never). */
void rx_say_next_open(struct rx_turn *t);
bool rx_is_closure(const struct agent_config *cfg, const struct civil_date *d, const char **reason);

/* rx_answer.c: a question about the business; false if the turn asked none. */
bool rx_answer(struct rx_turn *t);
/* "We don't offer X; we do offer ..." if the caller named a service the business lacks. */
bool rx_answer_unknown_service(struct rx_turn *t);
void rx_answer_hours_of(struct rx_turn *t, const struct civil_date *d);

/* A task's turn (rx_booking_turn, rx_cancel_turn, rx_message_turn) returns false, the
 * turn left to the other intents, when the words answer nothing the task asked. */

/* rx_booking.c */
bool rx_booking_is_request(const struct rx_turn *t);
/* "sign me up", "sign my son up": a request to enrol someone (rx_booking_request.c). */
bool rx_says_sign_up(const struct rx_text *x);
void rx_booking_start(struct rx_turn *t);
bool rx_booking_turn(struct rx_turn *t);
void rx_booking_on_tool(struct rx_turn *t, const struct rx_tool_result *r);
void rx_booking_reask(struct rx_turn *t);
bool rx_booking_can_book_now(const struct rx_turn *t);
/* Asks the worker for tool with the booking's slots (and the time if has_time). */
void rx_booking_ask_tool(struct rx_turn *t, enum rx_tool tool, bool has_time);
void rx_booking_set_service(struct rx_turn *t, int index);

/* rx_cancel.c */
bool rx_cancel_is_request(const struct rx_turn *t);     /* to cancel or to move */
bool rx_cancel_is_move(const struct rx_turn *t);
void rx_cancel_start(struct rx_turn *t, bool is_move);
bool rx_cancel_turn(struct rx_turn *t);
void rx_cancel_on_tool(struct rx_turn *t, const struct rx_tool_result *r);
void rx_cancel_reask(struct rx_turn *t);

/* rx_message.c */
bool rx_message_is_request(const struct rx_turn *t);
void rx_message_start(struct rx_turn *t);
bool rx_message_turn(struct rx_turn *t);
void rx_message_on_tool(struct rx_turn *t, const struct rx_tool_result *r);
void rx_message_reask(struct rx_turn *t);

/* rx_handoff.c */
/* To a person: a transfer, or (closed, or no number to transfer to) a message or an
 * offer to book instead. is_urgent picks the wording of an emergency. */
void rx_escalate(struct rx_turn *t, const char *reason, bool is_urgent);
/* Asks the worker for the transfer tool, the task dropped. */
void rx_transfer(struct rx_turn *t, const char *reason);
/* Says goodbye in the business's name; the call ends after it. */
void rx_say_goodbye(struct rx_turn *t);
/* Asks again the question of the task under way (nothing without one). */
void rx_reask(struct rx_turn *t);

/* rx_intents.c: notes the caller's name, then answers the turn by the first intent
 * that takes it (the table and its order are there). */
void rx_dispatch(struct rx_turn *t);

/* rx_memory.c */
/* Remembers that the caller named service index, in words (may be NULL or ""). */
void rx_note_service(struct rx_memory *mem, int index, const char *words);
/* The service (its index, already noted) becomes the last asked about: the one a reply
 * just described, which "yes" to its offer books ("my ice maker quit, the fridge still
 * keeps cold": the ice maker, though the fridge was said after it). */
void rx_note_service_answered(struct rx_memory *mem, int index);
void rx_memory_clear_booking(struct rx_memory *mem);
/* Keeps the reply for "sorry, can you repeat that?", cut to fit. */
void rx_memory_note_reply(struct rx_memory *mem, const char *reply);

#endif
