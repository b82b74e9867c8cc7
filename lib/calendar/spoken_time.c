/* lib/calendar/spoken_time.c: a left-to-right scan over the tokens of lib/calendar/spoken_words.c. At
 * each token it tries the date forms, then the time forms, then a part of the day; a
 * form that fits records a mention and the scan skips past it, anything else skips one
 * token. So the cost is linear in the utterance and no input can loop. The hour's
 * am/pm is settled once at the end, when every part of the day has been seen ("at 3
 * ... in the afternoon"). Readings of ambiguous phrases are documented in the header. */
#include "calendar/spoken_time.h"

#include <string.h>

#include "calendar/spoken_parse.h"

struct clock_read {
    int hour, minute;
    char meridiem;
    bool is_exact;
};

/* An hour as said: "3", "15", "08", "three". *is_24h for forms that cannot be am/pm. */
static size_t read_hour(const struct parse *p, size_t i, int *hour, bool *is_24h)
{
    int v;
    if (is_plain_number(p, i, 2) && p->t[i].value <= 23) {
        *hour = p->t[i].value;
        *is_24h = *hour == 0 || *hour >= 13 || (p->t[i].ndigits == 2 && *hour < 10);
        return 1;
    }
    if (read_number_words(p, i, &v) == 1 && v >= 1 && v <= 12) {
        *hour = v;
        *is_24h = false;
        return 1;
    }
    return 0;
}

/* The minutes after a spoken hour: "thirty", "forty five", "oh five". */
static size_t read_minute_words(const struct parse *p, size_t i, int *minute)
{
    int v;
    if (is_word(p, i, SW_OH) && is_word(p, i + 1, SW_NUMBER) && p->t[i + 1].value <= 9) {
        *minute = p->t[i + 1].value;
        return 2;
    }
    size_t k = read_number_words(p, i, &v);
    if (k == 0 || v < 10)
        return 0;
    *minute = v;
    return k;
}


static size_t read_meridiem(const struct parse *p, size_t i, char *meridiem)
{
    if (is_word(p, i, SW_AM) || is_word(p, i, SW_PM)) {
        *meridiem = p->t[i].word == SW_AM ? 'a' : 'p';
        return 1;
    }
    return 0;
}

/* half past two, (a) quarter to four, ten past three, 5 minutes to 6, half two */
static size_t read_past_to(const struct parse *p, size_t i, struct clock_read *c)
{
    size_t j = i + is_word(p, i, SW_A);
    int minutes = 0;
    bool is_half = false, is_to;
    if (is_word(p, j, SW_HALF)) {
        minutes = 30;
        is_half = true;
        j++;
    } else if (is_word(p, j, SW_QUARTER)) {
        minutes = 15;
        j++;
    } else if (j == i && is_plain_number(p, j, 2) && p->t[j].value >= 1 && p->t[j].value <= 59) {
        minutes = p->t[j++].value;
        j += is_word(p, j, SW_MINUTE_UNIT);
    } else if (j == i && read_number_words(p, j, &minutes) != 0) {
        j += read_number_words(p, j, &minutes);
        j += is_word(p, j, SW_MINUTE_UNIT);
    } else {
        return 0;
    }
    int hour = 0;
    bool is_24h = false;
    if (is_word(p, j, SW_PAST) || is_word(p, j, SW_AFTER)) {
        is_to = false;
    } else if (is_word(p, j, SW_TO) || is_word(p, j, SW_UNTIL) || is_word(p, j, SW_OF)) {
        is_to = true;
    } else if (is_half && j == i + 1) {
        size_t h = read_hour(p, j, &hour, &is_24h);         /* British "half two" */
        if (h == 0 || is_24h)
            return 0;
        c->hour = hour;
        c->minute = 30;
        return j + h - i;
    } else {
        return 0;
    }
    if (is_to && (is_half || minutes > 30))
        return 0;
    j++;
    size_t h = read_hour(p, j, &hour, &is_24h);
    if (h == 0 && (is_word(p, j, SW_NOON) || is_word(p, j, SW_MIDNIGHT))) {
        hour = p->t[j].word == SW_NOON ? 12 : 0;
        is_24h = true;
        h = 1;
    }
    if (h == 0)
        return 0;
    c->is_exact = is_24h;
    if (!is_to) {
        c->hour = hour;
        c->minute = minutes;
    } else {
        c->minute = 60 - minutes;
        c->hour = hour == 0 ? 23 : hour == 1 && !is_24h ? 12 : hour - 1;
    }
    return j + h - i;
}

