/* lib/receptionist/rx_names.c: see rx_names.h. The words are read once into tokens
 * (rx_tokens.h) that keep their capitals as transcribed and the punctuation before them;
 * then every place a name can sit is tried, and the last name found wins. No allocation. */
#include "receptionist/rx_names.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "receptionist/rx_tokens.h"

#define NAME_WORDS_MAX 3

static int by_word(const char *word, size_t n, const char *listed)
{
    int c = strncmp(word, listed, n);
    if (c != 0)
        return c;
    return listed[n] == '\0' ? 0 : -1;
}

static bool is_listed(const char *const *list, size_t count, const char *word, size_t n)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = by_word(word, n, list[mid]);
        if (c == 0)
            return true;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}

bool rx_is_common_word(const char *word, size_t n)
{
    return is_listed(rx_common_words, rx_ncommon_words, word, n);
}

bool rx_is_given_name(const char *word, size_t n)
{
    return is_listed(rx_given_names, rx_ngiven_names, word, n);
}

static bool is(const struct rx_token *t, const char *word)
{
    return strcmp(t->low, word) == 0;
}

static bool is_one_of(const struct rx_token *t, const char *const *words)
{
    for (size_t k = 0; words[k] != NULL; k++)
        if (is(t, words[k]))
            return true;
    return false;
}

/* Could be a word of a name: two or more letters, and not a common word of speech. */
static bool is_name_word(const struct rx_token *t)
{
    return t->is_letters && t->len >= 2 && !rx_is_common_word(t->low, t->len);
}

/* The word is known for a name: a given name, or capitalised where a sentence does not
 * start. */
static bool is_known_name(const struct rx_token *t)
{
    return rx_is_given_name(t->low, t->len) || (t->is_capital && !t->is_sentence_start);
}

static const char *const calendar_words[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "today", "tomorrow", NULL};

/* A surname that is also a word ("Joe Cut", "Will Young"): capitalised as transcribed,
 * right after a name's first word. */
static bool is_capital_surname(const struct rx_token *t)
{
    return t->is_letters && t->len >= 2 && t->is_capital && !t->is_sentence_start &&
           !is_one_of(t, calendar_words);
}

/* Small words inside a family name, kept as said: "Maria de la Cruz", "Anna van der
 * Berg". Only between two name words; they do not count towards NAME_WORDS_MAX. */
static const char *const particles[] = {
    "de", "la", "del", "della", "van", "von", "der", "den", "da", "di", "du", "le", "dos",
    "das", "bin", "ibn", NULL};

static bool is_particle(const struct rx_token *t)
{
    return is_one_of(t, particles);
}

/* A middle initial: one capital letter followed by a period or not ("Robert J. Kline"). */
static bool is_initial(const struct rx_token *t)
{
    return t->is_letters && t->len == 1 && t->is_capital;
}

/* The initial at k ended with a period: the break before the next word is its own. */
static bool ends_with_period(const struct rx_token *t)
{
    return t->raw_len == 1 && t->raw[1] == '.';
}

/* The word at k was joined to the one before it by a hyphen: "Fernandez-Ruiz". */
static bool is_hyphen_joined(const struct rx_tokens *w, size_t k)
{
    return k > 0 && w->t[k].raw > w->t[k - 1].raw && w->t[k].raw[-1] == '-';
}

/* How many tokens of a name start at i, in one clause: up to NAME_WORDS_MAX name words,
 * with particles and middle initials between them. */
