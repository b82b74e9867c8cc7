/* lib/receptionist/rx_message_words.c: what the message steps (lib/receptionist/rx_message.c) read in a caller's
 * words: a callback number said whole, even among other words ("area code four one
 * five, then five five five, ..."), or in part to correct the one read back ("4 5 6 7
 * at the end"); "the number I'm calling from"; a refusal to leave a number; and the
 * words of the message said along with a number or a name. An utterance is a sentence
 * or two, so these are plain scans of its words: no allocation, no state. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "receptionist/rx_message_words.h"
#include "receptionist/rx_answer_parts.h"
#include "receptionist/rx_phrases.h"

bool rx_callback_to_e164(const char *caller, const char *digits, size_t n, bool has_plus,
                         char *out, size_t size)
{
    char e[24];
    if (has_plus && n >= 8 && n <= 15) {
        e[0] = '+';
        memcpy(e + 1, digits, n + 1);
    } else if (n == 11 && digits[0] == '1') {
        e[0] = '+';
        memcpy(e + 1, digits, n + 1);
    } else if (n == 10) {
        memcpy(e, "+1", 2);
        memcpy(e + 2, digits, n + 1);
    } else if (n == 7 && strlen(caller) == 12 && strncmp(caller, "+1", 2) == 0) {
        memcpy(e, caller, 5);               /* "+1" and the area code */
        memcpy(e + 5, digits, n + 1);
    } else {
        return false;
    }
    snprintf(out, size, "%s", e);
    return true;
}

/* The word of raw at or after p (a run of bytes other than spaces), its length in *n;
 * NULL when none is left. */
static const char *next_word(const char *p, size_t *n)
{
    while (*p != '\0' && isspace((unsigned char)*p))
        p++;
    if (*p == '\0')
        return NULL;
    size_t k = 0;
    while (p[k] != '\0' && !isspace((unsigned char)p[k]))
        k++;
    *n = k;
    return p;
}

/* How many digits a word said stands for: "0142," 4, "(201)" 3, "five" 1; 0 if it is
 * not digits. "double" counts one: it says the next digit twice. */
static size_t digits_in_word(const char *w, size_t n)
{
    static const char *const names[] = {"zero", "oh", "o", "one", "two", "three", "four",
                                        "five", "six", "seven", "eight", "nine", "double", NULL};
    char low[8];
    size_t nletters = 0, ndigits = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)w[i];
        if (isdigit(c))
            ndigits++;
        else if (isalpha(c) && nletters + 1 < sizeof low)
            low[nletters++] = (char)tolower(c);
        else if (isalpha(c))
            return 0;                   /* longer than any digit's name */
    }
    if (ndigits > 0)
        return nletters == 0 ? ndigits : 0;
    low[nletters] = '\0';
    for (size_t i = 0; names[i] != NULL; i++)
        if (strcmp(low, names[i]) == 0)
            return 1;
    return 0;
}

/* The first phone number said in raw: words of seven digits or more, in groups apart
 * by at most two other words until there are seven ("area code four one five, then five
 * five five, ..."). *start is its first word and *end what follows its last. False if no
 * number was said. */
static bool find_number(const char *raw, const char **start, const char **end)
{
    size_t ndigits = 0, n = 0;
    unsigned gap = 0;
    for (const char *w = next_word(raw, &n); w != NULL; w = next_word(w + n, &n)) {
        size_t d = digits_in_word(w, n);
        if (d > 0) {
            if (ndigits == 0)
                *start = w;
            ndigits += d;
            *end = w + n;
            gap = 0;
        } else if (ndigits >= 7) {
            break;
        } else if (++gap > 2) {
            ndigits = 0;
        }
    }
    return ndigits >= 7;
}

/* Only the number's own words are read: "oh, wait" before it is no zero, and a "one" in
 * the message after it is no digit of it. */
size_t rx_callback_digits(const char *raw, char *digits, size_t size, bool *has_plus)
{
    const char *start, *end;
    if (!find_number(raw, &start, &end))
        return rx_text_digits(raw, digits, size, has_plus);
    char said[RX_TEXT_MAX];
    size_t n = (size_t)(end - start) < sizeof said - 1 ? (size_t)(end - start) : sizeof said - 1;
    memcpy(said, start, n);
    said[n] = '\0';
    return rx_text_digits(said, digits, size, has_plus);
}

