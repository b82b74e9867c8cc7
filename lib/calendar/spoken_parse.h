/* lib/calendar/spoken_parse.h: the scanner state shared by lib/calendar/spoken_time.c (times, parts of
 * the day, the scan itself) and lib/calendar/spoken_date.c (date forms). Internal: include it
 * from those two files only; the public interface is lib/calendar/spoken_time.h. */
#ifndef FD_SPOKEN_PARSE_H
#define FD_SPOKEN_PARSE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar/spoken_time.h"
#include "calendar/spoken_words.h"

struct parse {
    const char *text;           /* the utterance the tokens point into */
    const struct spoken_token *t;
    size_t n;
    const struct civil_time *now;
    int64_t today_days;
    int weekday;                /* of today, 0 = Sunday */
    int monday_index;           /* of today, 0 = Monday */
    unsigned flags;
    struct spoken_when *out;
    size_t after_date;          /* the token right after the last date, or SIZE_MAX */
    int raw_hour;               /* as said, before am/pm */
    char meridiem;              /* 'a', 'p' or 0 */
    bool is_exact_hour;         /* 24-hour form, noon, midnight, relative: no am/pm */
};

static inline bool is_word(const struct parse *p, size_t i, enum spoken_word w)
{
    return i < p->n && p->t[i].kind == SPOKEN_TOKEN_WORD && p->t[i].word == w;
}

static inline bool is_punct(const struct parse *p, size_t i, char ch)
{
    return i < p->n && p->t[i].kind == SPOKEN_TOKEN_PUNCT && p->t[i].punct == ch;
}

/* A number written without an ordinal suffix, of at most max_digits digits. */
static inline bool is_plain_number(const struct parse *p, size_t i, int max_digits)
{
    return i < p->n && p->t[i].kind == SPOKEN_TOKEN_NUMBER && !p->t[i].is_ordinal &&
           p->t[i].ndigits <= max_digits;
}

static inline struct spoken_span span_of(const struct parse *p, size_t first, size_t end)
{
    struct spoken_span s = {p->t[first].start, p->t[end - 1].end - p->t[first].start};
    return s;
}

/* "five", "twenty", "forty five": tokens read, *v 1-59. */
static inline size_t read_number_words(const struct parse *p, size_t i, int *v)
{
    if (!is_word(p, i, SW_NUMBER))
        return 0;
    int tens = p->t[i].value;
    if (tens >= 20 && tens % 10 == 0 && is_word(p, i + 1, SW_NUMBER) && p->t[i + 1].value <= 9) {
        *v = tens + p->t[i + 1].value;
        return 2;
    }
    *v = tens;
    return 1;
}

/* Records a date mention over tokens [first, end): the last one wins, a different
 * earlier one sets has_date_conflict. */
void spoken_date_found(struct parse *p, struct civil_date d, size_t first, size_t end);
/* A date form at token i (named day, weekday, range, relative, numeric, day of month,
 * month and day): the tokens it covers, or 0. */
size_t spoken_date_match(struct parse *p, size_t i);

#endif
