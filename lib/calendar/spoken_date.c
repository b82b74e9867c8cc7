/* lib/calendar/spoken_date.c: the date forms of an utterance ("tomorrow", "next tuesday",
 * "the 14th", "march 3rd", "3/14", "in two days", "next week", "christmas eve",
 * "saturdays"), each resolved against the business's local today. Readings of
 * ambiguous forms are in lib/calendar/spoken_time.h. */
#include "calendar/spoken_parse.h"

#include <string.h>
#include <strings.h>

static struct civil_date today_plus(const struct parse *p, int64_t days)
{
    return civil_date_from_days(p->today_days + days);
}

void spoken_date_found(struct parse *p, struct civil_date d, size_t first, size_t end)
{
    struct spoken_when *o = p->out;
    if (o->has_date && civil_date_compare(&o->date, &d) != 0)
        o->has_date_conflict = true;
    o->has_date = true;
    o->date = d;
    o->date_span = span_of(p, first, end);
    o->has_alt_date = false;
    o->is_every = false;
    p->after_date = end;
}

static void found_range(struct parse *p, int64_t first_day, int64_t last_day, size_t first,
                        size_t end)
{
    struct spoken_when *o = p->out;
    o->has_range = true;
    o->is_every = false;
    o->range_first = today_plus(p, first_day);
    o->range_last = today_plus(p, last_day);
    o->range_span = span_of(p, first, end);
}


/* "14th", "fourteenth", "twenty first": *day 1-31; *is_word_form for words. */
static size_t read_ordinal_day(const struct parse *p, size_t i, int *day, bool *is_word_form)
{
    if (i < p->n && p->t[i].kind == SPOKEN_TOKEN_NUMBER && p->t[i].is_ordinal &&
        p->t[i].value >= 1 && p->t[i].value <= 31) {
        *day = p->t[i].value;
        *is_word_form = false;
        return 1;
    }
    *is_word_form = true;
    if (is_word(p, i, SW_ORDINAL)) {
        *day = p->t[i].value;
        return 1;
    }
    if (is_word(p, i, SW_NUMBER) && (p->t[i].value == 20 || p->t[i].value == 30) &&
        is_word(p, i + 1, SW_ORDINAL) && p->t[i + 1].value <= 9 &&
        p->t[i].value + p->t[i + 1].value <= 31) {
        *day = p->t[i].value + p->t[i + 1].value;
        return 2;
    }
    return 0;
}

/* ", 2027" or "2027" after a date: tokens read, *year or 0. */
static size_t read_year(const struct parse *p, size_t i, int *year)
{
    size_t j = i + is_punct(p, i, ',');
    *year = 0;
    if (!is_plain_number(p, j, 4) || p->t[j].ndigits != 4 || p->t[j].value < 1900 ||
        p->t[j].value > 2200)
        return 0;
    *year = p->t[j].value;
    return j + 1 - i;
}

/* A month and day that passed at most this many days ago is read as that past date:
 * "march 3rd" said on March 10th is a slip (or a caller who lost track of the date),
 * and next year's March 3rd is out of any booking window, so whoever reads the date
 * can say it has passed. Older ones roll over: "january 5th" said in December is next
 * month's. */
#define RECENT_PAST_DAYS 30

/* The date with this month and day that passed in the last RECENT_PAST_DAYS days, else
 * the next one from today, today included (year 0); or that year's. False if there is
 * none (February 30th). */
static bool resolve_month_day(const struct parse *p, int month, int day, int year,
                              struct civil_date *out)
{
    const struct civil_date *today = &p->now->date;
    if (year != 0) {
        *out = (struct civil_date){year, month, day};
        return civil_date_is_valid(out);
    }
    for (int y = today->year - 1; y <= today->year + 8; y++) {
        *out = (struct civil_date){y, month, day};
        if (!civil_date_is_valid(out))
            continue;
        int64_t ahead = civil_days_from_date(out) - p->today_days;
        if (ahead >= -RECENT_PAST_DAYS)
            return true;
    }
    return false;
}