/* The first place phrase (lowercase words) is said in raw, on word boundaries and in
 * any case; NULL if nowhere. */
static const char *find_said(const char *raw, const char *phrase)
{
    size_t n = strlen(phrase);
    for (const char *p = raw; *p != '\0'; p++) {
        if (p > raw && isalnum((unsigned char)p[-1]))
            continue;
        if (strncasecmp(p, phrase, n) == 0 && !isalnum((unsigned char)p[n]))
            return p;
    }
    return NULL;
}

/* The number of words in p that have a letter or a digit. */
static unsigned count_words(const char *p)
{
    unsigned count = 0;
    size_t n = 0;
    for (const char *w = next_word(p, &n); w != NULL; w = next_word(w + n, &n))
        for (size_t i = 0; i < n; i++)
            if (isalnum((unsigned char)w[i])) {
                count++;
                break;
            }
    return count;
}

static const char *skip_to_word(const char *p)
{
    while (*p != '\0' && !isalnum((unsigned char)*p))
        p++;
    return p;
}

/* "tell Mike the tech that the part never came", "can you tell the owner I left my
 * sunglasses there": what someone of the business is to be told, after "that" or from
 * the first word that starts a statement, within five words of "tell"; NULL if none,
 * or if the caller is to be told ("can you tell me your hours"). */
const char *rx_message_told(const char *raw)
{
    static const char *const starts[] = {"i", "im", "ive", "id", "ill", "we", "were", "my", "our",
                                         "he", "she", "they", "it", "its", "the", NULL};
    for (const char *tell = find_said(raw, "tell"); tell != NULL; tell = find_said(tell + 4, "tell")) {
        size_t n = 0;
        const char *w = next_word(tell + 4, &n);
        if (w == NULL || (n == 2 && strncasecmp(w, "me", 2) == 0) || (n == 2 && strncasecmp(w, "us", 2) == 0) ||
            (n == 3 && strncasecmp(w, "you", 3) == 0))
            continue;       /* "can I tell you my name" tells the receptionist */
        for (int k = 0; w != NULL && k < 6; k++, w = next_word(w + n, &n)) {
            char low[8];
            size_t m = 0;
            for (size_t i = 0; i < n && m + 1 < sizeof low; i++)
                if (w[i] != '\'')
                    low[m++] = (char)tolower((unsigned char)w[i]);
            low[m] = '\0';
            /* "tell the owner that I called": two words after "that" are a message */
            if (strcmp(low, "that") == 0 && count_words(w + n) >= 2)
                return skip_to_word(w + n);
            /* "the" starts the told words only after the person ("tell the owner the ...") */
            bool is_start = k > 0 && !(k == 1 && strcmp(low, "the") == 0);
            for (size_t i = 0; is_start && starts[i] != NULL; i++)
                if (strcmp(low, starts[i]) == 0 && count_words(w) >= 3)
                    return w;
        }
    }
    return NULL;
}

bool rx_message_is_let_know(const char *raw)
{
    for (const char *let = find_said(raw, "let"); let != NULL; let = find_said(let + 3, "let")) {
        size_t n = 0;
        const char *w = next_word(let + 3, &n);
        if (w == NULL || (n == 2 && strncasecmp(w, "me", 2) == 0) || (n == 2 && strncasecmp(w, "us", 2) == 0))
            continue;
        for (int k = 0; w != NULL && k < 4; k++, w = next_word(w + n, &n))
            if (n == 4 && strncasecmp(w, "know", 4) == 0)
                return true;
    }
    return false;
}

/* ---- a call back asked for in the caller's own words ---- */

/* Who is to be called: the caller ("me", "us") or whom they call for ("her", "my mom"). */
static const char *const callee_words[] = {"me", "us", "her", "him", NULL};

/* The word before w (the normalised text starts at norm), *n its length; NULL at the
 * start. */
