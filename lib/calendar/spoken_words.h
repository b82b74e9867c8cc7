/* lib/calendar/spoken_words.h: an utterance cut into the tokens lib/calendar/spoken_time.c reads:
 * numbers ("3", "14th"), known words ("tuesday", "quarter", "o'clock", "a.m.") and the
 * punctuation that can join numbers (':', '/', '.', ','). Case is ignored; unknown
 * words become SW_UNKNOWN tokens so that a phrase broken by one is not joined up;
 * other bytes (spaces, '-', '?', UTF-8) only separate. No allocation. */
#ifndef FD_SPOKEN_WORDS_H
#define FD_SPOKEN_WORDS_H
#include <stdbool.h>
#include <stddef.h>

#define SPOKEN_WORDS_MAX 256    /* tokens kept; an utterance with more is cut short */

enum spoken_word {
    SW_UNKNOWN, SW_NUMBER, SW_ORDINAL, SW_OH, SW_WEEKDAY, SW_MONTH, SW_PART,
    SW_TODAY, SW_TONIGHT, SW_TOMORROW, SW_YESTERDAY, SW_DAY, SW_WEEK, SW_WEEKEND,
    SW_MONTH_UNIT, SW_HOUR_UNIT, SW_MINUTE_UNIT, SW_AFTER, SW_NEXT, SW_THIS, SW_COMING,
    SW_LAST, SW_THE, SW_OF, SW_AT, SW_IN, SW_AROUND, SW_ISH, SW_BY, SW_BEFORE, SW_UNTIL,
    SW_FROM, SW_NOW, SW_NOON, SW_MIDNIGHT, SW_HALF, SW_QUARTER, SW_PAST, SW_TO,
    SW_OCLOCK, SW_CLOCK, SW_AM, SW_PM, SW_A, SW_GOOD, SW_LIKE, SW_SUFFIX,
};

enum spoken_token_kind {
    SPOKEN_TOKEN_WORD,
    SPOKEN_TOKEN_NUMBER,
    SPOKEN_TOKEN_PUNCT,
};

struct spoken_token {
    enum spoken_token_kind kind;
    size_t start, end;          /* bytes of the utterance */
    enum spoken_word word;      /* WORD */
    int value;                  /* WORD: number, ordinal, weekday (0 = Sunday), month,
                                   part; NUMBER: its value (capped at 1,000,000) */
    bool is_weak;               /* WORD "may": a month only in "may 3rd", "3rd of may" */
    bool is_ordinal;            /* NUMBER written "14th" */
    int ndigits;                /* NUMBER: digits as written ("08": 2) */
    char punct;                 /* PUNCT */
};

/* Cuts the first len bytes of text into at most max tokens; returns how many. */
size_t spoken_words_split(const char *text, size_t len, struct spoken_token *tokens, size_t max);

#endif
