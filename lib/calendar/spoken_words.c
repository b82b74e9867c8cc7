/* lib/calendar/spoken_words.c: a single pass over the bytes. Words are looked up by binary
 * search in a table sorted by strcmp (about 150 entries, 8 comparisons a word). */
#include "calendar/spoken_words.h"

#include <string.h>

#define WORD_LEN_MAX 15         /* longer words are not in the table */

struct word_entry {
    const char *text;
    enum spoken_word word;
    int value;
    bool is_weak;
};

/* Sorted by strcmp: keep it so when adding a word. */
static const struct word_entry words[] = {
    {"a", SW_A, 0, false},
    {"about", SW_AROUND, 0, false},
    {"after", SW_AFTER, 0, false},
    {"afternoon", SW_PART, 2, false},
    {"afternoons", SW_PART, 2, false},
    {"am", SW_AM, 0, false},
    {"an", SW_A, 0, false},
    {"approximately", SW_AROUND, 0, false},
    {"apr", SW_MONTH, 4, false},
    {"april", SW_MONTH, 4, false},
    {"around", SW_AROUND, 0, false},
    {"at", SW_AT, 0, false},
    {"aug", SW_MONTH, 8, false},
    {"august", SW_MONTH, 8, false},
    {"before", SW_BEFORE, 0, false},
    {"by", SW_BY, 0, false},
    {"clock", SW_CLOCK, 0, false},
    {"coming", SW_COMING, 0, false},
    {"day", SW_DAY, 0, false},
    {"days", SW_DAY, 0, false},
    {"dec", SW_MONTH, 12, false},
    {"december", SW_MONTH, 12, false},
    {"eight", SW_NUMBER, 8, false},
    {"eighteen", SW_NUMBER, 18, false},
    {"eighteenth", SW_ORDINAL, 18, false},
    {"eighth", SW_ORDINAL, 8, false},
    {"eleven", SW_NUMBER, 11, false},
    {"eleventh", SW_ORDINAL, 11, false},
    {"evening", SW_PART, 3, false},
    {"evenings", SW_PART, 3, false},
    {"feb", SW_MONTH, 2, false},
    {"february", SW_MONTH, 2, false},
    {"fifteen", SW_NUMBER, 15, false},
    {"fifteenth", SW_ORDINAL, 15, false},
    {"fifth", SW_ORDINAL, 5, false},
    {"fifty", SW_NUMBER, 50, false},
    {"first", SW_ORDINAL, 1, false},
    {"five", SW_NUMBER, 5, false},
    {"forty", SW_NUMBER, 40, false},
    {"four", SW_NUMBER, 4, false},
    {"fourteen", SW_NUMBER, 14, false},
    {"fourteenth", SW_ORDINAL, 14, false},
    {"fourth", SW_ORDINAL, 4, false},
    {"fourty", SW_NUMBER, 40, false},
    {"friday", SW_WEEKDAY, 5, false},
    {"from", SW_FROM, 0, false},
    {"good", SW_GOOD, 0, false},
    {"half", SW_HALF, 0, false},
    {"hour", SW_HOUR_UNIT, 0, false},
    {"hours", SW_HOUR_UNIT, 0, false},
    {"hr", SW_HOUR_UNIT, 0, false},
    {"hrs", SW_HOUR_UNIT, 0, false},
    {"in", SW_IN, 0, false},
    {"ish", SW_ISH, 0, false},
    {"jan", SW_MONTH, 1, false},
    {"january", SW_MONTH, 1, false},
    {"july", SW_MONTH, 7, false},
    {"june", SW_MONTH, 6, false},
    {"last", SW_LAST, 0, false},
    {"like", SW_LIKE, 0, false},
    {"march", SW_MONTH, 3, false},
    {"may", SW_MONTH, 5, true},
    {"midday", SW_NOON, 0, false},
    {"midnight", SW_MIDNIGHT, 0, false},
    {"min", SW_MINUTE_UNIT, 0, false},
    {"mins", SW_MINUTE_UNIT, 0, false},
    {"minute", SW_MINUTE_UNIT, 0, false},
    {"minutes", SW_MINUTE_UNIT, 0, false},
    {"monday", SW_WEEKDAY, 1, false},
    {"month", SW_MONTH_UNIT, 0, false},
    {"morning", SW_PART, 1, false},
    {"mornings", SW_PART, 1, false},
    {"nd", SW_SUFFIX, 0, false},
    {"next", SW_NEXT, 0, false},
    {"night", SW_PART, 4, false},
    {"nights", SW_PART, 4, false},
    {"nine", SW_NUMBER, 9, false},
    {"nineteen", SW_NUMBER, 19, false},
    {"nineteenth", SW_ORDINAL, 19, false},
    {"ninth", SW_ORDINAL, 9, false},
    {"noon", SW_NOON, 0, false},
    {"nov", SW_MONTH, 11, false},
    {"november", SW_MONTH, 11, false},
    {"now", SW_NOW, 0, false},
    {"o", SW_OH, 0, false},
    {"o'clock", SW_OCLOCK, 0, false},
    {"oclock", SW_OCLOCK, 0, false},
    {"oct", SW_MONTH, 10, false},
    {"october", SW_MONTH, 10, false},
    {"of", SW_OF, 0, false},
    {"oh", SW_OH, 0, false},
    {"one", SW_NUMBER, 1, false},
    {"past", SW_PAST, 0, false},
    {"pm", SW_PM, 0, false},
    {"quarter", SW_QUARTER, 0, false},
    {"rd", SW_SUFFIX, 0, false},
    {"roughly", SW_AROUND, 0, false},
    {"round", SW_AROUND, 0, false},     /* "round three": "around" as transcribed */
    {"saturday", SW_WEEKDAY, 6, false},
    {"second", SW_ORDINAL, 2, false},
    {"sep", SW_MONTH, 9, false},
    {"sept", SW_MONTH, 9, false},
    {"september", SW_MONTH, 9, false},
    {"seven", SW_NUMBER, 7, false},
    {"seventeen", SW_NUMBER, 17, false},
    {"seventeenth", SW_ORDINAL, 17, false},
    {"seventh", SW_ORDINAL, 7, false},
    {"six", SW_NUMBER, 6, false},
    {"sixteen", SW_NUMBER, 16, false},
    {"sixteenth", SW_ORDINAL, 16, false},
    {"sixth", SW_ORDINAL, 6, false},
    {"st", SW_SUFFIX, 0, false},
    {"sunday", SW_WEEKDAY, 0, false},
    {"ten", SW_NUMBER, 10, false},
    {"tenth", SW_ORDINAL, 10, false},
    {"th", SW_SUFFIX, 0, false},
    {"the", SW_THE, 0, false},
    {"third", SW_ORDINAL, 3, false},
    {"thirteen", SW_NUMBER, 13, false},
    {"thirteenth", SW_ORDINAL, 13, false},
    {"thirtieth", SW_ORDINAL, 30, false},
    {"thirty", SW_NUMBER, 30, false},
    {"this", SW_THIS, 0, false},
    {"three", SW_NUMBER, 3, false},
    {"thur", SW_WEEKDAY, 4, false},
    {"thurs", SW_WEEKDAY, 4, false},
    {"thursday", SW_WEEKDAY, 4, false},
    {"til", SW_UNTIL, 0, false},
    {"till", SW_UNTIL, 0, false},
    {"tmrw", SW_TOMORROW, 0, false},
    {"to", SW_TO, 0, false},
    {"today", SW_TODAY, 0, false},
    {"tomorrow", SW_TOMORROW, 0, false},
    {"tomorrow's", SW_TOMORROW, 0, false},
    {"tonight", SW_TONIGHT, 0, false},
    {"tues", SW_WEEKDAY, 2, false},
    {"tuesday", SW_WEEKDAY, 2, false},
    {"twelfth", SW_ORDINAL, 12, false},
    {"twelve", SW_NUMBER, 12, false},
    {"twentieth", SW_ORDINAL, 20, false},
    {"twenty", SW_NUMBER, 20, false},
    {"two", SW_NUMBER, 2, false},
    {"until", SW_UNTIL, 0, false},
    {"wednesday", SW_WEEKDAY, 3, false},
    {"weds", SW_WEEKDAY, 3, false},
    {"week", SW_WEEK, 0, false},
    {"weekend", SW_WEEKEND, 0, false},
    {"weeks", SW_WEEK, 0, false},
    {"yesterday", SW_YESTERDAY, 0, false},
};