static size_t name_span(const struct rx_tokens *w, size_t i)
{
    size_t n = 0, words = 0;
    while (i + n < w->n && (words < NAME_WORDS_MAX || is_hyphen_joined(w, i + n))) {
        const struct rx_token *t = &w->t[i + n];
        bool is_joined = n == 0 || !t->is_break_before || is_hyphen_joined(w, i + n) ||
                         (is_initial(&w->t[i + n - 1]) && ends_with_period(&w->t[i + n - 1]));
        if (!is_joined)
            break;
        bool is_particle_here = n > 0 && is_particle(t);
        if (!is_particle_here && (is_name_word(t) || (n > 0 && is_capital_surname(t)))) {
            n++;
            words += !(n > 1 && is_hyphen_joined(w, i + n - 1));     /* "Fernandez-Ruiz" is one */
            continue;
        }
        /* particles or an initial, then a name word, all in the clause */
        size_t k = 0;
        if (n > 0 && is_initial(t))
            k = 1;
        else
            while (n > 0 && i + n + k < w->n && is_particle(&w->t[i + n + k]) &&
                   (k == 0 || !w->t[i + n + k].is_break_before))
                k++;
        bool is_before_name = k > 0 && i + n + k < w->n && is_name_word(&w->t[i + n + k]) &&
                              (!w->t[i + n + k].is_break_before ||
                               (k == 1 && is_initial(t) && ends_with_period(t)));
        if (is_before_name) {
            n += k;
        } else if (is_particle_here && is_name_word(t)) {
            n++, words++;       /* a family name that is one: "Thanh Le" */
        } else {
            break;
        }
    }
    return n;
}

/* The words at i match the phrase of lowercase words, one space apart; returns how many
 * words it has (0: no match). */
static size_t match(const struct rx_tokens *w, size_t i, const char *phrase)
{
    size_t n = 0;
    const char *p = phrase;
    while (*p != '\0') {
        const char *e = strchr(p, ' ');
        size_t len = e != NULL ? (size_t)(e - p) : strlen(p);
        if (i + n >= w->n || w->t[i + n].len != len || memcmp(w->t[i + n].low, p, len) != 0)
            return 0;
        n++;
        p += len;
        while (*p == ' ')
            p++;
    }
    return n;
}

static size_t match_any(const struct rx_tokens *w, size_t i, const char *const *phrases)
{
    for (size_t k = 0; phrases[k] != NULL; k++) {
        size_t n = match(w, i, phrases[k]);
        if (n > 0)
            return n;
    }
    return 0;
}

/* Cues that a name follows for sure. */
static const char *const sure_cues[] = {
    "my name is", "my names", "the name is", "the names", "name is", "names", "call me",
    "under the name", "last name is", "first name is", "put it under", "book it under",
    "name would be", "name will be", "name should be", "put me down as", "put me down under",
    "put it down under", NULL};
/* Cues after which a name is likely: the words must also look like one. */
static const char *const likely_cues[] = {
    "this is", "it is", "its", "i am", "im", "under",
    "reservation for", "booking for", "table for", "appointment for", NULL};
/* The person a visit is for: "for my daughter, Ruby Tran", after a possessive. */
static const char *const relations[] = {
    "daughter", "son", "wife", "husband", "mom", "mother", "dad", "father", "kid", "child",
    "boy", "girl", "partner", "friend", "grandma", "grandmother", "grandpa", "grandfather",
    "brother", "sister", "niece", "nephew", "boyfriend", "girlfriend", "fiance", "fiancee",
    "aunt", "uncle", "mum", "boss", "colleague", "roommate", NULL};
static const char *const possessives[] = {"my", "our", "his", "her", "their", NULL};
/* Words after a name that say it was one: "Gus Moreno here". */
static const char *const after_cues[] = {"here", "speaking", "calling", NULL};
/* Words that correct what was just said: "Jon, sorry, John". */
static const char *const repair_words[] = {"sorry", "mean", "no", "wait", "actually", "rather", NULL};
/* Words a caller greets with before giving a name: "Hi, Nina Park, ...". */
static const char *const greetings[] = {"hi", "hello", "hey", "morning", "afternoon", "evening", NULL};
/* Words a bare answer may start with before the name: "yeah, Tom Baker". */
static const char *const lead_words[] = {
    "yeah", "yes", "yep", "sure", "ok", "okay", "um", "uh", "oh", "so", "well", "hi", "hello",
    "hey", "and", "its", "it", "is", "name", "my", "the", "thats", "that", "first", "last", NULL};

