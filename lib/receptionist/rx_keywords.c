/* lib/receptionist/rx_keywords.c: see rx_keywords.h. A turn checks up to 20 keywords of a few words
 * against an utterance of a few dozen words, so each check walks the utterance once and
 * compares word stems directly; nothing is indexed.
 *
 * A keyword may also be said in other words altogether ("money back" for "refund", a
 * short table). Two words are the same word when they share a stem: each word stands
 * for itself, the base of an irregular form (a small table), the words callers say for
 * a keyword's word ("can't" for "loss") and what is left after a regular ending ("s",
 * "es", "ies", "ied", "ing", "ed", "ion", "ly"; for the verb endings also with a
 * doubled consonant undone and a dropped "e" put back). A stem left by an ending is at
 * least three letters, so "bed" or "thing" are not read as forms of "b" or "th".
 *
 * The words of a phrase may come in any order with at most two other words among them:
 * close enough for "smell of gas" or "knocked his tooth out", far enough that "gas" in
 * one question and "smell" in the next do not make "gas smell". */
#include "receptionist/rx_keywords.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

enum {
    STEM_MAX = 48,          /* a longer word (no real word is) matches nothing */
    STEMS_MAX = 6,          /* a word, its irregular base, at most 3 stems of its ending or
                               words said for it */
    KEY_WORDS_MAX = 32,     /* one bit each in a uint32_t */
    SLACK_WORDS = 4,        /* other words allowed among the words of a phrase: "the battery
                               on my ebike is smoking" says "smoking battery" */
    UTTERANCE_WORDS_MAX = RX_TEXT_MAX / 2 + 1,
};

/* Irregular forms callers use about emergencies, and their base. Every base begins
 * with the letter of its form: word_mask() relies on it. */
static const char *const irregular[][2] = {
    {"swollen", "swell"}, {"bled", "bleed"},  {"broke", "break"}, {"broken", "break"},
    {"froze", "freeze"},  {"frozen", "freeze"}, {"burnt", "burn"}, {"smelt", "smell"},
    {"teeth", "tooth"},   {"lost", "loss"},    {"lose", "loss"},    {"losing", "loss"},
};

/* A keyword's word and the words callers say for it that are no form of it: "I
 * suddenly can't hear" says "sudden hearing loss". Put among the keyword word's stems
 * (keyword_words), so word_mask looks at every stem's first letter. */
static const char *const said_for[][2] = {
    {"loss", "cant"}, {"loss", "cannot"},
};

struct stems {
    char s[STEMS_MAX][STEM_MAX];
    size_t n;
};

static void stems_put(struct stems *st, const char *w, size_t n)
{
    if (n == 0 || n >= STEM_MAX || st->n == STEMS_MAX)
        return;
    memcpy(st->s[st->n], w, n);
    st->s[st->n][n] = '\0';
    st->n++;
}

static bool is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

static bool has_ending(const char *w, size_t n, const char *ending)
{
    size_t k = strlen(ending);
    return n > k && memcmp(w + n - k, ending, k) == 0;
}

/* The stem left by "ing" or "ed": as is, without a doubled consonant ("clogg": "clog")
 * and with its "e" back ("piped": "pipe"). */
static void stems_put_verb(struct stems *st, const char *w, size_t n)
{
    char e[STEM_MAX];
    if (n < 3)
        return;
    stems_put(st, w, n);
    if (n > 3 && w[n - 1] == w[n - 2] && !is_vowel(w[n - 1]))
        stems_put(st, w, n - 1);
    if (n + 1 < STEM_MAX) {
        memcpy(e, w, n);
        e[n] = 'e';
        stems_put(st, e, n + 1);
    }
}

/* The stems of the word w (n bytes, normalised): see the top of the file. */
static void word_stems(const char *w, size_t n, struct stems *st)
{
    st->n = 0;
    stems_put(st, w, n);
    for (size_t i = 0; i < sizeof irregular / sizeof irregular[0]; i++)
        if (strlen(irregular[i][0]) == n && memcmp(irregular[i][0], w, n) == 0)
            stems_put(st, irregular[i][1], strlen(irregular[i][1]));
    if (has_ending(w, n, "ies") || has_ending(w, n, "ied")) {
        char y[STEM_MAX];
        if (n - 2 >= 3 && n - 2 < STEM_MAX) {
            memcpy(y, w, n - 3);
            y[n - 3] = 'y';
            stems_put(st, y, n - 2);
        }
    } else if (has_ending(w, n, "ions") || has_ending(w, n, "ion")) {
        /* "infection", "infected", "infecting" meet in "infect" */
        size_t k = has_ending(w, n, "ions") ? 4 : 3;
        if (n - k >= 4)
            stems_put(st, w, n - k);
    } else if (has_ending(w, n, "ing")) {
        stems_put_verb(st, w, n - 3);
    } else if (has_ending(w, n, "ed")) {
        stems_put_verb(st, w, n - 2);
    } else if (has_ending(w, n, "ly") && n - 2 >= 4) {
        stems_put(st, w, n - 2);        /* "suddenly": "sudden" */
    } else if (has_ending(w, n, "s") && !has_ending(w, n, "ss")) {
        if (n - 1 >= 3)
            stems_put(st, w, n - 1);
        if (has_ending(w, n, "es") && n - 2 >= 3)
            stems_put(st, w, n - 2);
    }
}

