/* lib/receptionist/rx_services_not_offered.c: a service the caller asked for that the business does
 * not list is never invented. Finds the caller's words for it, after a cue like "do you
 * fix" ("I'm sorry, we don't fix garbage disposals"), or a listed service named with an
 * age group it lacks ("kids cut" is not the women's haircut that the alias "cut"
 * finds), and says so with what is offered. Separate from rx_services.c: this side
 * starts from the caller's words, that one from the services configured. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "receptionist/rx_answer_parts.h"
#include "receptionist/rx_names.h"
#include "receptionist/rx_tokens.h"

/* ---- a service the business does not list, after a cue ---- */

/* Appends the word w (n bytes) to buf (size bytes, *len used), the caller's "my"
 * said back as "your"; false if it does not fit. */
static bool put_word(char *buf, size_t *len, size_t size, const char *w, size_t n)
{
    if (n == 2 && memcmp(w, "my", 2) == 0) {
        w = "your";
        n = 4;
    }
    if (*len + n + 2 > size)
        return false;
    if (*len > 0)
        buf[(*len)++] = ' ';
    memcpy(buf + *len, w, n);
    *len += n;
    buf[*len] = '\0';
    return true;
}

/* Up to 4 words of norm from p into buf (size bytes) until an end word, the caller's
 * "my" said back as "your"; the number of bytes written. */
static size_t copy_service_words(const char *p, char *buf, size_t size)
{
    static const char *const ends[] = {
        "cost", "costs", "please", "for", "on", "at", "tomorrow", "today", "and", "with", "in",
        "this", "next", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "sunday", "there", "here", "done", "run", "be", "charge", "if", "or", "that", "i", "id",
        "im", "ill", "ive", "we", "she", "he", "they", "because", "cause", "since", "so", "like",
        NULL};
    size_t n = 0;
    buf[0] = '\0';
    for (int words = 0; *p != '\0' && words < 4; words++) {
        const char *e = strchr(p, ' ');
        size_t wn = e != NULL ? (size_t)(e - p) : strlen(p);
        if (wn == 0 || rx_is_word_of(p, wn, ends) || !put_word(buf, &n, size, p, wn))
            break;
        p += wn;
        while (*p == ' ')
            p++;
    }
    return n;
}

/* "a table" when the business lists "table for 2" and "table for 4", "an exam" when it
 * lists "comprehensive eye exam": which one is not said yet, but it is not a service
 * the business lacks. */
static bool begins_a_service(const struct agent_config *c, const char *words)
{
    static const char *const articles[] = {"a ", "an ", "the ", "your ", NULL};
    for (size_t i = 0; articles[i] != NULL; i++)
        if (strncmp(words, articles[i], strlen(articles[i])) == 0)
            words += strlen(articles[i]);
    size_t n = strlen(words);
    for (size_t i = 0; i < c->nservices; i++) {
        const char *name = c->services[i].name;
        size_t len = strlen(name);
        if (strncasecmp(name, words, n) == 0 && name[n] == ' ')
            return true;
        if (len > n && name[len - n - 1] == ' ' && strcasecmp(name + len - n, words) == 0)
            return true;
    }
    return false;
}

/* The caller's words of what (n bytes), which start at byte at of the turn's norm, up
 * to the end of their clause as transcribed: "piano tuning, our old upright is out of
 * tune" asks for piano tuning. The new length of what. */
static size_t cut_at_clause_end(const struct rx_turn *t, size_t at, char *what, size_t n)
{
    struct rx_tokens ws;
    rx_tokenise(t->raw, &ws);
    if (ws.n != t->text.nwords)
        return n;           /* the transcription's words and the norm's do not line up */
    size_t first = 0;       /* the norm is " w w w ": a word ends at each space after the first */
    for (size_t i = 1; i < at && t->text.norm[i] != '\0'; i++)
        first += t->text.norm[i] == ' ';
    size_t words = 0;
    for (size_t i = 0; i < n; i++) {
        if (what[i] != ' ')
            continue;
        words++;
        if (first + words < ws.n && ws.t[first + words].is_break_before) {
            what[i] = '\0';
            return i;
        }
    }
    return n;
}

/* What the caller asked for after a cue like "do you do" (rx_service_cues), if it is
 * not a known service, with the verb of the reply: "offer root canals", "fix garbage
 * disposals". */
