/* lib/receptionist/rx_services.c: answers about the services the business lists: price, duration,
 * description, "do you offer X", the lists of services and prices; and which listed
 * service a question means when it does not name one as configured: a form of a word of
 * its name ("snake a drain", a guess said back by name), the one being booked or just
 * talked about ("how much is it?"), a detail of its description ("and highlights?").
 * Prices are only ever read from the configuration. Services the business does not list
 * are rx_services_not_offered.c's. */
#include <string.h>

#include "receptionist/rx_answer_parts.h"
#include "receptionist/rx_names.h"

static void say_service_price(struct rx_turn *t, const struct agent_service *svc)
{
    rx_say_name(&t->say, svc->name);
    if (svc->has_price) {
        rx_say_put(&t->say, ", ");
        rx_say_price(&t->say, svc);
    } else {
        rx_say_put(&t->say, ", which has no fixed price");
    }
}

void rx_answer_price(struct rx_turn *t)
{
    struct rx_say *s = &t->say;
    t->out->intent = "price";
    t->mem->intents_seen |= RX_INTENT_PRICE;
    rx_say_gap(t);
    if (t->nservices > 1) {
        rx_say_put(s, "The prices are: ");
        for (int i = 0; i < t->nservices; i++) {
            if (i > 0)
                rx_say_put(s, i + 1 == t->nservices ? "; and " : "; ");
            say_service_price(t, &t->cfg->services[t->services[i]]);
        }
        rx_say_put(s, ".");
        return;
    }
    const struct agent_service *svc = &t->cfg->services[t->services[0]];
    if (svc->has_price) {
        rx_say_put(s, "The price for ");
        rx_say_name(s, svc->name);
        rx_say_put(s, " is ");
        rx_say_price(s, svc);
        rx_say_put(s, ".");
    } else {
        rx_say_name(s, svc->name);
        rx_say_put(s, " has no fixed price.");
    }
    if (svc->description[0] != '\0') {
        rx_say_put(s, " ");
        rx_say_put(s, svc->description);
    }
}

void rx_answer_price_list(struct rx_turn *t)
{
    struct rx_say *s = &t->say;
    t->out->intent = "price";
    t->mem->intents_seen |= RX_INTENT_PRICE;
    rx_say_gap(t);
    if (t->cfg->nservices == 0) {
        rx_say_put(s, "I'm sorry, I don't have any prices to give you; I can take a message for the team.");
        return;
    }
    rx_say_put(s, "Our prices: ");
    size_t n = t->cfg->nservices < 6 ? t->cfg->nservices : 6;
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            rx_say_put(s, i + 1 == n && n == t->cfg->nservices ? " and " : ", ");
        say_service_price(t, &t->cfg->services[i]);
    }
    rx_say_put(s, n < t->cfg->nservices ? ", among others. Which service are you interested in?" : ".");
}

void rx_answer_service(struct rx_turn *t)
{
    const struct agent_service *svc = &t->cfg->services[t->services[0]];
    char name[AGENT_NAME_MAX * 4 + 1];
    struct rx_say n;
    t->out->intent = "service";
    t->mem->intents_seen |= RX_INTENT_SERVICES;
    rx_note_service_answered(t->mem, t->services[0]);
    rx_say_init(&n, name, sizeof name);
    rx_say_name(&n, svc->name);
    rx_say_gap(t);
    if (rx_hours_say_service_closed(t, name))
        return;
    RX_FILL(&t->say, rx_pick(t, rx_yes_we_offer_wordings), name);
    if (svc->description[0] != '\0') {
        rx_say_put(&t->say, svc->description);
        rx_say_put(&t->say, " ");
    }
    rx_say_put(&t->say, "It takes about ");
    rx_say_int(&t->say, svc->duration_minutes);
    rx_say_put(&t->say, " minutes");
    if (svc->has_price) {
        rx_say_put(&t->say, " and costs ");
        rx_say_price(&t->say, svc);
    }
    rx_say_put(&t->say, ".");
}