static bool stems_meet(const struct stems *a, const struct stems *b)
{
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = 0; j < b->n; j++)
            if (strcmp(a->s[i], b->s[j]) == 0)
                return true;
    return false;
}

/* The stems of each word of the normalised keyword norm into key; returns how many
 * words, 0 if none or more than KEY_WORDS_MAX. */
static size_t keyword_words(const char *norm, struct stems *key)
{
    size_t nkey = 0;
    for (const char *w = norm; *w != '\0';) {
        const char *end = strchr(w, ' ');
        size_t n = end != NULL ? (size_t)(end - w) : strlen(w);
        if (nkey == KEY_WORDS_MAX)
            return 0;
        word_stems(w, n, &key[nkey]);
        for (size_t i = 0; i < sizeof said_for / sizeof said_for[0]; i++)
            if (strlen(said_for[i][0]) == n && memcmp(said_for[i][0], w, n) == 0)
                stems_put(&key[nkey], said_for[i][1], strlen(said_for[i][1]));
        nkey++;
        w += n + (end != NULL);
    }
    return nkey;
}

/* True if some stem of st begins with the letter c. */
static bool stems_begin_with(const struct stems *st, char c)
{
    for (size_t i = 0; i < st->n; i++)
        if (st->s[i][0] == c)
            return true;
    return false;
}

/* Which keyword words the utterance word w (n bytes) is a form of, one bit each. Every
 * stem of a word begins with its first letter, so only the keyword words with a stem
 * beginning with w's are stemmed. */
static uint32_t word_mask(const char *w, size_t n, const struct stems *key, size_t nkey)
{
    struct stems st;            /* stemmed on first need: most words start no keyword word */
    uint32_t mask = 0;
    st.n = 0;
    for (size_t j = 0; j < nkey; j++) {
        if (!stems_begin_with(&key[j], w[0]))
            continue;
        if (st.n == 0)
            word_stems(w, n, &st);
        if (stems_meet(&st, &key[j]))
            mask |= 1u << j;
    }
    return mask;
}

/* True if each of the nkey keyword words is at a word of its own among the n words of
 * masks (n < 64). Greedy: enough for phrases whose words are not forms of each other. */
static bool run_holds_all(const uint32_t *masks, size_t n, size_t nkey)
{
    uint64_t used = 0;
    for (size_t j = 0; j < nkey; j++) {
        size_t i = 0;
        while (i < n && (((masks[i] >> j) & 1u) == 0 || ((used >> i) & 1u) != 0))
            i++;
        if (i == n)
            return false;
        used |= 1ull << i;
    }
    return true;
}

/* Keywords callers say in other words altogether: "I want my money back" says
 * "refund". Each alternative is matched as a keyword of its own. */
static const char *const said_instead[][2] = {
    {"refund", "money back"}, {"refund", "reimburse"}, {"refunds", "money back"},
    {"complaint", "complain"}, {"complaint", "not happy"}, {"complaints", "complain"},
    /* what callers say of an infection, a wound, a leak or a gas smell */
    {"pus", "oozing"}, {"pus", "ooze"}, {"pus", "yellow stuff"}, {"pus", "discharge"},
    {"infection", "oozing"}, {"infected", "oozing"}, {"infection", "pus"}, {"infected", "pus"},
    {"red streaks", "red lines"}, {"red streak", "red line"}, {"swelling", "puffy"}, {"swollen", "puffy"},
    {"flooding", "water everywhere"}, {"flood", "water everywhere"}, {"gas smell", "rotten eggs"},
    {"gas leak", "rotten eggs"},
};

static bool is_said(const struct rx_text *t, const char *keyword);

bool rx_keyword_is_said(const struct rx_text *t, const char *keyword)
{
    if (is_said(t, keyword))
        return true;
    for (size_t i = 0; i < sizeof said_instead / sizeof said_instead[0]; i++)
        if (strcasecmp(keyword, said_instead[i][0]) == 0 && is_said(t, said_instead[i][1]))
            return true;
    return false;
}

static bool is_said(const struct rx_text *t, const char *keyword)
{
    char norm[256];         /* a keyword is at most 50 characters (agent_config.h) */
    struct stems key[KEY_WORDS_MAX];
    uint32_t masks[UTTERANCE_WORDS_MAX];
    size_t nwords = 0;
    rx_text_normalise(keyword, norm, sizeof norm);
    size_t nkey = keyword_words(norm, key);
    if (nkey == 0)
        return false;
    for (size_t i = 1; i < t->len && nwords < UTTERANCE_WORDS_MAX;) {
        const char *w = t->norm + i;
        size_t n = (size_t)(strchr(w, ' ') - w);
        masks[nwords++] = word_mask(w, n, key, nkey);
        i += n + 1;
    }
    size_t span = nkey + SLACK_WORDS;
    for (size_t i = 0; i < nwords; i++)
        if (masks[i] != 0 && run_holds_all(masks + i, nwords - i < span ? nwords - i : span, nkey))
            return true;
    return false;
}
