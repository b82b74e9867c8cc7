/* lib/receptionist/rx_names.h: a caller's name, found in what they said as people say it:
 * after a cue ("my name is", "name's", "it's", "I'm", "this is", "call me", "under"), before
 * one ("Gus Moreno here", "Tom speaking"), after the person a visit is for ("for my
 * daughter, Ruby Tran"), or as the whole answer to "what name?" ("Hannah Cole.").
 *
 * A word is weighed by what it is (a common word of speech is never a name: "Sounds
 * good", "Great", "Tuesday"; a common given name is one even in lowercase), by its
 * capital as transcribed (not the capital every sentence starts with), by its place
 * (the cue before it, a clause ending after it) and by the question just asked (a name
 * expected takes a bare answer). rx_name_words.c holds the word lists. */
#ifndef FD_RX_NAMES_H
#define FD_RX_NAMES_H
#include <stdbool.h>
#include <stddef.h>

/* The name said in text (the caller's words as transcribed), at most three words,
 * written with capitals into buf; false if none. is_asked: the caller was just asked
 * for a name, so a bare one counts. When several are said, the last wins ("Jon, sorry,
 * John Smith"). */
bool rx_name_find(const char *text, bool is_asked, char *buf, size_t size);

/* True if word (lowercase, no apostrophes, n bytes) is a common word of speech, never a
 * name; or a common given name. Binary searches of the lists below. */
bool rx_is_common_word(const char *word, size_t n);
bool rx_is_given_name(const char *word, size_t n);

extern const char *const rx_common_words[];     /* sorted */
extern const size_t rx_ncommon_words;
extern const char *const rx_given_names[];      /* sorted */
extern const size_t rx_ngiven_names;

#endif