void rx_answer_services(struct rx_turn *t)
{
    t->out->intent = "services";
    t->mem->intents_seen |= RX_INTENT_SERVICES;
    rx_say_gap(t);
    if (t->cfg->nservices == 0) {
        rx_say_put(&t->say, "I don't have a list of services to give you, but I can take a message for the team.");
        return;
    }
    rx_say_put(&t->say, "We offer ");
    rx_say_services(t, 8);
    rx_say_put(&t->say, ".");
}

/* "How long does it take?": "Whitening takes about 90 minutes." */
void rx_answer_duration(struct rx_turn *t)
{
    const struct agent_service *svc = &t->cfg->services[t->services[0]];
    t->out->intent = "service";
    t->mem->intents_seen |= RX_INTENT_SERVICES;
    rx_say_gap(t);
    rx_say_name(&t->say, svc->name);
    rx_say_put(&t->say, " takes about ");
    rx_say_int(&t->say, svc->duration_minutes);
    rx_say_put(&t->say, " minutes.");
}

/* ---- a service named in another form ---- */

/* The length of a word's stem, its ending dropped ("snaking" and "snake": "snak";
 * "roots": "root"; "clogged": "clog"), to match a form the caller said of a service's
 * word that rx_text_has_norm_forms does not allow. */
static size_t stem_len(const char *w, size_t n)
{
    if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's')
        n--;
    if (n > 5 && memcmp(w + n - 3, "ing", 3) == 0)
        n -= 3;
    else if (n > 4 && (memcmp(w + n - 2, "ed", 2) == 0 || memcmp(w + n - 2, "ie", 2) == 0))
        n -= 2;
    if (n > 3 && (w[n - 1] == 'e' || w[n - 1] == 'y'))
        n--;
    if (n > 3 && w[n - 1] == w[n - 2])
        n--;
    return n;
}

static bool is_same_stem(const char *a, size_t an, const char *b, size_t bn)
{
    size_t as = stem_len(a, an), bs = stem_len(b, bn);
    return as == bs && memcmp(a, b, as) == 0;
}

/* First words of aliases (or words of the caller) too common to name a service alone
 * ("call" of "service call", "hair" of "hair color", "water" of "water heater"). */
static const char *const loose_too_common[] = {
    "service", "call", "hair", "deep", "blow", "water", "teeth", "tooth", "dental", "broken",
    "sewer", "ladies", "mens", "womens", "fill", "clean", "check", NULL};

#define LOOSE_WORDS_MAX 24

/* The stems of the caller's words that may name a service, found once per turn: a
 * business may list hundreds of aliases. */
struct loose_words {
    const char *at[LOOSE_WORDS_MAX];
    size_t len[LOOSE_WORDS_MAX];        /* of the stem */
    int n;
};

static void loose_words_init(struct loose_words *lw, const struct rx_text *x)
{
    lw->n = 0;
    for (const char *p = x->norm + 1; *p != '\0' && lw->n < LOOSE_WORDS_MAX; p += rx_word_len(p) + 1) {
        size_t n = rx_word_len(p);
        if (n < 4 || rx_is_word_of(p, n, loose_too_common))
            continue;
        lw->at[lw->n] = p;
        lw->len[lw->n++] = stem_len(p, n);
    }
}

/* True if the word w (n letters, lowercase) is a form of a caller's word: of four
 * letters or more, or of three that a longer word of the caller's stems to ("hem" of
 * "hemmed", "wax" of "waxing"; a three-letter word said as such is too common). */
static bool is_loose_word(const struct loose_words *lw, const char *w, size_t n)
{
    if (n < 3 || rx_is_word_of(w, n, loose_too_common))
        return false;
    size_t stem = n == 3 ? 3 : stem_len(w, n);
    for (int i = 0; i < lw->n; i++)
        if (lw->len[i] == stem && memcmp(lw->at[i], w, stem) == 0)
            return true;
    return false;
}