static const char *word_before(const char *norm, const char *w, size_t *n)
{
    const char *end = w - 1;               /* the space before w */
    if (end <= norm)
        return NULL;
    const char *start = end;
    while (start > norm && start[-1] != ' ')
        start--;
    *n = (size_t)(end - start);
    return *n > 0 ? start : NULL;
}

/* No call back is asked for when the call is the caller's own ("I'll give her a call",
 * "I want to call him", "I can call her", "she said to call her"), only offered ("you
 * can reach me at this number") or asked about ("will the guy give me a ring before he
 * shows up?"). Looked for among the few words before the verb, up to a word that names
 * someone else ("can I have someone call me": someone calls; "could Ben give me a
 * call": Ben does). */
static bool is_not_a_request(const char *norm, const char *verb)
{
    static const char *const caller[] = {"i", "ill", "id", "im", "we", "well", "wed", "ive", NULL};
    /* (also the one asked to call, named before "to": "I'd like her to call me") */
    static const char *const other[] = {"someone", "somebody", "anyone", "anybody", "he", "she", "they",
                                        "hell", "shell", "theyll", "you", "youll", "youd", "have", "get",
                                        "ask", "her", "him", "them", NULL};
    static const char *const modal[] = {"can", "could", "would", "will", "should", "please", NULL};
    static const char *const asking_whether[] = {"will", "does", "do", "did", NULL};
    static const char *const telling[] = {"said", "told", "asked", "me", NULL};
    const char *w = verb;
    size_t n = 0;
    for (int k = 0; k < 4 && (w = word_before(norm, w, &n)) != NULL; k++) {
        if (rx_is_word_of(w, n, caller))
            return true;
        if (k == 0 && n == 2 && memcmp(w, "to", 2) == 0) {      /* "she said to call her" */
            size_t m = 0;
            const char *by = word_before(norm, w, &m);
            if (by != NULL && rx_is_word_of(by, m, telling))
                return true;
        }
        /* "will the guy give me a ring": the verb put before its subject asks whether */
        size_t before_n = 0;
        if (k > 0 && rx_is_word_of(w, n, asking_whether) && word_before(norm, w, &before_n) == NULL)
            return true;
        if (rx_is_word_of(w, n, other))
            return false;
        /* "I can call her" and "you can reach me at this number" (offered, not asked),
         * but "could Ben call me" */
        if (rx_is_word_of(w, n, modal)) {
            size_t m = 0;
            const char *subject = word_before(norm, w, &m);
            return k == 0 && subject != NULL && (rx_is_word_of(subject, m, caller) || (m == 3 && memcmp(subject, "you", 3) == 0));
        }
    }
    return false;
}

bool rx_message_asks_callback(const struct rx_text *text)
{
    static const char *const call_verbs[] = {"call", "ring", "phone", "text", "reach", "contact", NULL};
    static const char *const call_nouns[] = {"call", "ring", "buzz", "shout", "callback", "holler", NULL};
    const char *norm = text->norm;
    size_t n = 0;
    for (const char *w = next_word(norm, &n); w != NULL; w = next_word(w + n, &n)) {
        size_t m = 0, k = 0;
        const char *obj = next_word(w + n, &m);
        if (obj == NULL)
            break;
        bool is_asked = false;
        if (n == 4 && memcmp(w, "give", 4) == 0) {
            /* "give me a call", "give my mom a ring" */
            const char *after = obj;
            if (m == 2 && memcmp(obj, "my", 2) == 0)
                after = next_word(obj + m, &m);          /* "my mom": one who is called */
            else if (!rx_is_word_of(obj, m, callee_words))
                continue;
            const char *a = after != NULL ? next_word(after + m, &k) : NULL;
            const char *noun = a != NULL && k == 1 && *a == 'a' ? next_word(a + k, &k) : NULL;
            is_asked = noun != NULL && rx_is_word_of(noun, k, call_nouns);
        } else if (rx_is_word_of(w, n, call_verbs)) {
            /* "call me", "reach out to me": the one called follows */
            if (m == 3 && memcmp(obj, "out", 3) == 0) {
                const char *to = next_word(obj + m, &k);
                obj = to != NULL && k == 2 && memcmp(to, "to", 2) == 0 ? next_word(to + k, &m) : NULL;
            }
            is_asked = obj != NULL && rx_is_word_of(obj, m, callee_words);
        }
        if (is_asked && !is_not_a_request(norm, w))
            return true;
    }
    return false;
}

