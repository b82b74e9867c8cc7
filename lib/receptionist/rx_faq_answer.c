/* lib/receptionist/rx_faq_answer.c: the FAQ entry or policy that answers the caller, picked by
 * keyword overlap and the words callers use for each policy, and said in the business's
 * own words. Scoring is a few string lookups per entry (mostly ruled out by the Bloom
 * filter of rx_text_may_have); a business lists tens of entries, not thousands.
 * rx_answer.c decides when a pick is strong enough to answer before other kinds. */
#include <string.h>
#include <strings.h>

#include "receptionist/rx_answer_parts.h"
#include "receptionist/rx_names.h"
#include "receptionist/rx_search.h"

/* How many of the caller's words (of four letters or more, not stop words) the policy's
 * text holds, as the start of one of its words ("cancel" in "Cancel or move ..."). */
static int text_overlap(const struct rx_turn *t, const char *text)
{
    char norm[AGENT_LONG_TEXT_MAX * 4 + 2];
    rx_text_normalise(text, norm + 1, sizeof norm - 1);
    norm[0] = ' ';
    int n = 0;
    for (const char *w = t->text.norm + 1; *w != '\0';) {
        size_t len = strcspn(w, " ");
        char word[RX_TEXT_MAX];
        if (len >= 4 && len + 2 < sizeof word && !rx_is_stop_word(w, len)) {
            word[0] = ' ';
            memcpy(word + 1, w, len);
            word[len + 1] = '\0';
            n += strstr(norm, word) != NULL;
        }
        w += len;
        while (*w == ' ')
            w++;
    }
    return n;
}

/* 3 if the caller says the policy's name, 2 if only a word callers use for it
 * (rx_policy_words: "pay" for payment), 0 if neither. */
static int names_policy(struct rx_turn *t, const char *name)
{
    if (rx_text_has(&t->text, name))
        return 3;
    for (size_t k = 0; rx_policy_words[k].name != NULL; k++)
        if (strcmp(rx_policy_words[k].name, name) == 0 && rx_text_has_any(&t->text, rx_policy_words[k].words))
            return 2;
    return 0;
}

/* The score of the best policy (3 on a match), *best its index, *is_by_name whether its
 * name was said (else a word callers use for it). When several are named ("if I cancel,
 * do I lose my deposit?": cancellation and deposit), the one whose text holds more of
 * the caller's words answers. */
static int score_policies(struct rx_turn *t, size_t *best, bool *is_by_name)
{
    int best_overlap = -1, best_score = 0;
    for (size_t i = 0; i < t->cfg->npolicies; i++) {
        int named = names_policy(t, t->cfg->policies[i].name);
        if (named == 0)
            continue;
        int overlap = text_overlap(t, t->cfg->policies[i].text);
        if (overlap > best_overlap) {
            best_overlap = overlap;
            best_score = named;
            *best = i;
        }
    }
    *is_by_name = best_score == 3;
    return best_score > 0 ? 3 : 0;
}

/* True if a keyword of f the caller said, not a common word of speech ("wait"), is no
 * word of text: "will medicare pay for this?" names the insurance entry by "medicare",
 * which the payment policy that "pay" names does not hold. */
static bool says_keyword_beyond(struct rx_turn *t, const struct agent_faq *f, const char *text)
{
    char norm[AGENT_SHORT_TEXT_MAX * 4 + 1];
    for (size_t k = 0; k < f->nkeywords; k++) {
        if (!rx_text_may_have(&t->text, f->keywords[k]))
            continue;
        rx_text_normalise(f->keywords[k], norm, sizeof norm);
        bool is_plain = strchr(norm, ' ') == NULL && rx_is_common_word(norm, strlen(norm));
        if (!is_plain && rx_text_has_norm(&t->text, norm, NULL) && rx_text_find_word(text, text, f->keywords[k]) == NULL)
            return true;
    }
    return false;
}

static const char *const stop_words[] = {
    "what", "whats", "when", "where", "which", "your", "youre", "do", "does", "you", "the",
    "are", "is", "can", "have", "with", "for", "and", "how", "any", "there", "this", "that",
    "from", "will", "would", "should", "about", "take", "get", NULL};

bool rx_is_stop_word(const char *w, size_t n)
{
    if (n < 4)
        return true;
    for (size_t i = 0; stop_words[i] != NULL; i++)
        if (strlen(stop_words[i]) == n && memcmp(stop_words[i], w, n) == 0)
            return true;
    return false;
}

/* True if the caller gives someone a child's age ("my 6 year old", "she's eight months
 * old"): what an FAQ entry about children ("Do you see kids?") answers, though no word
 * of it is said. */