/* The next day-th of a month from today, today included. */
static struct civil_date next_day_of_month(const struct parse *p, int day)
{
    struct civil_date d = p->now->date;
    for (int k = 0; k < 12; k++) {
        if (day <= civil_days_in_month(d.year, d.month) && (k > 0 || day >= p->now->date.day))
            break;
        d.month = d.month == 12 ? 1 : d.month + 1;
        d.year += d.month == 1;
    }
    d.day = day;
    return d;
}

/* today, tonight, tomorrow, yesterday, (the) day after tomorrow */
static size_t match_named_day(struct parse *p, size_t i)
{
    size_t j = i + is_word(p, i, SW_THE);
    if (is_word(p, j, SW_DAY) && is_word(p, j + 1, SW_AFTER) && is_word(p, j + 2, SW_TOMORROW)) {
        spoken_date_found(p, today_plus(p, 2), i, j + 3);
        return j + 3 - i;
    }
    int64_t days;
    if (is_word(p, i, SW_TODAY) || is_word(p, i, SW_TONIGHT))
        days = 0;
    else if (is_word(p, i, SW_TOMORROW))
        days = 1;
    else if (is_word(p, i, SW_YESTERDAY))
        days = -1;
    else
        return 0;
    spoken_date_found(p, today_plus(p, days), i, i + 1);
    if (is_word(p, i, SW_TONIGHT)) {
        p->out->part = SPOKEN_PART_EVENING;
        p->out->part_span = span_of(p, i, i + 1);
    }
    return 1;
}

enum weekday_modifier { MOD_BARE, MOD_THIS, MOD_NEXT, MOD_COMING, MOD_LAST };

/* [this|next|coming|this coming|last] <weekday> [next week|this week|after next] */
static bool is_text(const struct parse *p, size_t i, const char *word);

/* "(the) saturday after that": the first such weekday after the date said before it
 * ("i have the laser on saturday and i'd rather do the saturday after that"); 0 when
 * no date came before. j: the token after the weekday. */
static size_t match_weekday_after_that(struct parse *p, size_t i, size_t j, int target)
{
    if (!p->out->has_date || !is_word(p, j, SW_AFTER) || !is_text(p, j + 1, "that"))
        return 0;
    int64_t base = civil_days_from_date(&p->out->date);
    int base_weekday = (int)(((base - p->today_days) % 7 + 7 + p->weekday) % 7);
    int64_t ahead = (target - base_weekday + 7) % 7;
    spoken_date_found(p, civil_date_from_days(base + (ahead == 0 ? 7 : ahead)), i, j + 2);
    return j + 2 - i;
}