static bool unknown_service_words(struct rx_turn *t, char *buf, size_t size)
{
    static const char *const not_services[] = {
        "it", "that", "this", "you", "an appointment", "appointment", "appointments", "time",
        "one", "something", "someone", "anything", "any", "openings", "opening",
        "availability", "available", "free", "room", "space", "question", "a question",
        "any openings", "an opening", "anyone", "anybody", "your", "the", "any availability",
        "slots", "a slot", "spot", "a spot", "me", "them", "those", "these", "then", "now",
        "exactly", "there", "here", "guys", "you guys", "stuff", "things", "you all", "yall", NULL};
    /* "how much is it to snake a drain": a verb follows, not a service */
    static const char *const pronouns[] = {"it", "that", "this", NULL};
    for (size_t i = 0; rx_service_cues[i].cue != NULL; i++) {
        const struct rx_service_cue *c = &rx_service_cues[i];
        const char *p = strstr(t->text.norm, c->cue);
        if (p == NULL)
            continue;
        size_t vn = strlen(c->verb) + 1;
        if (vn >= size)
            continue;
        char *what = buf + vn;
        size_t n = copy_service_words(p + strlen(c->cue), what, size - vn);
        n = cut_at_clause_end(t, (size_t)(p - t->text.norm) + strlen(c->cue), what, n);
        const char *space = strchr(what, ' ');
        size_t first = space != NULL ? (size_t)(space - what) : n;
        if (n == 0 || rx_is_word_of(what, n, not_services) || rx_is_word_of(what, first, pronouns) ||
            begins_a_service(t->cfg, what))
            continue;
        memcpy(buf, c->verb, vn - 1);
        buf[vn - 1] = ' ';
        return true;
    }
    return false;
}

/* True if the text holds the normalised phrase, in any case, between words. */
static bool text_holds(const char *text, const char *phrase)
{
    return rx_text_find_word(text, text, phrase) != NULL;
}

/* The text holds the word in the plural ("tickets" for "ticket"). */
static bool holds_plural(const char *text, const char *word)
{
    char plural[64];
    snprintf(plural, sizeof plural, "%ss", word);
    return text_holds(text, plural);
}

/* The business sells it or speaks of it: a name, alias or description of its services,
 * or its FAQ and policies, holds the phrase; or an FAQ answer its last word. */
static bool is_own_matter(const struct agent_config *c, const char *phrase)
{
    for (size_t i = 0; i < c->nservices; i++) {
        if (text_holds(c->services[i].name, phrase) || text_holds(c->services[i].description, phrase))
            return true;
        for (size_t k = 0; k < c->services[i].naliases; k++)
            if (text_holds(c->services[i].aliases[k], phrase))
                return true;
    }
    /* an FAQ entry about its kind answers better than a refusal: "traffic tickets" in
     * "what cases do you not take?" for "a speeding ticket" */
    const char *head = strrchr(phrase, ' ');
    head = head != NULL ? head + 1 : phrase;
    for (size_t i = 0; i < c->nfaq; i++)
        if (text_holds(c->faq[i].question, phrase) || text_holds(c->faq[i].answer, phrase) ||
            text_holds(c->faq[i].answer, head) || holds_plural(c->faq[i].answer, head))
            return true;
    for (size_t i = 0; i < c->npolicies; i++)
        if (text_holds(c->policies[i].text, phrase))
            return true;
    return false;
}

/* words ends with phrase, perhaps in the plural. */
static bool ends_with_phrase(const char *words, const char *phrase)
{
    size_t n = strlen(words), k = strlen(phrase);
    for (size_t extra = 0; extra <= 2; extra++)
        if (n >= k + extra && strncmp(words + n - k - extra, phrase, k) == 0 &&
            (n == k + extra || words[n - k - extra - 1] == ' ') &&
            (extra == 0 || strcmp(words + n - extra, extra == 1 ? "s" : "es") == 0))
            return true;
    return false;
}

/* The verb of the caller's question ("do you fix": "fix"), else "offer". */
static const char *cue_verb(const struct rx_turn *t)
{
    for (size_t i = 0; rx_service_cues[i].cue != NULL; i++)
        if (strstr(t->text.norm, rx_service_cues[i].cue) != NULL)
            return rx_service_cues[i].verb;
    return "offer";
}