/* The clock forms at i: noon, midnight, past/to, 3:30, three thirty, 8 o'clock, 3pm;
 * with allow_bare also a lone hour ("at 3") and "3 30". */
static size_t read_clock(const struct parse *p, size_t i, bool allow_bare, struct clock_read *c)
{
    size_t j = i;
    memset(c, 0, sizeof *c);
    if ((is_plain_number(p, j, 2) && p->t[j].value == 12) ||
        (is_word(p, j, SW_NUMBER) && p->t[j].value == 12))
        j += is_word(p, j + 1, SW_NOON) || is_word(p, j + 1, SW_MIDNIGHT);
    if (is_word(p, j, SW_NOON) || is_word(p, j, SW_MIDNIGHT)) {
        c->hour = p->t[j].word == SW_NOON ? 12 : 0;
        c->is_exact = true;
        return j + 1 - i;
    }
    size_t k = i > 0 && is_word(p, i - 1, SW_FROM) ? 0 : read_past_to(p, i, c);   /* "from 10 to 12" */
    if (k != 0)
        return k + read_meridiem(p, i + k, &c->meridiem);
    bool is_24h = false;
    size_t h = read_hour(p, i, &c->hour, &is_24h);
    if (h == 0)
        return 0;
    c->is_exact = is_24h;
    j = i + h;
    if ((is_punct(p, j, ':') || is_punct(p, j, '.')) && is_plain_number(p, j + 1, 2) &&
        p->t[j + 1].ndigits == 2 && p->t[j + 1].value <= 59 && p->t[i].kind == SPOKEN_TOKEN_NUMBER) {
        c->minute = p->t[j + 1].value;
        size_t m = read_meridiem(p, j + 2, &c->meridiem);
        if (is_punct(p, j, '.') && m == 0)
            return 0;                   /* "3.30" alone may be a price */
        return j + 2 + m - i;
    }
    if (p->t[i].kind == SPOKEN_TOKEN_WORD) {
        size_t m = read_minute_words(p, j, &c->minute);
        if (m != 0)
            return j + m + read_meridiem(p, j + m, &c->meridiem) - i;
    }
    bool has_oclock = false;
    if (is_word(p, j, SW_OCLOCK) || (is_word(p, j, SW_OH) && is_word(p, j + 1, SW_CLOCK))) {
        j += is_word(p, j, SW_OCLOCK) ? 1 : 2;
        has_oclock = true;
    }
    size_t m = read_meridiem(p, j, &c->meridiem);
    if (has_oclock || m != 0)
        return j + m - i;
    bool is_time_next = (is_word(p, j, SW_IN) && is_word(p, j + 1, SW_THE) && is_word(p, j + 2, SW_PART)) ||
                        ((is_word(p, j, SW_AT) || is_word(p, j, SW_THIS)) && is_word(p, j + 1, SW_PART)) ||
                        is_word(p, j, SW_TONIGHT) || is_word(p, j, SW_ISH);   /* "8 in the evening" */
    if (!allow_bare && !is_time_next)
        return 0;
    /* "the last one", "the second one", "this one": a pick among times offered, not
     * one o'clock (a cue, as in "at one", still reads the hour) */
    if (!is_time_next && is_word(p, i, SW_NUMBER) && p->t[i].value == 1 && i > 0 &&
        (is_word(p, i - 1, SW_LAST) || is_word(p, i - 1, SW_ORDINAL) || is_word(p, i - 1, SW_NEXT) ||
         is_word(p, i - 1, SW_THIS) || is_word(p, i - 1, SW_THE)))
        return 0;
    /* "the seven a m one", "the 10 o'clock one": the time said just before it */
    if (!is_time_next && is_word(p, i, SW_NUMBER) && p->t[i].value == 1 && i > 0 &&
        (is_word(p, i - 1, SW_AM) || is_word(p, i - 1, SW_PM) || is_word(p, i - 1, SW_OCLOCK)))
        return 0;
    if (p->t[i].kind == SPOKEN_TOKEN_NUMBER && is_plain_number(p, j, 2) &&
        p->t[j].ndigits == 2 && p->t[j].value <= 59) {
        c->minute = p->t[j].value;                          /* "at 3 30" */
        j++;
        return j + read_meridiem(p, j, &c->meridiem) - i;
    }
    if (is_word(p, j, SW_DAY) || is_word(p, j, SW_WEEK) || is_word(p, j, SW_HOUR_UNIT) ||
        is_word(p, j, SW_MINUTE_UNIT) || is_word(p, j, SW_MONTH_UNIT) || is_punct(p, j, '/'))
        return 0;
    return j - i;
}

