/* lib/receptionist/rx_text.h: the text tools of the built-in receptionist (lib/receptionist/receptionist.h).
 * A caller's words are normalised once per turn (lowercase ASCII, apostrophes dropped,
 * everything else that is not a letter or digit a single space), and phrases of the
 * configuration (names, aliases, keywords) are looked up in them on word boundaries,
 * allowing a plural ("x ray" finds "x-rays", "emergency" finds "emergencies").
 * Replies are built into a bounded buffer that never overflows (struct rx_say).
 * No allocation, no state. */
#ifndef FD_RX_TEXT_H
#define FD_RX_TEXT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RX_TEXT_MAX 1024        /* bytes of an utterance looked at */

/* An utterance, normalised: " word word word " (a space at both ends, so a phrase
 * " x " is found on word boundaries with strstr). */
struct rx_text {
    const char *raw;            /* borrowed: the words as transcribed, capitals and all */
    char norm[RX_TEXT_MAX + 4];
    size_t len;
    unsigned nwords;
    uint64_t words_seen[8];     /* a Bloom filter of the words (and their singulars) */
    uint64_t starts_seen[23];   /* the words' (and singulars') first two characters */
};

void rx_text_init(struct rx_text *t, const char *text);
/* Normalises phrase into buf (size bytes) without the surrounding spaces; "" if empty. */
void rx_text_normalise(const char *phrase, char *buf, size_t size);
/* Where text (as written: any case, any punctuation) holds word as a whole word or words,
 * from p on; NULL if nowhere. For the business's own texts, which are not normalised. */
const char *rx_text_find_word(const char *text, const char *p, const char *word);
/* True if the normalised phrase (not empty) occurs in t on word boundaries; with a
 * plural ending allowed on its last word. *at, when not NULL, is its byte offset. */
bool rx_text_has_norm(const struct rx_text *t, const char *norm, size_t *at);
/* rx_text_has_norm that also allows a verb's "ing" or "ed" on the last word (its last
 * letter perhaps doubled): a service "leak repair" or "leak" in "it's leaking", "clog"
 * in "clogged". For the names of services only: intent cues stay exact ("want" is not
 * "wanted"). */
bool rx_text_has_norm_forms(const struct rx_text *t, const char *norm, size_t *at);
/* False if phrase (normalised or not) surely does not occur: its first word is not
 * among the utterance's. A quick test before normalising and looking up. */
bool rx_text_may_have(const struct rx_text *t, const char *phrase);
/* rx_text_has_norm of a phrase normalised on the fly. */
bool rx_text_has(const struct rx_text *t, const char *phrase);
/* True if any of the NULL-terminated phrases (already normalised) occurs. */
bool rx_text_has_any(const struct rx_text *t, const char *const *phrases);
/* The number of words of a normalised phrase. */
unsigned rx_norm_words(const char *norm);

/* What a caller's words say, by the lists of rx_phrases.h. yes / no as a caller says
 * them: "yeah that's right", "no, not really". */
bool rx_text_is_yes(const struct rx_text *t);
bool rx_text_is_no(const struct rx_text *t);
/* The words ask something ("what", "how", "do you", "are you", ...): "no wait, what's
 * the cancellation policy?" is a question, not a no; "are you open right now?" is not a
 * yes ("right"). */
bool rx_text_is_question(const struct rx_text *t);
/* The words ask a price ("how much", "cost", "fee", ...); not "how much notice do you
 * need?" nor "how much longer?". */
bool rx_text_asks_price(const struct rx_text *t);
/* The words end the call: "bye", "that's all", "have a good one", ... One list, so the
 * dispatcher and a task dropped with "forget it, bye" agree on what a goodbye is. */
bool rx_text_is_goodbye(const struct rx_text *t);

/* The digits of a phone number said in the utterance ("555 0123", "five five five oh
 * one two three", "+1 (201) 555-0143"), at most size-1 of them; returns how many (0 if
 * fewer than 7 were said). *has_plus when it began with '+'. */
size_t rx_text_digits(const char *text, char *digits, size_t size, bool *has_plus);
/* The caller's name in the words (rx_names.h: after a cue, before "here", for whom a
 * visit is, and with is_asked, we just asked for it, also a bare name). Written with
 * capitals into buf; false if none. */
bool rx_text_name(const struct rx_text *t, bool is_asked, char *buf, size_t size);

/* A reply under construction: appends never overflow; a text that does not fit is cut
 * at a word and is_truncated set. */
struct rx_say {
    char *buf;
    size_t size, len;
    bool is_truncated;
};

void rx_say_init(struct rx_say *s, char *buf, size_t size);
void rx_say_put(struct rx_say *s, const char *text);
void rx_say_putn(struct rx_say *s, const char *text, size_t n);
void rx_say_int(struct rx_say *s, long long v);
/* Appends tmpl with "@1".."@9" replaced by args[0..8] (NULL or missing: ""). */
void rx_say_fill(struct rx_say *s, const char *tmpl, const char *const *args, size_t nargs);
#define RX_FILL(s, tmpl, ...)                                                    \
    rx_say_fill((s), (tmpl), (const char *const[]){__VA_ARGS__},                \
                sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))
/* A name as it sits in a sentence: "Cleaning" -> "cleaning", "X-rays" unchanged. */
void rx_say_name(struct rx_say *s, const char *name);
/* Room left, in bytes. */
size_t rx_say_room(const struct rx_say *s);

/* FNV-1a of a reply, to remember what was said without keeping the text. */
unsigned rx_hash(const char *text);

#endif
