/* lib/sms/sms_keywords.c: a text's words, lower-cased, split on anything that is not a
 * letter; the first must be a keyword and the rest courtesy words. Texts are short:
 * only the first 16 words are looked at (a longer text is never a keyword). */
#include "sms/sms_keywords.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define WORDS_MAX 16
#define WORD_MAX 24

struct keyword_word {
    const char *word;
    enum sms_keyword keyword;
};

static const struct keyword_word keywords[] = {
    {"stop", SMS_KEYWORD_STOP},       {"stopall", SMS_KEYWORD_STOP}, {"unsubscribe", SMS_KEYWORD_STOP},
    {"cancel", SMS_KEYWORD_STOP},     {"end", SMS_KEYWORD_STOP},     {"quit", SMS_KEYWORD_STOP},
    {"start", SMS_KEYWORD_START},     {"unstop", SMS_KEYWORD_START}, {"yes", SMS_KEYWORD_START},
    {"help", SMS_KEYWORD_HELP},       {"info", SMS_KEYWORD_HELP},
};

/* What may follow a keyword without making the text a sentence: "stop please",
 * "STOP ALL", "quit now", "stop it", "stop thanks". */
static const char *const courtesies[] = {"please", "pls", "plz", "all", "now", "thanks", "thank",
                                         "you", "thx", "it"};

static bool is_courtesy(const char *w)
{
    for (size_t i = 0; i < sizeof courtesies / sizeof courtesies[0]; i++)
        if (strcmp(w, courtesies[i]) == 0)
            return true;
    return false;
}

/* Splits text into at most WORDS_MAX lower-case words; -1 when there are more, or a
 * word too long to be one of ours. */
static int split_words(const char *text, char words[WORDS_MAX][WORD_MAX])
{
    int n = 0;
    size_t len = 0;
    for (const unsigned char *p = (const unsigned char *)text;; p++) {
        if (*p != '\0' && isalpha(*p) && *p < 0x80) {
            if (len + 1 >= WORD_MAX)
                return -1;
            if (len == 0 && n == WORDS_MAX)
                return -1;
            words[n][len++] = (char)tolower(*p);
            continue;
        }
        if (len > 0) {
            words[n++][len] = '\0';
            len = 0;
        }
        if (*p == '\0')
            return n;
        if (*p >= 0x80 || isdigit(*p))   /* digits or non-ASCII: a sentence, not a keyword */
            return -1;
    }
}

enum sms_keyword sms_keyword_of(const char *text, char *word, size_t size)
{
    if (word != NULL && size > 0)
        word[0] = '\0';
    if (text == NULL)
        return SMS_KEYWORD_NONE;
    char words[WORDS_MAX][WORD_MAX];
    int n = split_words(text, words);
    if (n <= 0)
        return SMS_KEYWORD_NONE;
    enum sms_keyword found = SMS_KEYWORD_NONE;
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (strcmp(words[0], keywords[i].word) == 0)
            found = keywords[i].keyword;
    for (int i = 1; i < n && found != SMS_KEYWORD_NONE; i++)
        if (!is_courtesy(words[i]))
            found = SMS_KEYWORD_NONE;
    if (found != SMS_KEYWORD_NONE && word != NULL && size > 0) {
        size_t j = 0;
        for (; words[0][j] != '\0' && j + 1 < size; j++)
            word[j] = (char)toupper((unsigned char)words[0][j]);
        word[j] = '\0';
    }
    return found;
}

const char *sms_keyword_name(enum sms_keyword k)
{
    switch (k) {
    case SMS_KEYWORD_STOP:
        return "stop";
    case SMS_KEYWORD_START:
        return "start";
    case SMS_KEYWORD_HELP:
        return "help";
    case SMS_KEYWORD_NONE:
        break;
    }
    return "none";
}