/* A word of a configured name or alias, as the caller's words are read (lowercase, no
 * apostrophe); is_held: a form of a caller's word. */
struct phrase_word {
    char w[32];
    size_t n;                           /* sizeof w: too long, never held */
    bool is_held;
};

/* Reads the word of a name or alias that starts at p (a hyphen parts words as a space
 * does) into *pw. Returns where the next word starts. */
static const char *read_phrase_word(const struct loose_words *lw, const char *p, struct phrase_word *pw)
{
    pw->n = 0;
    for (; *p != '\0' && *p != ' ' && *p != '-'; p++)
        if (*p != '\'' && pw->n < sizeof pw->w)
            pw->w[pw->n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    pw->is_held = pw->n < sizeof pw->w && is_loose_word(lw, pw->w, pw->n);
    while (*p == ' ' || *p == '-')
        p++;
    return p;
}

/* How many words of phrase (a name or alias) are forms of the caller's words, its first
 * among them; 0 if its first is not ("snake a drain": "snaking"; "furnace needs a tune
 * up": both words of "furnace tune-up"). */
static int loose_words_held(const struct loose_words *lw, const char *phrase)
{
    int held = 0;
    bool is_first = true;
    for (const char *p = phrase; *p != '\0';) {
        struct phrase_word pw;
        p = read_phrase_word(lw, p, &pw);
        if (is_first && !pw.is_held)
            return 0;
        held += pw.is_held;
        is_first = false;
    }
    return held;
}

/* The words of phrase when every one of them, two or more, is a form of a caller's word,
 * in any order ("my wheel is all wobbly": "wobbly wheel"); 0 otherwise. A short word
 * counts when said as such ("my eyes are so dry": "dry eyes"): the whole phrase is
 * asked for, so it is no longer too common to tell. */
static int loose_words_whole(const struct loose_words *lw, const struct rx_text *x, const char *phrase)
{
    int words = 0;
    for (const char *p = phrase; *p != '\0'; words++) {
        struct phrase_word pw;
        p = read_phrase_word(lw, p, &pw);
        if (!pw.is_held && pw.n == 3) {
            pw.w[3] = '\0';
            pw.is_held = rx_text_has(x, pw.w);
        }
        if (!pw.is_held)
            return 0;
    }
    return words >= 2 ? words : 0;
}

/* The one service whose name or an alias begins with a form of a word the caller said
 * ("snake a drain": "snaking"; "my roots done": "root touch up"), the one holding most
 * of them when several do, or -1 if none or a tie. Only where nothing else answers: it
 * is a guess, said back by name. */
static int find_loose_service(const struct rx_turn *t)
{
    struct loose_words lw;
    int found = -1, best = 0;
    bool is_tie = false;
    loose_words_init(&lw, &t->text);
    for (size_t i = 0; i < t->cfg->nservices && lw.n > 0; i++) {
        const struct agent_service *svc = &t->cfg->services[i];
        int held = loose_words_held(&lw, svc->name);
        for (size_t k = 0; k < svc->naliases; k++) {
            int h = loose_words_held(&lw, svc->aliases[k]);
            held = h > held ? h : held;
        }
        if (held > best) {
            best = held;
            found = (int)i;
            is_tie = false;
        } else if (held > 0 && held == best) {
            is_tie = true;
        }
    }
    return is_tie ? -1 : found;
}

/* The one service whose name or an alias of two or more words the caller said whole,
 * in any order; -1 if none or several. */
static int find_whole_loose_service(const struct rx_turn *t)
{
    struct loose_words lw;
    int found = -1;
    loose_words_init(&lw, &t->text);
    for (size_t i = 0; i < t->cfg->nservices && lw.n > 0; i++) {
        const struct agent_service *svc = &t->cfg->services[i];
        bool is_named = loose_words_whole(&lw, &t->text, svc->name) > 0;
        for (size_t k = 0; k < svc->naliases && !is_named; k++)
            is_named = loose_words_whole(&lw, &t->text, svc->aliases[k]) > 0;
        if (is_named && found >= 0)
            return -1;
        if (is_named)
            found = (int)i;
    }
    return found;
}

static void use_service(struct rx_turn *t, int index)
{
    t->services[0] = index;
    t->nservices = 1;
    rx_note_service(t->mem, index, t->raw);
}

bool rx_use_whole_loose_service(struct rx_turn *t)
{
    int index = find_whole_loose_service(t);
    if (index < 0 || rx_note_foreign_kind(t))
        return false;
    use_service(t, index);
    return true;
}

bool rx_says_service_word(const struct rx_turn *t)
{
    struct loose_words lw;
    loose_words_init(&lw, &t->text);
    for (size_t i = 0; i < t->cfg->nservices && lw.n > 0; i++) {
        const struct agent_service *svc = &t->cfg->services[i];
        for (size_t k = 0; k <= svc->naliases; k++) {
            const char *p = k == 0 ? svc->name : svc->aliases[k - 1];
            while (*p != '\0') {
                struct phrase_word pw;
                p = read_phrase_word(&lw, p, &pw);
                if (pw.is_held)
                    return true;
            }
        }
    }
    return false;
}

bool rx_use_loose_service(struct rx_turn *t)
{
    if (rx_note_foreign_kind(t))
        return false;       /* "a thai massage" is none of the massages sold */
    /* a name or alias said whole first ("my eyes are so dry": dry eyes, not the eye exam
     * that "eyes" begins) */
    int index = find_whole_loose_service(t);
    index = index >= 0 ? index : find_loose_service(t);
    if (index < 0)
        return false;
    use_service(t, index);
    return true;
}

/* ---- a question about the service just talked about ---- */

/* Words that add nothing to a question about a service ("how much is it then?"). */
static const char *const question_fillers[] = {
    "much", "price", "prices", "cost", "costs", "charge", "pricing", "about", "then",
    "please", "okay", "also", "like", "well", "just", "really", "them", "they", "those",
    "long", "doing", "done", "need", "want", "know", "tell", NULL};

static bool is_content_word(const char *w, size_t n)
{
    return !rx_is_stop_word(w, n) && !rx_is_word_of(w, n, question_fillers);
}

/* True if the caller said no word beyond a question's ("how much?", "and how long?"). */
static bool is_bare_question(const struct rx_text *x)
{
    for (const char *p = x->norm + 1; *p != '\0'; p += rx_word_len(p) + 1)
        if (is_content_word(p, rx_word_len(p)))
            return false;
    return true;
}

/* True if norm (a normalised sentence) holds a form of every content word of the text;
 * the caller said at least one. */
static bool holds_content_words(const struct rx_text *x, const char *norm)
{
    for (const char *p = x->norm + 1; *p != '\0'; p += rx_word_len(p) + 1) {
        size_t n = rx_word_len(p);
        bool is_held = !is_content_word(p, n);
        for (const char *q = norm; *q != '\0' && !is_held; q += rx_word_len(q) + (q[rx_word_len(q)] == ' '))
            is_held = is_same_stem(p, n, q, rx_word_len(q));
        if (!is_held)
            return false;
    }
    return !is_bare_question(x);
}

/* "and highlights?" just after color: the sentence of the description of the service
 * talked about last that holds every word the caller added ("Highlights are priced at
 * the consultation."); false if none does. A sentence too long for the buffers is
 * skipped: descriptions are a few short sentences. */
bool rx_answer_from_description(struct rx_turn *t)
{
    const struct rx_memory *m = t->mem;
    char said[AGENT_SHORT_TEXT_MAX * 4 + 1], norm[AGENT_SHORT_TEXT_MAX * 4 + 1];
    if (t->nservices > 0 || m->nservices_asked == 0)
        return false;
    const char *s = t->cfg->services[m->services_asked[m->nservices_asked - 1]].description;
    while (*s != '\0') {
        const char *e = strpbrk(s, ".!?");
        size_t n = e != NULL ? (size_t)(e - s) + 1 : strlen(s);
        if (n < sizeof said) {
            memcpy(said, s, n);
            said[n] = '\0';
            rx_text_normalise(said, norm, sizeof norm);
            if (holds_content_words(&t->text, norm)) {
                t->out->intent = "service";
                t->mem->intents_seen |= RX_INTENT_SERVICES;
                rx_say_gap(t);
                rx_say_put(&t->say, said);
                return true;
            }
        }
        s += n;
        while (*s == ' ')
            s++;
    }
    return false;
}

/* The service a price or duration question without one is about: one named in another
 * form ("snake a drain"), else the one being booked, else the one just talked about
 * ("how much is it?", or a bare "how much?"). */
void rx_find_service_asked_about(struct rx_turn *t)
{
    const struct rx_memory *m = t->mem;
    if (rx_use_loose_service(t))
        return;
    int it = m->task == RX_TASK_BOOKING ? m->service_index : -1;
    bool is_about_it = rx_text_has_any(&t->text, rx_it_words) || is_bare_question(&t->text);
    if (it < 0 && m->nservices_asked > 0 && is_about_it)
        it = m->services_asked[m->nservices_asked - 1];
    if (it >= 0 && it < (int)t->cfg->nservices) {
        t->services[0] = it;
        t->nservices = 1;
    }
}

/* The caller's word w (n bytes) is head, the last word of a service's name, or its
 * plural ("lessons", "washes"). */
static bool is_head_word(const char *head, size_t hn, const char *w, size_t n)
{
    return (hn == n && memcmp(head, w, n) == 0) || (n == hn + 1 && w[hn] == 's' && memcmp(head, w, hn) == 0) ||
           (n == hn + 2 && w[hn] == 'e' && w[hn + 1] == 's' && memcmp(head, w, hn) == 0);
}

#define KIND_WORDS_MAX 16

bool rx_find_services_of_kind(struct rx_turn *t, bool is_plural_only)
{
    /* the caller's words that may name a kind, in order */
    const char *words[KIND_WORDS_MAX];
    size_t lens[KIND_WORDS_MAX];
    int nwords = 0;
    for (const char *p = t->text.norm + 1; *p != '\0' && nwords < KIND_WORDS_MAX;
         p += rx_word_len(p) + (p[rx_word_len(p)] == ' ')) {
        size_t n = rx_word_len(p);
        /* with a service named already, only the plural word that named it alone
         * ("haircuts" for the alias "haircut", not "men's haircuts") */
        bool is_naming_word = t->nservices == 1 && t->service_at[0] == (size_t)(p - t->text.norm);
        if (n < 4 || rx_is_common_word(p, n) || (is_plural_only && (p[n - 1] != 's' || !is_naming_word)))
            continue;
        words[nwords] = p;
        lens[nwords++] = n;
    }
    if (nwords == 0)
        return false;
    /* each service's name normalised once: the services each word is the kind of */
    int found[KIND_WORDS_MAX][RX_TURN_SERVICES];
    int nfound[KIND_WORDS_MAX] = {0};
    for (size_t i = 0; i < t->cfg->nservices; i++) {
        char norm[AGENT_NAME_MAX * 4 + 1];
        rx_text_normalise(t->cfg->services[i].name, norm, sizeof norm);
        const char *head = strrchr(norm, ' ');
        head = head != NULL ? head + 1 : norm;
        size_t hn = strlen(head);
        for (int k = 0; k < nwords; k++)
            if (nfound[k] < RX_TURN_SERVICES && is_head_word(head, hn, words[k], lens[k]))
                found[k][nfound[k]++] = (int)i;
    }
    for (int k = 0; k < nwords; k++) {
        if (nfound[k] >= 2) {
            memcpy(t->services, found[k], sizeof found[k][0] * (size_t)nfound[k]);
            t->nservices = nfound[k];
            return true;
        }
    }
    return false;
}