static size_t match_weekday(struct parse *p, size_t i)
{
    size_t j = i;
    enum weekday_modifier mod = MOD_BARE;
    if (is_word(p, j, SW_THIS) && is_word(p, j + 1, SW_COMING)) {
        mod = MOD_COMING;
        j += 2;
    } else if (is_word(p, j, SW_THIS) || is_word(p, j, SW_NEXT) || is_word(p, j, SW_COMING) ||
               is_word(p, j, SW_LAST)) {
        enum spoken_word w = p->t[j].word;
        mod = w == SW_THIS ? MOD_THIS : w == SW_NEXT ? MOD_NEXT : w == SW_COMING ? MOD_COMING : MOD_LAST;
        j++;
    }
    if (!is_word(p, j, SW_WEEKDAY))
        return 0;
    int target = p->t[j++].value;
    size_t after_that = mod == MOD_BARE ? match_weekday_after_that(p, i, j, target) : 0;
    if (after_that != 0)
        return after_that;
    int target_index = (target + 6) % 7;                    /* Monday = 0 */
    int64_t ahead = (target - p->weekday + 7) % 7, alt_ahead = 0;
    bool has_alt = false;
    if (is_word(p, j, SW_NEXT) && is_word(p, j + 1, SW_WEEK)) {
        ahead = 7 - p->monday_index + target_index;
        j += 2;
    } else if (is_word(p, j, SW_THIS) && is_word(p, j + 1, SW_WEEK)) {
        ahead = target_index - p->monday_index;
        j += 2;
    } else if (is_word(p, j, SW_AFTER) && is_word(p, j + 1, SW_NEXT)) {
        ahead = (ahead == 0 ? 7 : ahead) + 7;
        j += 2;
    } else if (mod == MOD_BARE && ahead == 0) {
        ahead = 7;
        has_alt = true;                                     /* alt_ahead 0: today */
    } else if (mod == MOD_NEXT || mod == MOD_COMING) {
        ahead = ahead == 0 ? 7 : ahead;
        if (mod == MOD_NEXT && p->monday_index + ahead <= 6) {
            /* "next Wednesday" said on a Tuesday: a day or two off, this week's would be
             * "tomorrow" or "Thursday"; "next" then means the week after. Further off
             * ("next Sunday" on a Tuesday) it is the coming one. Either way the other is
             * the alternative. */
            has_alt = true;
            alt_ahead = ahead + 7;
            if (ahead <= 2) {
                alt_ahead = ahead;
                ahead += 7;
            }
        }
    } else if (mod == MOD_LAST) {
        ahead = ahead == 0 ? -7 : ahead - 7;
    }
    spoken_date_found(p, today_plus(p, ahead), i, j);
    if (has_alt) {
        p->out->has_alt_date = true;
        p->out->alt_date = today_plus(p, alt_ahead);
    }
    return j - i;
}

/* this/next week, (this|next|the) weekend, this/next month */
static size_t match_range(struct parse *p, size_t i)
{
    bool is_next = is_word(p, i, SW_NEXT), is_this = is_word(p, i, SW_THIS);
    size_t j = i + (is_next || is_this || is_word(p, i, SW_THE));
    int mi = p->monday_index;
    if (is_word(p, j, SW_WEEK) && (is_next || is_this)) {
        if (is_next)
            found_range(p, 7 - mi, 13 - mi, i, j + 1);
        else
            found_range(p, 0, 6 - mi, i, j + 1);
        return j + 1 - i;
    }
    if (is_word(p, j, SW_WEEKEND)) {
        if (is_next)
            found_range(p, 12 - mi, 13 - mi, i, j + 1);
        else if (mi == 6)
            found_range(p, 0, 0, i, j + 1);                 /* said on a Sunday */
        else
            found_range(p, 5 - mi, 6 - mi, i, j + 1);
        return j + 1 - i;
    }
    if (is_word(p, j, SW_MONTH_UNIT) && (is_next || is_this)) {
        struct civil_date first = p->now->date;
        if (is_next) {
            first.month = first.month == 12 ? 1 : first.month + 1;
            first.year += first.month == 1;
            first.day = 1;
        }
        int64_t first_days = civil_days_from_date(&first);
        int64_t last_days = first_days + civil_days_in_month(first.year, first.month) - first.day;
        found_range(p, first_days - p->today_days, last_days - p->today_days, i, j + 1);
        return j + 1 - i;
    }
    return 0;
}

/* A count: "3", "a", "two", "twenty five". */
static size_t read_count(const struct parse *p, size_t i, int *count)
{
    if (is_plain_number(p, i, 4)) {
        *count = p->t[i].value;
        return 1;
    }
    if (is_word(p, i, SW_A)) {
        *count = 1;
        return 1;
    }
    return read_number_words(p, i, count);
}

/* "from now", "from today" (*base_days 0), "from tomorrow" (1): tokens read, or 0. */
static size_t read_from_base(const struct parse *p, size_t i, int64_t *base_days)
{
    if (!is_word(p, i, SW_FROM))
        return 0;
    if (is_word(p, i + 1, SW_WEEKDAY)) {     /* "a week from friday": from the next one */
        *base_days = (p->t[i + 1].value - p->weekday + 7) % 7;
        return 2;
    }
    *base_days = is_word(p, i + 1, SW_TOMORROW);
    return is_word(p, i + 1, SW_NOW) || is_word(p, i + 1, SW_TODAY) || *base_days == 1 ? 2 : 0;
}