/* Whether the letter at c of a word transcribed in lowercase starts a part of it, as in
 * "O'Brien", "D'Angelo" and "McAllister". */
static bool starts_name_part(const struct rx_token *t, size_t c)
{
    if (c == 0)
        return true;
    if (c == 2 && t->raw[1] == '\'' && (t->low[0] == 'o' || t->low[0] == 'd'))
        return true;
    return c == 2 && t->raw_len > 4 && t->low[0] == 'm' && t->low[1] == 'c';
}

/* Writes the n tokens at i into buf: each name word with its capitals (a word
 * transcribed in lowercase gets them), particles as said, an initial with its period. */
static bool write_name(const struct rx_tokens *w, size_t i, size_t n, char *buf, size_t size)
{
    size_t out = 0;
    for (size_t k = 0; k < n; k++) {
        const struct rx_token *t = &w->t[i + k];
        if (out + t->raw_len + 3 > size)
            break;
        if (out > 0)   /* "Martinez-Vega" keeps its hyphen */
            buf[out++] = is_hyphen_joined(w, i + k) ? '-' : ' ';
        bool is_lowercase = !t->is_capital;
        bool keeps_case = k > 0 && k + 1 < n && is_particle(t);
        for (size_t c = 0; c < t->raw_len; c++) {
            char ch = t->raw[c];
            bool is_upper = !keeps_case && ch >= 'a' && ch <= 'z' &&
                            (c == 0 || (is_lowercase && starts_name_part(t, c)));
            buf[out++] = (char)(is_upper ? ch - 32 : ch);
        }
        if (is_initial(t) && k + 1 < n)
            buf[out++] = '.';
    }
    buf[out] = '\0';
    return out > 0;
}

struct found {
    size_t at, n;           /* words of the name; n 0: none */
    bool is_own;            /* said after a sure cue: the caller's own name */
};

/* The span at i after a likely cue, a relation or before "here": taken when it looks
 * like a name (known, or two words, or a name was asked for). */
static bool is_likely(const struct rx_tokens *w, size_t i, size_t n, bool is_asked)
{
    return n > 0 && (is_known_name(&w->t[i]) || n >= 2 || is_asked);
}

static bool is_all_capitals(const struct rx_tokens *w, size_t i, size_t n)
{
    for (size_t k = i; k < i + n; k++)
        if (!w->t[k].is_capital)
            return false;
    return true;
}

/* Titles said after a cue and before the name, never part of it. */
static const char *const cue_titles[] = {"mr", "mrs", "ms", "miss", "dr", "doctor", "mister", NULL};