static bool says_child_age(const struct rx_text *x)
{
    static const char *const numbers[] = {"one", "two", "three", "four", "five", "six", "seven", "eight",
                                          "nine", "ten", "eleven", "twelve", "thirteen", "fourteen",
                                          "fifteen", "sixteen", "seventeen", NULL};
    static const char *const units[] = {"year", "years", "yr", "yrs", "month", "months", NULL};
    const char *prev = NULL;
    size_t prev_n = 0;
    for (const char *p = x->norm + 1; *p != '\0'; p += rx_word_len(p) + (p[rx_word_len(p)] == ' ')) {
        size_t n = rx_word_len(p);
        const char *next = p + n + (p[n] == ' ');
        bool is_old = strncmp(next, "old", 3) == 0 && (next[3] == ' ' || next[3] == '\0');
        if (prev != NULL && is_old && rx_is_word_of(p, n, units)) {
            bool is_digits = prev_n <= 2 && prev[0] >= '0' && prev[0] <= '9' && (prev_n == 1 || (prev[1] >= '0' && prev[1] <= '9'));
            int age = is_digits ? (prev_n == 1 ? prev[0] - '0' : (prev[0] - '0') * 10 + (prev[1] - '0')) : -1;
            if ((is_digits && age < 18) || rx_is_word_of(prev, prev_n, numbers))
                return true;
        }
        prev = p;
        prev_n = n;
    }
    return false;
}

/* says_child_age of the turn's words, read once a turn. */
static bool turn_says_child_age(struct rx_turn *t)
{
    if (!t->faq.is_child_age_read) {
        t->faq.says_child_age = says_child_age(&t->text);
        t->faq.is_child_age_read = true;
    }
    return t->faq.says_child_age;
}

/* True if the caller says the normalised word w of an FAQ entry: as said, or for a word
 * of children (rx_age_words), a child's age. */
static bool says_faq_word(struct rx_turn *t, const char *w, bool is_child_age)
{
    if (rx_text_has_norm(&t->text, w, NULL))
        return true;
    return is_child_age && strchr(w, ' ') == NULL && rx_is_word_of(w, strlen(w), rx_age_words);
}

/* Keyword overlap: 2 for a keyword (plus one per extra word of a phrase), 1 for a
 * content word of the question; is_child_age: says_child_age of the turn. */
static int score_faq(struct rx_turn *t, const struct agent_faq *f, bool is_child_age)
{
    int score = 0;
    char norm[AGENT_SHORT_TEXT_MAX * 4 + 1];
    for (size_t k = 0; k < f->nkeywords; k++) {
        if (!is_child_age && !rx_text_may_have(&t->text, f->keywords[k]))
            continue;
        rx_text_normalise(f->keywords[k], norm, sizeof norm);
        if (says_faq_word(t, norm, is_child_age))
            score += 1 + (int)rx_norm_words(norm);
    }
    rx_text_normalise(f->question, norm, sizeof norm);
    for (char *p = norm; *p != '\0';) {
        char *e = strchr(p, ' ');
        size_t n = e != NULL ? (size_t)(e - p) : strlen(p);
        char saved = p[n];
        p[n] = '\0';
        if (n >= 4 && says_faq_word(t, p, is_child_age) && !rx_is_stop_word(p, n))
            score++;
        p[n] = saved;
        p += n;
        while (*p == ' ')
            p++;
    }
    return score;
}

static struct rx_faq_pick pick_best(struct rx_turn *t)
{
    struct rx_faq_pick best = {0, false, 0};
    bool is_tie = false;
    bool is_child_age = turn_says_child_age(t);
    for (size_t i = 0; i < t->cfg->nfaq; i++) {
        int score = score_faq(t, &t->cfg->faq[i], is_child_age);
        if (score > best.score) {
            best = (struct rx_faq_pick){score, false, i};
            is_tie = false;
        } else if (score > 0 && score == best.score) {
            is_tie = true;
        }
    }
    /* entries the caller's words fit as well: the one holding the rarest of them ("proctor
     * my son's online exam": the entry on proctoring, not the one on online sessions) */
    if (is_tie && best.score >= 2) {      /* a keyword said, not one common word */
        struct rx_search_hit hit = rx_search(t->cfg, t->raw);
        if (hit.kind == RX_SEARCH_FAQ && score_faq(t, &t->cfg->faq[hit.index], is_child_age) == best.score)
            best.index = hit.index;
    }
    size_t policy_index = 0;
    bool is_by_name = false;
    int policy = score_policies(t, &policy_index, &is_by_name);
    /* a tie goes to the FAQ: the business wrote that question for it ("gift card"
     * beats the payment policy's word "card"); so does an entry one of whose keywords
     * said the policy named by a caller's word alone does not hold */
    bool is_faq_more_specific = policy > 0 && !is_by_name && best.score >= 2 &&
                                says_keyword_beyond(t, &t->cfg->faq[best.index], t->cfg->policies[policy_index].text);
    /* in a tie, a policy whose text holds clearly more of the caller's words than the
     * entry's answer ("is there a fee if I cancel my drop off appointment?": "No fee to
     * cancel or move a drop-off appointment", over the walk-in entry's "appointment") */
    bool is_policy_closer = policy > 0 && policy == best.score && !is_faq_more_specific &&
                            text_overlap(t, t->cfg->policies[policy_index].text) >=
                                text_overlap(t, t->cfg->faq[best.index].answer) + 2;
    if (policy > 0 && ((policy > best.score && !is_faq_more_specific) || is_policy_closer))
        best = (struct rx_faq_pick){policy, true, policy_index};
    return best;
}

