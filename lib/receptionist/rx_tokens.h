/* lib/receptionist/rx_tokens.h: a caller's words as tokens that keep what the normalised
 * text of rx_text.h drops: where each word stands in the text as transcribed, its
 * capital, and the punctuation before it (a clause or a sentence ends there). For the
 * readers that need them: names (rx_names.c) and corrections (rx_repair.c). */
#ifndef FD_RX_TOKENS_H
#define FD_RX_TOKENS_H
#include <stdbool.h>
#include <stddef.h>

#define RX_TOKENS_MAX 192
#define RX_TOKEN_MAX 32

struct rx_token {
    char low[RX_TOKEN_MAX];     /* lowercase, apostrophes dropped; cut at RX_TOKEN_MAX - 1 */
    size_t len;
    const char *raw;            /* borrowed: the word as transcribed */
    size_t raw_len;
    bool is_capital;            /* starts with a capital A-Z */
    bool is_sentence_start;     /* first of the text or after . ! ? */
    bool is_break_before;       /* punctuation between it and the word before */
    bool is_letters;            /* letters and apostrophes only */
};

struct rx_tokens {
    struct rx_token t[RX_TOKENS_MAX];
    size_t n;                   /* words past RX_TOKENS_MAX are not read */
};

/* The words of text (letters, digits, apostrophes, and bytes of other scripts). */
void rx_tokenise(const char *text, struct rx_tokens *out);

#endif