/* Every place of w a name can sit, in order; the last found is kept. */
static void find_after_cues(const struct rx_tokens *w, bool is_asked, struct found *f)
{
    static const char *const hesitations[] = {"uh", "um", "er", "erm", "uhh", "umm", NULL};
    for (size_t i = 0; i < w->n; i++) {
        size_t c = match_any(w, i, sure_cues);
        while (c > 0 && i + c < w->n && is_one_of(&w->t[i + c], hesitations))
            c++;        /* "the name would be uh Marisol Ortega" */
        if (c > 0 && i + c < w->n && is_one_of(&w->t[i + c], cue_titles))
            c++;        /* "my name is Dr. Amrita Shah" */
        if (c > 0) {
            size_t n = name_span(w, i + c);
            if (n > 0) {
                f->at = i + c, f->n = n;
                f->is_own = true;
                i += c + n - 1;
                continue;
            }
        }
        c = match_any(w, i, likely_cues);
        if (c > 0 && i + c < w->n && is_one_of(&w->t[i + c], cue_titles))
            c++;        /* "it's doctor Amrita Shah" */
        if (c > 0) {
            size_t n = name_span(w, i + c);
            if (is_likely(w, i + c, n, is_asked)) {
                f->at = i + c, f->n = n;
                i += c + n - 1;
                continue;
            }
        }
        /* "for my daughter, Ruby Tran", "sign up my wife, Ruby Tran", "my son Jake"; not
         * after the caller's own name, unless the visit is theirs: "my name's Brooke
         * Hayes and my fiance Tyler and I are getting married" books for Brooke */
        static const char *const for_whom[] = {"for", "up", "book", "bring", "bringing", NULL};
        bool is_for_them = !f->is_own || (i > 0 && is_one_of(&w->t[i - 1], for_whom));
        if (is_for_them && i + 1 < w->n && is_one_of(&w->t[i], possessives) && is_one_of(&w->t[i + 1], relations)) {
            size_t n = name_span(w, i + 2);
            if (is_likely(w, i + 2, n, is_asked)) {
                f->at = i + 2, f->n = n;
                i += 1 + n;
                continue;
            }
        }
        /* "it's Jon, sorry, John Smith": a name again after a correction replaces it */
        if (f->n > 0 && is_one_of(&w->t[i], repair_words)) {
            size_t n = name_span(w, i + 1);
            if (is_likely(w, i + 1, n, true)) {
                f->at = i + 1, f->n = n;
                i += n;
                continue;
            }
        }
        /* "Kim Nguyen, a pedicure tomorrow at 4", "... at eight, Anna Berg", "... at noon
         * for Ana Silva": a full name with capitals standing alone at either end */
        size_t whole = name_span(w, i);
        bool is_first_clause = i == 0 && whole > 0 && (whole == w->n || w->t[whole].is_break_before);
        bool is_last_clause = i > 0 && i + whole == w->n && (w->t[i].is_break_before || is(&w->t[i - 1], "for"));
        /* "I'm a new patient, Omar Haddad, can I ...": a clause that is only a full name */
        bool is_mid_clause = i > 0 && w->t[i].is_break_before && i + whole < w->n && w->t[i + whole].is_break_before;
        /* transcribed in lowercase, the clause must start with a common given name
         * ("..., next tuesday at 2 pm, victor han") */
        bool looks_named = is_all_capitals(w, i, whole) || (whole == 2 && rx_is_given_name(w->t[i].low, w->t[i].len));
        if (whole >= 2 && (is_first_clause || is_last_clause || is_mid_clause) && looks_named) {
            f->at = i, f->n = whole;
            i += whole - 1;
            continue;
        }
        /* "Hi, Gus Moreno here": the name starts a clause and a cue ends it */
        bool is_clause_start = i == 0 || w->t[i].is_break_before || is_one_of(&w->t[i - 1], lead_words);
        size_t n = is_clause_start ? name_span(w, i) : 0;
        /* "Hi, Nina Park, could the owner call me back": a greeting, then a clause that
         * is only a name */
        bool is_after_greeting = i > 0 && is_one_of(&w->t[i - 1], greetings) && w->t[i].is_break_before;
        if (n > 0 && is_after_greeting && (i + n == w->n || w->t[i + n].is_break_before) &&
            is_likely(w, i, n, is_asked)) {
            f->at = i, f->n = n;
            i += n - 1;
            continue;
        }
        if (n > 0 && i + n < w->n && is_one_of(&w->t[i + n], after_cues) &&
            (i + n + 1 == w->n || w->t[i + n + 1].is_break_before || !is(&w->t[i + n], "calling")) &&
            (is_known_name(&w->t[i]) || n >= 2)) {
            f->at = i, f->n = n;
            i += n;
        }
    }
}

/* The whole answer is a name, after words such as "yeah" or "it's": "Hannah Cole.",
 * "yeah, Tom Baker". Said twice, the fuller or later ("yeah, Kowalski, Walt Kowalski").
 * Without a name asked for, only two or three words with capitals and nothing else. */