struct rx_faq_pick rx_faq_pick_best(struct rx_turn *t)
{
    if (!t->faq.is_picked) {
        t->faq.pick = pick_best(t);
        t->faq.is_picked = true;
    }
    return t->faq.pick;
}

/* True if text holds a word that begins with kw (any case): "haircut" in "we don't do
 * haircuts". */
static bool holds_word_start(const char *text, const char *kw)
{
    size_t n = strlen(kw);
    for (const char *p = text; *p != '\0'; p++)
        if ((p == text || !((p[-1] | 32) >= 'a' && (p[-1] | 32) <= 'z')) && strncasecmp(p, kw, n) == 0)
            return true;
    return false;
}

/* True if the word or phrase kw (as configured) is in a service's name or alias. */
static bool is_service_phrase(const struct agent_config *c, const char *kw)
{
    for (size_t i = 0; i < c->nservices; i++) {
        const struct agent_service *s = &c->services[i];
        for (size_t k = 0; k <= s->naliases; k++) {
            const char *name = k == 0 ? s->name : s->aliases[k - 1];
            if (rx_text_find_word(name, name, kw) != NULL)
                return true;
        }
    }
    return false;
}

bool rx_faq_refuses_request(struct rx_turn *t)
{
    return t->nservices == 0 && rx_faq_refuses_keyword_said(t);
}

bool rx_faq_refuses_keyword_said(struct rx_turn *t)
{
    if (!rx_faq_has_keyword(t))
        return false;
    struct rx_faq_pick faq = rx_faq_pick_best(t);
    if (faq.is_policy || faq.score < 2)     /* a keyword said: checked below to be one the answer refuses */
        return false;
    const struct agent_faq *f = &t->cfg->faq[faq.index];
    bool is_no = (strncmp(f->answer, "No", 2) == 0 && strchr(",.; ", f->answer[2]) != NULL) ||
                 strstr(f->answer, "don't") != NULL ||
                 strstr(f->answer, "do not") != NULL || strstr(f->answer, "doesn't") != NULL;
    if (!is_no)
        return false;
    /* an entry that is a list of what is not done ("What don't you repair?") refuses
     * each of its keywords, though the answer says "air conditioning" for "ac" */
    bool is_refusal_list = strstr(f->question, "n't") != NULL || strstr(f->question, " not ") != NULL;
    char norm[AGENT_SHORT_TEXT_MAX * 4 + 1];
    for (size_t k = 0; k < f->nkeywords; k++) {
        if (!rx_text_may_have(&t->text, f->keywords[k]))
            continue;
        rx_text_normalise(f->keywords[k], norm, sizeof norm);
        if (rx_text_has_norm(&t->text, norm, NULL) && !is_service_phrase(t->cfg, f->keywords[k]) &&
            (is_refusal_list || holds_word_start(f->answer, f->keywords[k])))
            return true;
    }
    return false;
}

static bool says_any_keyword(struct rx_turn *t)
{
    char norm[AGENT_SHORT_TEXT_MAX * 4 + 1];
    bool is_child_age = turn_says_child_age(t);
    for (size_t i = 0; i < t->cfg->nfaq; i++) {
        const struct agent_faq *f = &t->cfg->faq[i];
        for (size_t k = 0; k < f->nkeywords; k++) {
            if (!is_child_age && !rx_text_may_have(&t->text, f->keywords[k]))
                continue;
            rx_text_normalise(f->keywords[k], norm, sizeof norm);
            if (says_faq_word(t, norm, is_child_age))
                return true;
        }
    }
    return false;
}

bool rx_faq_has_keyword(struct rx_turn *t)
{
    if (!t->faq.is_keyword_read) {
        t->faq.has_keyword = says_any_keyword(t);
        t->faq.is_keyword_read = true;
    }
    return t->faq.has_keyword;
}

void rx_faq_say(struct rx_turn *t, struct rx_faq_pick best)
{
    rx_say_gap(t);
    if (best.is_policy) {
        t->out->intent = "policy";
        t->mem->intents_seen |= RX_INTENT_POLICY;
        rx_say_put(&t->say, t->cfg->policies[best.index].text);
    } else {
        t->out->intent = "faq";
        t->mem->intents_seen |= RX_INTENT_FAQ;
        rx_say_put(&t->say, t->cfg->faq[best.index].answer);
    }
}