/* Four words after a number, as "at 917 555 0142 any time" says only when to call. A
 * topic alone ("call me back about a quote") is not the message: the caller expects to
 * be asked for it. */
const char *rx_message_said_with(const char *raw)
{
    const char *start, *end;
    const char *told = rx_message_told(raw);
    if (told != NULL)
        return told;
    if (find_number(raw, &start, &end) && count_words(end) >= 4)
        return skip_to_word(end);
    for (size_t i = 0; rx_tell_them_words[i] != NULL; i++) {
        const char *tell = rx_tell_them_words[i];
        const char *p = find_said(raw, tell);
        if (p != NULL && count_words(p + strlen(tell)) >= 2)
            return skip_to_word(p + strlen(tell));
    }
    return NULL;
}

/* The digits a normalised word says ("4567", "five", "oh"), into buf; 0 if none or
 * if they do not fit. */
static size_t norm_word_digits(const char *w, size_t wn, char *buf, size_t size)
{
    static const char *const names[] = {"zero", "one", "two", "three", "four", "five",
                                        "six", "seven", "eight", "nine", NULL};
    size_t k = 0;
    while (k < wn && isdigit((unsigned char)w[k]))
        k++;
    if (k == wn && wn > 0 && wn < size) {
        memcpy(buf, w, wn);
        return wn;
    }
    if ((wn == 2 && memcmp(w, "oh", 2) == 0) || (wn == 1 && w[0] == 'o')) {
        buf[0] = '0';
        return 1;
    }
    for (int d = 0; names[d] != NULL; d++)
        if (strlen(names[d]) == wn && memcmp(names[d], w, wn) == 0) {
            buf[0] = (char)('0' + d);
            return 1;
        }
    return 0;
}

/* The first run of digits said, however short ("4 5 6 7", "four five six seven",
 * "4567"), into out; its length (0 if none, or if it does not fit). rx_text_digits
 * wants a whole number. The count in "the last four" is not a digit, nor is the "oh"
 * of "oh, it's 4567" (a zero only before or among digits). */
static size_t digit_run(const struct rx_text *text, char *out, size_t size)
{
    size_t n = 0;
    bool is_count = false;
    for (size_t i = 1; i < text->len;) {
        const char *w = text->norm + i;
        size_t wn = (size_t)(strchr(w, ' ') - w);
        char d[32];
        size_t k = is_count ? 0 : norm_word_digits(w, wn, d, sizeof d);
        bool is_oh = (wn == 2 && memcmp(w, "oh", 2) == 0) || (wn == 1 && w[0] == 'o');
        if (is_oh && n == 0) {
            const char *next = w + wn + 1;
            char nd[32];
            k = norm_word_digits(next, strcspn(next, " "), nd, sizeof nd) > 0 ? 1 : 0;
        }
        if (k == 0 && n > 0)
            break;
        if (n + k >= size)
            return 0;
        memcpy(out + n, d, k);
        n += k;
        is_count = (wn == 4 && memcmp(w, "last", 4) == 0) || (wn == 5 && memcmp(w, "first", 5) == 0);
        i += wn + 1;
    }
    out[n] = '\0';
    return n;
}

/* Four digits alone are the end: the part a caller most often corrects. */
bool rx_callback_fix_part(const struct rx_text *text, char *number)
{
    size_t len = strlen(number);
    char d[8];
    size_t n = digit_run(text, d, sizeof d);
    if (n == 0 || n > 6 || len < n + 2)
        return false;
    if (rx_text_has_any(text, rx_number_start_words)) {
        if (len != 12 || strncmp(number, "+1", 2) != 0)
            return false;
        memcpy(number + 2, d, n);
    } else if (rx_text_has_any(text, rx_number_end_words) || n == 4) {
        memcpy(number + len - n, d, n);
    } else {
        return false;
    }
    return true;
}

bool rx_callback_is_calling_from(const struct rx_text *text, const char *caller_number)
{
    return caller_number[0] != '\0' && rx_text_has_any(text, rx_calling_from_words) &&
           !rx_text_has_any(text, rx_other_number_words);
}