size_t rx_trade_services_said(struct rx_turn *t, const struct rx_trade_said **said)
{
    if (!t->is_trade_read) {
        t->is_trade_read = true;
        t->ntrade_said = 0;
        for (size_t i = 0; rx_common_services[i] != NULL; i++) {
            const char *phrase = rx_common_services[i];
            size_t n = strlen(phrase), at;
            /* the Bloom filter knows a phrase's first word as said; a one-word "-ing" may
             * be said in another form ("detailed") */
            bool may_be_said = rx_text_may_have(&t->text, phrase) ||
                               (n >= 6 && memcmp(phrase + n - 3, "ing", 3) == 0 && memchr(phrase, ' ', n) == NULL);
            if (may_be_said && rx_text_has_norm_forms(&t->text, phrase, &at) &&
                t->ntrade_said < sizeof t->trade_said / sizeof t->trade_said[0])
                t->trade_said[t->ntrade_said++] = (struct rx_trade_said){i, at};
        }
    }
    *said = t->trade_said;
    return t->ntrade_said;
}

/* True if the words just before offset at of norm say what something is for: "for",
 * perhaps with an article or "my" between ("for a wedding", "for my party"). */
static bool is_purpose(const char *norm, size_t at)
{
    static const char *const between[] = {"a ", "an ", "the ", "my ", "our ", "her ", "his ", NULL};
    for (size_t i = 0; between[i] != NULL; i++) {
        size_t n = strlen(between[i]);
        if (at >= n && strncmp(norm + at - n, between[i], n) == 0 && (at == n || norm[at - n - 1] == ' ')) {
            at -= n;
            break;
        }
    }
    return at >= 5 && strncmp(norm + at - 5, " for ", 5) == 0;
}

/* The longest service trades commonly sell that the turn names and the business does
 * not, with the verb of the reply, in the caller's number: "offer root canals", "fix
 * garbage disposals"; false if none. */
static bool common_service_words(struct rx_turn *t, char *buf, size_t size)
{
    const char *best = NULL;
    size_t best_len = 0, best_at = 0;
    if (t->nservices > 0)
        return false;
    const struct rx_trade_said *said;
    size_t nsaid = rx_trade_services_said(t, &said);
    for (size_t i = 0; i < nsaid; i++) {
        const char *phrase = rx_common_services[said[i].index];
        size_t n = strlen(phrase);
        if (n > best_len && !is_own_matter(t->cfg, phrase)) {
            best = phrase;
            best_len = n;
            best_at = said[i].at;
        }
    }
    if (best == NULL)
        return false;
    /* "do you do henna, like for a wedding party": a trade's service said as what the
     * thing asked for is for is not what was asked for; the words after the cue are */
    char cue_words[128];
    if (is_purpose(t->text.norm, best_at) && unknown_service_words(t, cue_words, sizeof cue_words) &&
        strstr(cue_words, best) == NULL)
        return false;
    /* said in the plural, said back so; other forms ("detailed") as the trade says it;
     * with the caller's own word for which kind, when one comes first ("ferret
     * vaccination"), not a word of every sentence ("my", "a", "the") */
    const char *norm = t->text.norm;
    const char *end = norm + best_at + best_len;
    int plural = strncmp(end, "s ", 2) == 0 ? 1 : strncmp(end, "es ", 3) == 0 ? 2 : 0;
    size_t kind_at = best_at;
    if (best_at >= 2) {
        size_t k = best_at - 1;
        while (k > 0 && norm[k - 1] != ' ')
            k--;
        size_t n = best_at - 1 - k;
        if (n >= 3 && !rx_is_common_word(norm + k, n) &&
            !(norm[k] >= '0' && norm[k] <= '9'))
            kind_at = k;
    }
    snprintf(buf, size, "%s %.*s%s%.*s", cue_verb(t), (int)(best_at - kind_at), norm + kind_at, best, plural, end);
    /* the caller's words after "do you do" are theirs in full when they end with it
     * ("offer koi sleeve tattoos"); not when more follows ("wheel alignments its pulling") */
    char cue[128];
    if (unknown_service_words(t, cue, sizeof cue) && ends_with_phrase(cue, best))
        snprintf(buf, size, "%s", cue);
    return true;
}