/* in N days/weeks/hours/minutes, in half an hour, N days from now/today/tomorrow,
 * in N weeks from today, a week from friday: the base is read with the count ("in a week
 * from today" is one date, not a week ahead and then today) */
static size_t match_relative(struct parse *p, size_t i)
{
    bool has_in = is_word(p, i, SW_IN);
    size_t j = i + has_in;
    int count = 0;
    int64_t minutes = 0;
    if (has_in && is_word(p, j, SW_HALF) && is_word(p, j + 1, SW_A) && is_word(p, j + 2, SW_HOUR_UNIT)) {
        minutes = 30;
        j += 3;
    } else {
        size_t k = read_count(p, j, &count);
        if (k == 0 || count > 1000)
            return 0;
        j += k;
        enum spoken_word unit = j < p->n && p->t[j].kind == SPOKEN_TOKEN_WORD ? p->t[j].word : SW_UNKNOWN;
        if (unit != SW_DAY && unit != SW_WEEK && unit != SW_HOUR_UNIT && unit != SW_MINUTE_UNIT)
            return 0;
        j++;
        int64_t base_days = 0;
        size_t from = read_from_base(p, j, &base_days);
        bool is_day_unit = unit == SW_DAY || unit == SW_WEEK;
        if (from != 0 && (is_day_unit || base_days == 0))
            j += from;                  /* not "in 2 hours from tomorrow" */
        else if (!has_in)
            return 0;
        else
            base_days = 0;
        if (is_day_unit) {
            int64_t days = (int64_t)count * (unit == SW_WEEK ? 7 : 1);
            spoken_date_found(p, today_plus(p, base_days + days), i, j);
            return j - i;
        }
        minutes = (int64_t)count * (unit == SW_HOUR_UNIT ? 60 : 1);
    }
    struct civil_time then = civil_time_from_seconds(civil_time_to_seconds(p->now) + minutes * 60);
    struct spoken_when *o = p->out;
    spoken_date_found(p, then.date, i, j);
    o->has_time = true;
    o->minute = then.minute;
    o->time_span = span_of(p, i, j);
    p->raw_hour = then.hour;
    p->meridiem = 0;
    p->is_exact_hour = true;
    return j - i;
}

/* The word at i joins a date to what follows ("the first, please", "the first for a
 * cleaning") rather than making it a noun's ordinal. */
static bool is_joining_word(const struct parse *p, size_t i)
{
    static const char *const words[] = {"please", "for", "if", "or", "and", "then", "would", "works",
                                        "is", "that", "okay", "ok", NULL};
    size_t n = p->t[i].end - p->t[i].start;
    for (size_t k = 0; words[k] != NULL; k++)
        if (strlen(words[k]) == n && strncasecmp(p->text + p->t[i].start, words[k], n) == 0)
            return true;
    return false;
}

/* (the) 14th, the fourteenth, (the) 3rd (of) march (2027), 3 march */
static size_t match_day_of_month(struct parse *p, size_t i)
{
    bool has_the = is_word(p, i, SW_THE);
    size_t j = i + has_the;
    int day = 0, year = 0;
    bool is_word_form = false, is_plain = false;
    size_t k = read_ordinal_day(p, j, &day, &is_word_form);
    if (k == 0 && is_plain_number(p, j, 2) && p->t[j].value >= 1 && p->t[j].value <= 31) {
        k = 1;
        day = p->t[j].value;
        is_plain = true;
    }
    if (k == 0)
        return 0;
    size_t m = j + k;
    bool has_of = is_word(p, m, SW_OF);
    size_t month_at = m + has_of;
    if (is_word(p, month_at, SW_MONTH) && (has_of || !p->t[month_at].is_weak)) {
        size_t end = month_at + 1;
        end += read_year(p, end, &year);
        struct civil_date d;
        if (resolve_month_day(p, p->t[month_at].value, day, year, &d))
            spoken_date_found(p, d, i, end);
        return end - i;
    }
    if (is_plain || (is_word_form && !has_the))
        return 0;                       /* "3 people", "first I'd like" */
    /* "the first visit", "the second one", "the third time": a noun follows the first few
     * ordinals, where "the twentieth for a nail trim" is still a date */
    if (is_word_form && day <= 3 && m < p->n && p->t[m].kind == SPOKEN_TOKEN_WORD && p->t[m].word == SW_UNKNOWN &&
        !is_joining_word(p, m))
        return 0;
    spoken_date_found(p, next_day_of_month(p, day), i, m);
    return m - i;
}