static void found_time(struct parse *p, const struct clock_read *c, size_t first, size_t end,
                       bool is_approximate, enum spoken_bound bound)
{
    struct spoken_when *o = p->out;
    /* "six thirty, my husband can't get off work before six": a time said exactly stays
     * the time; a bound said after it gives the reason, not another time */
    if (o->has_time && o->bound == SPOKEN_BOUND_AT && bound != SPOKEN_BOUND_AT)
        return;
    if (o->has_time && (p->raw_hour % 12 != c->hour % 12 || o->minute != c->minute))
        o->has_time_conflict = true;
    o->has_time = true;
    o->minute = c->minute;
    o->is_approximate = is_approximate;
    o->bound = bound;
    o->time_span = span_of(p, first, end);
    p->raw_hour = c->hour;
    p->meridiem = c->meridiem;
    p->is_exact_hour = c->is_exact;
}

/* "tomorrow morning, like nine", "friday like ten thirty": "like" alone is a cue where
 * it follows a pause or the day itself, and the clock ends the clause; "I'd like two"
 * and "like 5 of us" stay no time. */
static bool is_like_cue(const struct parse *p, size_t i)
{
    if (!is_word(p, i, SW_LIKE) || i == 0)
        return false;
    bool is_after_day = is_punct(p, i - 1, ',') || is_word(p, i - 1, SW_PART) || is_word(p, i - 1, SW_WEEKDAY) ||
                        is_word(p, i - 1, SW_TOMORROW) || is_word(p, i - 1, SW_TODAY);
    struct clock_read c;
    size_t k = read_clock(p, i + 1, true, &c);
    size_t end = i + 1 + k;
    return is_after_day && k > 0 &&
           (end >= p->n || p->t[end].kind == SPOKEN_TOKEN_PUNCT || is_word(p, end, SW_ISH));
}

/* [at|around|about|by|before|after|until|from|like]* <clock> [ish] */
static size_t match_time(struct parse *p, size_t i)
{
    size_t j = i;
    bool has_cue = false, is_approximate = false;
    enum spoken_bound bound = SPOKEN_BOUND_AT;
    if (is_like_cue(p, i)) {
        j++;
        has_cue = true;
        is_approximate = true;
    }
    for (; j < p->n && j - i < 3; j++) {
        if (is_word(p, j, SW_AROUND) || (has_cue && is_word(p, j, SW_LIKE)))
            is_approximate = true;      /* "at like 4": a filler after a cue, never alone */
        else if (is_word(p, j, SW_BY) || is_word(p, j, SW_BEFORE) || is_word(p, j, SW_UNTIL))
            bound = SPOKEN_BOUND_BEFORE;
        else if (is_word(p, j, SW_AFTER) || is_word(p, j, SW_FROM))
            bound = SPOKEN_BOUND_AFTER;
        else if (!is_word(p, j, SW_AT))
            break;
        has_cue = true;
    }
    bool is_after_date = p->after_date == j && j < p->n && p->t[j].kind == SPOKEN_TOKEN_NUMBER;
    bool allow_bare = has_cue || (p->flags & SPOKEN_EXPECT_TIME) || is_after_date;
    struct clock_read c;
    size_t k = read_clock(p, j, allow_bare, &c);
    if (k == 0)
        return 0;
    size_t end = j + k;
    if (is_word(p, end, SW_ISH)) {
        is_approximate = true;
        end++;
    }
    found_time(p, &c, i, end, is_approximate, bound);
    return end - i;
}