/* "I'm sorry, we don't offer root canals" (lead, then what), counted as a service not
 * offered. */
static void say_sorry(struct rx_turn *t, const char *lead, const char *what)
{
    t->mem->intents_seen |= RX_INTENT_UNKNOWN_SERVICE;
    rx_say_gap(t);
    rx_say_put(&t->say, lead);
    rx_say_put(&t->say, what);
}

static void say_not_offered(struct rx_turn *t, const char *what)
{
    t->out->intent = "unknown_service";
    say_sorry(t, "I'm sorry, we don't ", what);
    if (t->cfg->nservices > 0) {
        rx_say_put(&t->say, "; we do offer ");
        rx_say_services(t, 8);
    }
    rx_say_put(&t->say, ".");
}

bool rx_say_also_not_offered(struct rx_turn *t)
{
    char what[128];
    int n = t->nservices;
    t->nservices = 0;       /* a trade's service said beside the business's own */
    bool is_found = common_service_words(t, what, sizeof what);
    t->nservices = n;
    if (!is_found)
        return false;
    say_sorry(t, "I'm sorry, we don't ", what);
    rx_say_put(&t->say, ".");
    return true;
}

bool rx_names_common_service(struct rx_turn *t)
{
    char what[128];
    return common_service_words(t, what, sizeof what);
}

bool rx_answer_common_service(struct rx_turn *t)
{
    char what[128];
    if (!common_service_words(t, what, sizeof what))
        return false;
    say_not_offered(t, what);
    return true;
}

/* Words after a cue that no trade's vocabulary knows ("do you do financing", "do you
 * have showers"): the business may well have it without saying so, so the caller is
 * not told no, but what is offered and that someone can call back about it. */
static void say_not_listed_unsure(struct rx_turn *t, const char *what)
{
    t->out->intent = "unknown_service";
    say_sorry(t, "I'm sorry, I don't know whether we ", what);
    rx_say_put(&t->say, ".");
    if (t->cfg->nservices > 0) {
        rx_say_put(&t->say, " We offer ");
        rx_say_services(t, 8);
        rx_say_put(&t->say, ".");
    }
    rx_say_put(&t->say, " I can take a message so someone from the team can get back to you about it. Would you like that?");
    t->mem->pending = RX_ASK_OFFER_MESSAGE;
}

bool rx_answer_unknown_service(struct rx_turn *t)
{
    char what[128];
    if (t->nservices > 0)
        return false;
    if (common_service_words(t, what, sizeof what)) {
        say_not_offered(t, what);
        return true;
    }
    if (!unknown_service_words(t, what, sizeof what))
        return false;
    /* in a booking, the booking's own question follows: no message offered over it */
    if (t->mem->task != RX_TASK_NONE)
        say_not_offered(t, what);
    else
        say_not_listed_unsure(t, what);
    return true;
}

/* ---- a listed service named with an age group it lacks ---- */

/* The start of the word before the one at offset at of norm (" w w w "), or at if
 * none. */
static size_t word_before(const char *norm, size_t at)
{
    if (at < 2 || norm[at - 2] == ' ')
        return at;
    size_t s = at - 2;
    while (s > 0 && norm[s - 1] != ' ')
        s--;
    return s;
}

/* True if a name or alias of svc holds an age word ("Kids cut"). */
static bool is_for_an_age(const struct agent_service *svc)
{
    char norm[AGENT_NAME_MAX * 4 + 1];
    for (size_t k = 0; k <= svc->naliases; k++) {
        rx_text_normalise(k == 0 ? svc->name : svc->aliases[k - 1], norm, sizeof norm);
        for (const char *p = norm; *p != '\0';) {
            size_t n = rx_word_len(p);
            if (rx_is_word_of(p, n, rx_age_words))
                return true;
            p += n;
            while (*p == ' ')
                p++;
        }
    }
    return false;
}

/* Where the caller named svc ([*at, *end) of the text), with the longest of its name
 * and aliases as find_services in receptionist.c picks it; false if not named. */