static void find_bare(const struct rx_tokens *w, bool is_asked, struct found *f)
{
    for (size_t start = 0; start < w->n; start++) {
        if (start > 0 && !w->t[start].is_break_before)
            continue;
        size_t i = start;
        while (i < w->n && is_one_of(&w->t[i], lead_words))
            i++;
        size_t n = name_span(w, i);
        if (n == 0)
            continue;
        size_t end = i + n;
        bool is_whole = end == w->n || w->t[end].is_break_before ||
                        is(&w->t[end], "thanks") || is(&w->t[end], "please");
        if (!is_whole || n < f->n)
            continue;
        if (!is_asked) {
            bool is_capitals = start == 0 && end == w->n && n >= 2;
            for (size_t k = 0; is_capitals && k < n; k++)
                is_capitals = w->t[k].is_capital;
            if (!is_capitals)
                continue;
        }
        f->at = i, f->n = n;
    }
}

/* A spelled run ("K A T E"): at least three single letters in a row; *at and *n. */
static bool find_spelled(const struct rx_tokens *w, size_t *at, size_t *n)
{
    for (size_t i = 0; i < w->n; i++) {
        size_t k = i;
        while (k < w->n && w->t[k].len == 1 && w->t[k].is_letters)
            k++;
        if (k - i >= 3) {
            *at = i, *n = k - i;
            return true;
        }
        i = k > i ? k - 1 : i;
    }
    return false;
}

/* The n single letters at at spell the word at word. */
static bool spells(const struct rx_tokens *w, size_t at, size_t n, size_t word)
{
    if (w->t[word].len != n)
        return false;
    for (size_t k = 0; k < n; k++)
        if (w->t[at + k].low[0] != w->t[word].low[k])
            return false;
    return true;
}

/* Titles said before a name: "Mrs. Helen Park" is Helen Park. */
static const char *const titles[] = {"mr", "mrs", "ms", "miss", "mister", "missus", NULL};

/* The name found, made whole: a title before it dropped ("Mrs. Helen Park"), and a first
 * name said again in full at once taken in full ("this is Brenda, Brenda Kowalski"). */
static void make_whole(const struct rx_tokens *w, struct found *f)
{
    if (f->n == 1 && is_one_of(&w->t[f->at], titles) && f->at + 1 < w->n) {
        size_t n = name_span(w, f->at + 1);
        if (n > 0) {
            f->at += 1;
            f->n = n;
        }
    } else if (f->n > 1 && (is_one_of(&w->t[f->at], titles) || is_one_of(&w->t[f->at], cue_titles))) {
        f->at += 1;         /* "Mister Nguyen": the name is Nguyen */
        f->n -= 1;
    }
    size_t next = f->at + f->n;
    if (f->n == 1 && next < w->n && w->t[next].is_break_before && w->t[next].len == w->t[f->at].len &&
        strcmp(w->t[next].low, w->t[f->at].low) == 0) {
        size_t n = name_span(w, next);
        if (n > 1) {
            f->at = next;
            f->n = n;
        }
    }
    /* "it's bob, robert kowalski", "put it under mcallister, ryan mcallister": one word,
     * then at once a clause that is the name in full, with that family name or after a
     * given name (a nickname said first) */
    if (f->n == 1 && next < w->n && w->t[next].is_break_before) {
        size_t n = name_span(w, next);
        bool is_clause = n > 1 && (next + n == w->n || w->t[next + n].is_break_before);
        const struct rx_token *one = &w->t[f->at], *last = &w->t[next + n - 1];
        if (is_clause && (strcmp(one->low, last->low) == 0 || rx_is_given_name(one->low, one->len))) {
            f->at = next;
            f->n = n;
        }
    }
}

/* "Nguyen, Thi Lan" to "what name?": a family name alone, then the given names, in a
 * clause each. The index of that family name, or SIZE_MAX when the name was not said so
 * (it is a given name, or in the name already: "Kowalski, Walt Kowalski"). */