/* (in the|this|at) morning/afternoon/evening/night; not "good morning", "last night" */
static size_t match_part(struct parse *p, size_t i)
{
    size_t j = i;
    bool is_this = false;
    if (is_word(p, j, SW_IN) && is_word(p, j + 1, SW_THE)) {
        j += 2;
    } else if (is_word(p, j, SW_THIS)) {
        is_this = true;
        j++;
    } else if (is_word(p, j, SW_AT)) {
        j++;
    }
    if (!is_word(p, j, SW_PART))
        return 0;
    if (j == i && i > 0 && (is_word(p, i - 1, SW_GOOD) || is_word(p, i - 1, SW_LAST)))
        return 0;
    p->out->part = (enum spoken_part)p->t[j].value;
    p->out->part_span = span_of(p, i, j + 1);
    if (is_this)
        spoken_date_found(p, p->now->date, i, j + 1);
    return j + 1 - i;
}

/* am/pm from what was said, else from the part of the day, else ambiguous. */
static void resolve_hour(struct parse *p)
{
    struct spoken_when *o = p->out;
    int h = p->raw_hour;
    o->hour = h;
    o->alt_hour = h;
    if (!o->has_time || p->is_exact_hour || h == 0 || h > 12)
        return;
    if (p->meridiem != 0) {
        o->hour = h % 12 + (p->meridiem == 'p' ? 12 : 0);
        return;
    }
    switch (o->part) {
    case SPOKEN_PART_MORNING:
        o->hour = h % 12;
        return;
    case SPOKEN_PART_AFTERNOON:
        o->hour = h % 12 + 12;
        return;
    case SPOKEN_PART_EVENING:
        o->hour = h == 12 ? 0 : h + 12;
        return;
    case SPOKEN_PART_NIGHT:
        o->hour = h == 12 ? 0 : h <= 4 ? h : h + 12;
        return;
    case SPOKEN_PART_NONE:
        break;
    }
    o->is_time_ambiguous = true;
    bool is_morning = h >= 7 && h <= 11;                    /* daytime: 7 am to 6 pm */
    o->hour = is_morning ? h : h % 12 + 12;
    o->alt_hour = is_morning ? h + 12 : h % 12;
}

bool spoken_time_parse(const char *text, size_t len, const struct civil_time *now,
                       unsigned flags, struct spoken_when *out)
{
    struct spoken_token tokens[SPOKEN_WORDS_MAX];
    memset(out, 0, sizeof *out);
    if (text == NULL || now == NULL || !civil_date_is_valid(&now->date) || now->date.year < 1 ||
        now->date.year > 9999 || now->hour < 0 || now->hour > 23 || now->minute < 0 ||
        now->minute > 59 || now->second < 0 || now->second > 59)
        return false;
    struct parse p = {0};
    p.text = text;
    p.t = tokens;
    p.n = spoken_words_split(text, len < SPOKEN_TIME_TEXT_MAX ? len : SPOKEN_TIME_TEXT_MAX,
                             tokens, SPOKEN_WORDS_MAX);
    p.now = now;
    p.today_days = civil_days_from_date(&now->date);
    p.weekday = civil_weekday_from_days(p.today_days);
    p.monday_index = (p.weekday + 6) % 7;
    p.flags = flags;
    p.out = out;
    p.after_date = SIZE_MAX;
    for (size_t i = 0; i < p.n;) {
        size_t k = spoken_date_match(&p, i);
        if (k == 0)
            k = match_time(&p, i);
        if (k == 0)
            k = match_part(&p, i);
        i += k != 0 ? k : 1;
    }
    resolve_hour(&p);
    return out->has_date || out->has_range || out->has_time || out->part != SPOKEN_PART_NONE;
}

void spoken_part_hours(enum spoken_part part, int *first_hour, int *end_hour)
{
    static const int hours[][2] = {{0, 24}, {5, 12}, {12, 17}, {17, 21}, {21, 24}};
    unsigned i = (unsigned)part < sizeof hours / sizeof hours[0] ? (unsigned)part : 0;
    *first_hour = hours[i][0];
    *end_hour = hours[i][1];
}