/* march 3rd, march the third, march 3, march 3rd 2027 */
static size_t match_month_day(struct parse *p, size_t i)
{
    if (!is_word(p, i, SW_MONTH))
        return 0;
    size_t j = i + 1 + is_punct(p, i + 1, '.');              /* "sept. 9th" */
    j += is_word(p, j, SW_THE);
    int day = 0, year = 0;
    bool is_word_form;
    size_t k = read_ordinal_day(p, j, &day, &is_word_form);
    if (k == 0 && is_plain_number(p, j, 2)) {
        k = 1;
        day = p->t[j].value;
    }
    if (k == 0 || day < 1 || day > 31)
        return 0;
    size_t end = j + k;
    end += read_year(p, end, &year);
    struct civil_date d;
    if (resolve_month_day(p, p->t[i].value, day, year, &d))
        spoken_date_found(p, d, i, end);
    return end - i;
}

/* Token i is this word: letters compared without case, apostrophes skipped on both
 * sides ("Year's", "years" and "year's" all match "year's"). */
static bool is_text(const struct parse *p, size_t i, const char *word)
{
    if (i >= p->n || p->t[i].kind != SPOKEN_TOKEN_WORD)
        return false;
    const char *c = p->text + p->t[i].start, *end = p->text + p->t[i].end;
    for (;;) {
        while (c < end && *c == '\'')
            c++;
        while (*word == '\'')
            word++;
        if (c == end || *word == '\0')
            return c == end && *word == '\0';
        char ch = *c >= 'A' && *c <= 'Z' ? (char)(*c - 'A' + 'a') : *c;
        if (ch != *word)
            return false;
        c++;
        word++;
    }
}

/* A US holiday callers name, on a fixed month and day, or on the nth weekday (0 =
 * Sunday) of its month, nth -1 for the last. */
struct holiday {
    const char *words[3];
    int month, day;             /* day 0: by weekday */
    int weekday, nth;
};

/* Longer phrases first: "new year's eve" before "new year's". A "day" after a name
 * that does not need it is read with it ("christmas day"). */
static const struct holiday holidays[] = {
    {{"new", "year's", "eve"}, 12, 31, 0, 0},
    {{"new", "year's"}, 1, 1, 0, 0},
    {{"christmas", "eve"}, 12, 24, 0, 0},
    {{"christmas"}, 12, 25, 0, 0},
    {{"xmas", "eve"}, 12, 24, 0, 0},
    {{"xmas"}, 12, 25, 0, 0},
    {{"thanksgiving"}, 11, 0, 4, 4},
    {{"independence", "day"}, 7, 4, 0, 0},
    {{"memorial", "day"}, 5, 0, 1, -1},
    {{"labor", "day"}, 9, 0, 1, 1},
    {{"labour", "day"}, 9, 0, 1, 1},
    {{"valentine's"}, 2, 14, 0, 0},
    {{"halloween"}, 10, 31, 0, 0},
};

/* The holiday's date in year y. */
static struct civil_date holiday_in(const struct holiday *h, int y)
{
    struct civil_date d = {y, h->month, h->day};
    if (h->day != 0)
        return d;
    if (h->nth > 0) {
        d.day = 1;
        int first = civil_weekday_from_days(civil_days_from_date(&d));
        d.day = 1 + (h->weekday - first + 7) % 7 + 7 * (h->nth - 1);
    } else {
        d.day = civil_days_in_month(y, h->month);
        int last = civil_weekday_from_days(civil_days_from_date(&d));
        d.day -= (last - h->weekday + 7) % 7;
    }
    return d;
}