static size_t family_name_first(const struct rx_tokens *w, const struct found *f)
{
    if (f->n < 2 || f->at < 1 || !w->t[f->at].is_break_before)
        return SIZE_MAX;
    size_t k = f->at - 1;
    bool is_alone = k == 0 || w->t[k].is_break_before || is_one_of(&w->t[k - 1], lead_words);
    if (!is_alone || !is_name_word(&w->t[k]) || rx_is_given_name(w->t[k].low, w->t[k].len) ||
        is_one_of(&w->t[k], titles) || is_one_of(&w->t[k], cue_titles))
        return SIZE_MAX;
    for (size_t i = f->at; i < f->at + f->n; i++)
        if (strcmp(w->t[i].low, w->t[k].low) == 0)
            return SIZE_MAX;
    return k;
}

/* The one word after "last name is", "last name's", "surname is" (*at), and where its
 * cue starts (*cue); false if none. */
static bool find_last_name(const struct rx_tokens *w, size_t *at, size_t *cue)
{
    static const char *const cues[] = {"last name is", "last names", "last name", "surname is", "surname", NULL};
    for (size_t i = 0; i < w->n; i++) {
        size_t c = match_any(w, i, cues);
        if (c > 0 && i + c < w->n && is_name_word(&w->t[i + c])) {
            *at = i + c;
            *cue = i;
            return true;
        }
    }
    return false;
}

/* How many tokens of a "first name (is)" cue start at i; 0 if none does. "first name's"
 * is tokenised "first names". */
static size_t first_name_cue_len(const struct rx_tokens *w, size_t i)
{
    size_t c = match(w, i, "first name is");
    c = c > 0 ? c : match(w, i, "first name");
    return c > 0 ? c : match(w, i, "first names");
}

/* The one word after "first name (is)" that is not the word at other; SIZE_MAX if none. */
static size_t after_first_name_cue(const struct rx_tokens *w, size_t other)
{
    for (size_t i = 0; i < w->n; i++) {
        size_t c = first_name_cue_len(w, i);
        if (c > 0 && i + c < w->n && i + c != other && is_name_word(&w->t[i + c]))
            return i + c;
    }
    return SIZE_MAX;
}

/* "Okafor, first name Chidi" found as Chidi (given, just after its cue): the name word
 * said alone before the cue, the family name; SIZE_MAX if none. */
static size_t before_first_name_cue(const struct rx_tokens *w, size_t given)
{
    for (size_t i = 1; i < given; i++) {
        size_t c = first_name_cue_len(w, i);
        if (c == 0 || i + c != given)
            continue;
        size_t k = i - 1;
        bool is_alone = k == 0 || w->t[k].is_break_before || is_one_of(&w->t[k - 1], titles) ||
                        is_one_of(&w->t[k - 1], cue_titles) || is_one_of(&w->t[k - 1], lead_words);
        if (is_alone && is_name_word(&w->t[k]) && !rx_is_common_word(w->t[k].low, w->t[k].len))
            return k;
    }
    return SIZE_MAX;
}

/* The given name said apart from the last name at last (its cue at cue): after "first
 * name (is)", else the known name word nearest before the cue ("it's gonna be Ashley,
 * last name's Brooks"); SIZE_MAX if none. */
static size_t find_given_name(const struct rx_tokens *w, size_t last, size_t cue)
{
    size_t given = after_first_name_cue(w, last);
    if (given != SIZE_MAX)
        return given;
    for (size_t i = cue; i-- > 0;)
        if (is_name_word(&w->t[i]) && is_known_name(&w->t[i]))
            return i;
    return SIZE_MAX;
}