static bool find_named(const struct rx_text *x, const struct agent_service *svc, size_t *at,
                       size_t *end)
{
    char norm[AGENT_NAME_MAX * 4 + 1];
    size_t best_len = 0;
    for (size_t k = 0; k <= svc->naliases; k++) {
        const char *name = k == 0 ? svc->name : svc->aliases[k - 1];
        size_t a;
        if (!rx_text_may_have(x, name))
            continue;
        rx_text_normalise(name, norm, sizeof norm);
        size_t n = strlen(norm);
        if (n > best_len && rx_text_has_norm_forms(x, norm, &a)) {
            *at = a;
            best_len = n;
        }
    }
    if (best_len == 0)
        return false;
    *end = *at + best_len;
    *end += rx_word_len(x->norm + *end);      /* a plural or verb ending */
    return true;
}

/* The end of an age group said after a service ("cleanings for kids"), or end if none. */
static size_t age_after(const char *norm, size_t end)
{
    static const char *const fillers[] = {"my", "a", "the", "our", "two", "little", "young", NULL};
    const char *p = norm + end;
    while (*p == ' ')
        p++;
    if (rx_word_len(p) != 3 || memcmp(p, "for", 3) != 0)
        return end;
    p += 4;
    if (rx_is_word_of(p, rx_word_len(p), fillers))
        p += rx_word_len(p) + 1;
    size_t n = rx_word_len(p);
    return n > 0 && rx_is_word_of(p, n, rx_age_words) ? (size_t)(p - norm) + n : end;
}

/* The caller's words for svc with an age group it does not have ("kids cut",
 * "haircut for your kids") into buf (size bytes); false if svc was named without one. */
static bool age_qualified_words(const struct rx_turn *t, const struct agent_service *svc,
                                char *buf, size_t size)
{
    const char *norm = t->text.norm;
    size_t at = 0, end = 0;
    if (!find_named(&t->text, svc, &at, &end))
        return false;
    size_t start = at;
    for (size_t w = at, k = 0; k < 2 && word_before(norm, w) < w; k++) {
        w = word_before(norm, w);
        if (rx_is_word_of(norm + w, rx_word_len(norm + w), rx_age_words)) {
            start = w;
            break;
        }
    }
    size_t stop = start == at ? age_after(norm, end) : end;
    if ((start == at && stop == end) || is_for_an_age(svc))
        return false;
    size_t n = 0;
    buf[0] = '\0';
    for (const char *p = norm + start; p < norm + stop; p += rx_word_len(p) + 1)
        put_word(buf, &n, size, p, rx_word_len(p));
    return n > 0;
}

/* Drops from the turn the services the caller gave an age group they lack, and from the
 * call's memory if this turn noted them (so a later "book it" cannot pick one); the
 * caller's words for the first into buf ("" if none). */
void rx_drop_age_qualified(struct rx_turn *t, char *buf, size_t size)
{
    struct rx_memory *m = t->mem;
    char words[128];
    int kept = 0;
    buf[0] = '\0';
    for (int i = 0; i < t->nservices; i++) {
        int index = t->services[i];
        if (!age_qualified_words(t, &t->cfg->services[index], words, sizeof words)) {
            t->service_at[kept] = t->service_at[i];
            t->services[kept++] = index;
            continue;
        }
        if (buf[0] == '\0') {
            size_t n = strnlen(words, size - 1);
            memcpy(buf, words, n);
            buf[n] = '\0';
        }
        int last = m->nservices_asked - 1;
        size_t said = last >= 0 ? strlen(m->asked_words[last]) : 0;
        if (last >= 0 && m->services_asked[last] == index &&
            strncmp(m->asked_words[last], t->raw, said) == 0 && t->raw[said] == '\0') {
            m->services_asked[last] = -1;
            m->asked_words[last][0] = '\0';
            m->nservices_asked = last;
        }
    }
    t->nservices = kept;
}

/* "There's no kids cut on our list of services; we do offer ..." */
void rx_answer_not_listed(struct rx_turn *t, const char *words)
{
    t->out->intent = "unknown_service";
    t->mem->intents_seen |= RX_INTENT_UNKNOWN_SERVICE;
    rx_say_gap(t);
    rx_say_put(&t->say, "I'm sorry, there's no ");
    rx_say_put(&t->say, words);
    rx_say_put(&t->say, " on our list of services; we do offer ");
    rx_say_services(t, 8);
    rx_say_put(&t->say, ".");
}