bool rx_callback_is_refused(const struct rx_text *text)
{
    return rx_text_has_any(text, rx_no_number_words);
}

/* How many digits the words of clause say ("five zero three": 3). */
static size_t count_digits(const char *clause)
{
    size_t total = 0, n = 0;
    for (const char *w = next_word(clause, &n); w != NULL; w = next_word(w + n, &n))
        total += digits_in_word(w, n);
    return total;
}

/* A clause that asks for something (the message, a person, a call back), names the
 * caller or gives the number: not what they want the team told. */
static bool is_request_clause(const char *clause, const char *name)
{
    static const char *const request[] = {
        "message", "call me", "call back", "callback", "call her", "call him", "reach me",
        "get back to me", "this is", "my name", "number", "phone", "talk to", "speak to",
        "speak with", "talk with", "person", "someone", "somebody", "anyone", "human", NULL};
    static const char *const asking[] = {
        "can", "could", "would", "will", "may", "do", "does", "is", "are", "how", "what",
        "when", "where", "who", "why", "which", "please", NULL};
    size_t first = strcspn(clause, " ");
    for (size_t i = 0; asking[i] != NULL; i++)
        if (strlen(asking[i]) == first && strncasecmp(clause, asking[i], first) == 0)
            return true;
    char digits[24];
    bool has_plus;
    if (rx_text_digits(clause, digits, sizeof digits, &has_plus) > 0 || count_digits(clause) >= 3)
        return true;    /* the number, or a group of its digits ("zero one two two") */
    if (name[0] != '\0' && find_said(clause, name) != NULL)
        return true;
    for (size_t i = 0; request[i] != NULL; i++)
        if (find_said(clause, request[i]) != NULL)
            return true;
    return false;
}

/* What a call back is asked about, from its cue on ("about my cat's results",
 * "regarding the invoice", "with a price on gutter guards"); NULL if no cue. */
static const char *topic_of(const char *clause)
{
    static const char *const cues[] = {"about", "regarding", "with a price", "with a quote", "with an estimate",
                                       "with pricing", "with the price", NULL};
    const char *first = NULL;
    for (size_t i = 0; cues[i] != NULL; i++) {
        const char *p = find_said(clause, cues[i]);
        if (p != NULL && (first == NULL || p < first))
            first = p;
    }
    if (first != NULL && strncasecmp(first, "with ", 5) == 0)
        first += 5;                             /* "a price on ...": the "with" goes */
    return first;
}

bool rx_message_said_around(const char *raw, const char *name, char *buf, size_t size)
{
    size_t n = 0;
    char topic[RX_TEXT_MAX] = "";
    buf[0] = '\0';
    for (const char *p = raw; *p != '\0';) {
        size_t len = strcspn(p, ",.;!?");
        char clause[RX_TEXT_MAX];
        size_t k = len < sizeof clause - 1 ? len : sizeof clause - 1;
        memcpy(clause, p, k);
        clause[k] = '\0';
        const char *words = skip_to_word(clause);
        /* "have one of the vets call me back about my cat's bloodwork results": what the
         * call back is about, when it says more than a word or two ("about a quote") */
        const char *about = topic_of(words);
        if (about != NULL && count_words(about) >= 4 && is_request_clause(words, name)) {
            words = about;
        } else if (is_request_clause(words, name)) {
            /* "... give me a ring about my orthotics, they were supposed to be ready last
             * week": the short topic leads what the rest says */
            if (about != NULL && topic[0] == '\0' && count_words(about) >= 2)
                snprintf(topic, sizeof topic, "%s", about);
            words = "";
        }
        if (count_words(words) >= 4 && n + strlen(words) + 3 < size)
            n += (size_t)snprintf(buf + n, size - n, "%s%s", n > 0 ? ". " : "", words);
        p += len;
        if (*p != '\0')
            p++;
    }
    size_t t = strlen(topic);
    if (n > 0 && t > 0 && n + t + 3 < size) {
        memmove(buf + t + 2, buf, n + 1);
        memcpy(buf, topic, t);
        memcpy(buf + t, ": ", 2);
        n += t + 2;
    }
    return n > 0;
}