static bool find_in(const struct rx_tokens *w, bool is_asked, char *buf, size_t size)
{
    struct found f = {0, 0, false};
    find_after_cues(w, is_asked, &f);
    if (f.n == 0)
        find_bare(w, is_asked, &f);
    if (f.n == 0)
        return false;
    make_whole(w, &f);
    /* "last name is Wojcik, first name Tom", "it's Ashley, last name's Brooks": one word
     * of each, said apart, make the name */
    size_t last, cue;
    if (f.n == 1 && find_last_name(w, &last, &cue)) {
        size_t given = f.at != last ? f.at : find_given_name(w, last, cue);
        char first[64], family[64];     /* one word each */
        if (given != SIZE_MAX && write_name(w, given, 1, first, sizeof first) &&
            write_name(w, last, 1, family, sizeof family)) {
            snprintf(buf, size, "%s %s", first, family);
            return true;
        }
    }
    /* "it's mister Nguyen, first name Thanh": the family name, then the given name */
    size_t given_at = SIZE_MAX, family_at = SIZE_MAX;
    if (f.n == 1) {
        given_at = after_first_name_cue(w, f.at);
        family_at = f.at;
        if (given_at == SIZE_MAX || given_at < f.at) {
            given_at = f.at;
            family_at = before_first_name_cue(w, f.at);
        }
    }
    char first_name[64], family_name[64];
    if (given_at != SIZE_MAX && family_at != SIZE_MAX && write_name(w, given_at, 1, first_name, sizeof first_name) &&
        write_name(w, family_at, 1, family_name, sizeof family_name)) {
        snprintf(buf, size, "%s %s", first_name, family_name);
        return true;
    }
    size_t family = is_asked ? family_name_first(w, &f) : SIZE_MAX;
    char given[128], surname[64];
    if (family != SIZE_MAX && write_name(w, f.at, f.n, given, sizeof given) &&
        write_name(w, family, 1, surname, sizeof surname)) {
        snprintf(buf, size, "%s %s", given, surname);
        return true;
    }
    return write_name(w, f.at, f.n, buf, size);
}

bool rx_name_find(const char *text, bool is_asked, char *buf, size_t size)
{
    struct rx_tokens w;
    rx_tokenise(text, &w);
    buf[0] = '\0';
    size_t at, n;
    if (find_spelled(&w, &at, &n)) {
        /* "It's Kate, K A T E": the spelling is not part of the name. "Smith, S M I T H,
         * John Smith": what follows a spelling, when anything does, is the name in full */
        size_t rest = at + n < w.n ? name_span(&w, at + n) : 0;
        bool is_rest_one_word = rest == 1 && (at + n + 1 == w.n || w.t[at + n + 1].is_break_before);
        /* "Marisol, that's M A R I S O L, Ortega": the words that lead a spelling go with it */
        static const char *const spelling_leads[] = {"thats", "spelled", "spelt", "spelling", NULL};
        if (at > 1 && is_one_of(&w.t[at - 1], spelling_leads) && spells(&w, at, n, at - 2)) {
            memmove(w.t + at - 1, w.t + at, (w.n - at) * sizeof w.t[0]);
            w.n -= 1;
            at -= 1;
        }
        if (at > 0 && is_rest_one_word && spells(&w, at, n, at - 1)) {
            /* "Zoe, Z O E, Kaplan": the word before spelled out, then the family name */
            memmove(w.t + at, w.t + at + n, (w.n - at - n) * sizeof w.t[0]);
            w.n -= n;
            w.t[at].is_break_before = false;
        } else if (at + n < w.n && rest > 0) {
            memmove(w.t, w.t + at + n, (w.n - at - n) * sizeof w.t[0]);
            w.n -= at + n;
            w.t[0].is_break_before = true;
        } else {
            /* "this is Evelyn Marsh, M A R S H, I'd like to book ...": the letters go,
             * the name before them and the request after stay */
            memmove(w.t + at, w.t + at + n, (w.n - at - n) * sizeof w.t[0]);
            w.n -= n;
            if (at < w.n)
                w.t[at].is_break_before = true;
        }
    }
    /* "Doctor Evelyn Marsh" as the whole answer: the name after the title */
    if (w.n >= 2 && (is_one_of(&w.t[0], titles) || is_one_of(&w.t[0], cue_titles)) && name_span(&w, 1) > 0) {
        memmove(w.t, w.t + 1, (w.n - 1) * sizeof w.t[0]);
        w.n -= 1;
        w.t[0].is_break_before = true;
        w.t[0].is_sentence_start = true;
    }
    return find_in(&w, is_asked, buf, size);
}