/* christmas (day), new year's eve, thanksgiving, ...: the next one from today, today
 * included. "the fourth of july" is read as a date. */
static size_t match_holiday(struct parse *p, size_t i)
{
    if (!is_word(p, i, SW_UNKNOWN))
        return 0;
    for (size_t h = 0; h < sizeof holidays / sizeof holidays[0]; h++) {
        const struct holiday *hd = &holidays[h];
        size_t k = 0;
        while (k < 3 && hd->words[k] != NULL && is_text(p, i + k, hd->words[k]))
            k++;
        if (k == 0 || (k < 3 && hd->words[k] != NULL))
            continue;
        size_t end = i + k + (is_word(p, i + k, SW_DAY) && !is_word(p, i + k - 1, SW_DAY));
        struct civil_date d = holiday_in(hd, p->now->date.year);
        if (civil_date_compare(&d, &p->now->date) < 0)
            d = holiday_in(hd, p->now->date.year + 1);
        spoken_date_found(p, d, i, end);
        return end - i;
    }
    return 0;
}

/* "saturdays", "weekends": a weekday or the weekend in general. The next one from
 * today, today included, stands for it, with is_every set. */
static size_t match_every(struct parse *p, size_t i)
{
    static const char *const plurals[7] = {"sundays", "mondays", "tuesdays", "wednesdays",
                                           "thursdays", "fridays", "saturdays"};
    if (!is_word(p, i, SW_UNKNOWN))
        return 0;
    if (is_text(p, i, "weekends")) {
        int first = (12 - p->monday_index) % 7;             /* Saturday, today included */
        found_range(p, first, first + 1, i, i + 1);
        p->out->is_every = true;
        return 1;
    }
    for (int d = 0; d < 7; d++) {
        if (is_text(p, i, plurals[d])) {
            spoken_date_found(p, today_plus(p, (d - p->weekday + 7) % 7), i, i + 1);
            p->out->is_every = true;
            return 1;
        }
    }
    return 0;
}

/* 3/14, 3/14/2027, 3/14/27 (US month/day; 14/3 read as day/month) */
static size_t match_numeric_date(struct parse *p, size_t i)
{
    if (!is_plain_number(p, i, 2) || !is_punct(p, i + 1, '/') || !is_plain_number(p, i + 2, 2))
        return 0;
    int month = p->t[i].value, day = p->t[i + 2].value, year = 0;
    size_t end = i + 3;
    if (is_punct(p, end, '/') && is_plain_number(p, end + 1, 4) &&
        (p->t[end + 1].ndigits == 2 || p->t[end + 1].ndigits == 4)) {
        year = p->t[end + 1].value + (p->t[end + 1].ndigits == 2 ? 2000 : 0);
        end += 2;
    }
    if (month > 12 && day <= 12) {
        int swap = month;
        month = day;
        day = swap;
    }
    struct civil_date d;
    if (month >= 1 && month <= 12 && day >= 1 && (year == 0 || (year >= 1900 && year <= 2200)) &&
        resolve_month_day(p, month, day, year, &d))
        spoken_date_found(p, d, i, end);
    return end - i;
}

size_t spoken_date_match(struct parse *p, size_t i)
{
    size_t k;
    if ((k = match_named_day(p, i)) != 0 || (k = match_weekday(p, i)) != 0 ||
        (k = match_range(p, i)) != 0 || (k = match_relative(p, i)) != 0 ||
        (k = match_numeric_date(p, i)) != 0 || (k = match_day_of_month(p, i)) != 0 ||
        (k = match_holiday(p, i)) != 0 || (k = match_every(p, i)) != 0)
        return k;
    return match_month_day(p, i);
}
