/* lib/receptionist/rx_search_question.h: a caller's question as rx_search.c reads it
 * (rx_search_question.c): words, stems and the callers' phrases said. Internal to the
 * search. */
#ifndef FD_RX_SEARCH_QUESTION_H
#define FD_RX_SEARCH_QUESTION_H
#include <stdbool.h>
#include <stddef.h>

#define RX_STEM_MAX 24
#define RX_QUERY_STEMS_MAX 32

/* The stems of a question's content words, each once, the first RX_QUERY_STEMS_MAX. */
struct rx_stems {
    char s[RX_QUERY_STEMS_MAX][RX_STEM_MAX];
    bool is_common[RX_QUERY_STEMS_MAX];     /* said only as a common word of speech ("take") */
    unsigned said[RX_QUERY_STEMS_MAX];      /* how many of the caller's words stand for it */
    size_t n;
};

/* The stem of a lowercase word of n letters into out; a word of a caller's question
 * when is_question (the callers' words of rx_search_words.c are mapped then). True if
 * a synonym gave it. */
bool rx_search_stem(const char *w, size_t n, bool is_question, char out[RX_STEM_MAX]);
/* True if the word (n letters) is too short or a word of any question ("what"). */
bool rx_search_is_stop(const char *w, size_t n);
/* The next word of *q, lowercase, without apostrophes, into w (RX_STEM_MAX + 8 bytes),
 * *q moved past it; its length, 0 at the end of the text. */
size_t rx_search_next_word(const unsigned char **q, char *w);
/* The stem of the next word of *p that is not a stop word into out, *p moved past it;
 * false at the end of the text. */
bool rx_search_next_stem(const char **p, bool is_question, char out[RX_STEM_MAX]);
/* The stems of question, with the stem each callers' phrase it says stands for,
 * counted as said twice ("can't make it": cancel). */
void rx_search_question_stems(const char *question, struct rx_stems *out);
/* True if question says rx_search_phrases[i]. */
bool rx_search_phrase_is_said(const char *question, size_t i);

#endif