static const struct word_entry *lookup(const char *w)
{
    size_t lo = 0, hi = sizeof words / sizeof words[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(w, words[mid].text);
        if (cmp == 0)
            return &words[mid];
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static char lower(char ch)
{
    return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

static bool is_alpha(char ch)
{
    ch = lower(ch);
    return ch >= 'a' && ch <= 'z';
}

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* A word starting at text[i]: letters, and apostrophes between letters. */
static size_t scan_word(const char *text, size_t len, size_t i, char *buf, size_t *buf_len)
{
    size_t j = i, n = 0;
    while (j < len && (is_alpha(text[j]) ||
                       (text[j] == '\'' && j + 1 < len && is_alpha(text[j + 1]) && j > i))) {
        if (n < WORD_LEN_MAX)
            buf[n] = lower(text[j]);
        n++;
        j++;
    }
    if (n > WORD_LEN_MAX)
        n = WORD_LEN_MAX + 1;   /* too long for any entry */
    else
        buf[n] = '\0';
    *buf_len = n;
    return j;
}

/* "a.m." / "p.m." (also "a.m" and "am."): the end of the abbreviation, or i. */
static size_t scan_meridiem_dots(const char *text, size_t len, size_t i, enum spoken_word *w)
{
    char first = lower(text[i]);
    if ((first != 'a' && first != 'p') || i + 2 >= len || text[i + 1] != '.' ||
        lower(text[i + 2]) != 'm' || (i + 3 < len && is_alpha(text[i + 3])))
        return i;
    *w = first == 'a' ? SW_AM : SW_PM;
    size_t j = i + 3;
    return j < len && text[j] == '.' ? j + 1 : j;
}

/* "seven a m", as transcribers write letters said apart: after a number, the end of
 * the "a m" or "p m", or i. */
static size_t scan_meridiem_spaced(const char *text, size_t len, size_t i, const struct spoken_token *prev,
                                   enum spoken_word *w)
{
    char first = lower(text[i]);
    bool is_after_number = prev != NULL && (prev->kind == SPOKEN_TOKEN_NUMBER || prev->word == SW_NUMBER);
    if (!is_after_number || (first != 'a' && first != 'p') || i + 2 >= len || text[i + 1] != ' ' ||
        lower(text[i + 2]) != 'm' || (i + 3 < len && is_alpha(text[i + 3])) || (i > 0 && is_alpha(text[i - 1])))
        return i;
    *w = first == 'a' ? SW_AM : SW_PM;
    return i + 3;
}

static void add_word(struct spoken_token *tokens, size_t *n, size_t start, size_t end,
                     const char *buf, size_t buf_len)
{
    const struct word_entry *e = buf_len <= WORD_LEN_MAX ? lookup(buf) : NULL;
    if (e == NULL && buf_len > 2 && buf_len <= WORD_LEN_MAX && buf[buf_len - 2] == '\'' &&
        buf[buf_len - 1] == 's') {
        char stem[WORD_LEN_MAX + 1];                /* "tuesday's" */
        memcpy(stem, buf, buf_len - 2);
        stem[buf_len - 2] = '\0';
        e = lookup(stem);
    }
    struct spoken_token *prev = *n > 0 ? &tokens[*n - 1] : NULL;
    if (e != NULL && e->word == SW_SUFFIX && prev != NULL && prev->end == start &&
        prev->kind == SPOKEN_TOKEN_NUMBER) {
        prev->is_ordinal = true;                    /* "14th" */
        prev->end = end;
        return;
    }
    struct spoken_token *t = &tokens[(*n)++];
    memset(t, 0, sizeof *t);
    t->kind = SPOKEN_TOKEN_WORD;
    t->start = start;
    t->end = end;
    t->word = e ? e->word : SW_UNKNOWN;
    t->value = e ? e->value : 0;
    t->is_weak = e ? e->is_weak : false;
}

size_t spoken_words_split(const char *text, size_t len, struct spoken_token *tokens, size_t max)
{
    size_t n = 0, i = 0;
    while (i < len && n < max) {
        char ch = text[i];
        if (is_digit(ch)) {
            struct spoken_token *t = &tokens[n++];
            memset(t, 0, sizeof *t);
            t->kind = SPOKEN_TOKEN_NUMBER;
            t->start = i;
            for (; i < len && is_digit(text[i]); i++) {
                if (t->value < 1000000)
                    t->value = t->value * 10 + (text[i] - '0');
                t->ndigits++;
            }
            t->end = i;
        } else if (is_alpha(ch)) {
            enum spoken_word w = SW_UNKNOWN;
            size_t end = scan_meridiem_dots(text, len, i, &w);
            if (end == i)
                end = scan_meridiem_spaced(text, len, i, n > 0 ? &tokens[n - 1] : NULL, &w);
            if (end != i) {
                struct spoken_token *t = &tokens[n++];
                memset(t, 0, sizeof *t);
                t->kind = SPOKEN_TOKEN_WORD;
                t->start = i;
                t->end = end;
                t->word = w;
                i = end;
                continue;
            }
            char buf[WORD_LEN_MAX + 1];
            size_t buf_len;
            end = scan_word(text, len, i, buf, &buf_len);
            add_word(tokens, &n, i, end, buf, buf_len);
            i = end;
        } else if (ch == ':' || ch == '/' || ch == '.' || ch == ',' || ch == '?' || ch == '!' ||
                   ch == ';') {
            struct spoken_token *t = &tokens[n++];
            memset(t, 0, sizeof *t);
            t->kind = SPOKEN_TOKEN_PUNCT;
            t->start = i;
            t->end = i + 1;
            t->punct = ch;
            i++;
        } else {
            i++;
        }
    }
    return n;
}
