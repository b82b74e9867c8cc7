/* lib/receptionist/rx_message_words.h: the scans of a caller's words that taking a message needs
 * (lib/receptionist/rx_message.c, which keeps the conversation steps): a callback number said whole
 * or corrected in part, "the number I'm calling from", a refusal to leave a number, and
 * the words of the message said along with a number or a name. Internal to the built-in
 * receptionist. No allocation, no state; every pointer passed is borrowed. */
#ifndef FD_RX_MESSAGE_WORDS_H
#define FD_RX_MESSAGE_WORDS_H
#include <stdbool.h>
#include <stddef.h>

#include "receptionist/rx_text.h"

/* The digits of the first phone number said in raw, as rx_text_digits counts them (at
 * most size-1; 0 if none); *has_plus when it began with '+'. */
size_t rx_callback_digits(const char *raw, char *digits, size_t size, bool *has_plus);

/* The n digits said, as an E.164 number into out (cut to size-1 bytes); false, out
 * untouched, if they are not a whole number. Seven digits take the area code of
 * caller (the number the call comes from; "" if unknown) when it is a +1 number. */
bool rx_callback_to_e164(const char *caller, const char *digits, size_t n, bool has_plus,
                         char *out, size_t size);

/* "No, it's 4 5 6 7 at the end", "the area code is 212": part of number (an E.164
 * number just read back) said again in text replaces that part of it, in place. False,
 * number unchanged, if text said no such part. */
bool rx_callback_fix_part(const struct rx_text *text, char *number);

/* "Just use the number I'm calling from" (not "not the one I'm calling from"); always
 * false when caller_number is "". */
bool rx_callback_is_calling_from(const struct rx_text *text, const char *caller_number);

/* "I'd rather not give my number, I'll call back". */
bool rx_callback_is_refused(const struct rx_text *text);

/* The words of a message said along with something else, pointing into raw; NULL if
 * none: what follows a number ("..., 917 555 0142, it's about the crown i had done") or
 * what they are to be told ("tell them i'll bring my insurance card"). */
const char *rx_message_said_with(const char *raw);
/* "tell Mike the tech that the part never came": what someone of the business is to
 * be told, pointing into raw; NULL if nothing is (nor "can you tell me your hours"). */
const char *rx_message_told(const char *raw);
/* "can you let Tony know", "let the owner know": someone of the business is to be told;
 * not "let me know". */
bool rx_message_is_let_know(const char *raw);
/* Somebody of the business is asked to call the caller (or whom they call for): "could
 * Ben give me a call", "have the owner give me a ring", "she wants Maya to call her",
 * "can somebody reach out to me"; not the caller calling ("I'll give you a call", "I
 * want to call her"). text: the caller's words, normalised. */
bool rx_message_asks_callback(const struct rx_text *text);
/* The message told before or around the request, the name and the number ("hi, this is
 * Carla, I think I left a blue scarf there last night, can someone call me at ..."):
 * the clauses of four or more words that are none of these, into buf (size bytes);
 * false if there are none. name: the caller's name, "" if not known. */
bool rx_message_said_around(const char *raw, const char *name, char *buf, size_t size);

#endif
