/* lib/receptionist/rx_search.h: the text of the configuration that answers a question,
 * found by the words of the question and of the answer: the FAQ (questions, answers and
 * keywords), the policies, the services' descriptions and the address. "Is there a fee
 * if I'm late?" finds the late-arrival policy, "what floor are you on?" the address's
 * directions, though neither holds the FAQ's keywords. */
#ifndef FD_RX_SEARCH_H
#define FD_RX_SEARCH_H
#include <stdbool.h>
#include <stddef.h>

#include "agent/agent_config.h"

enum rx_search_kind { RX_SEARCH_NONE, RX_SEARCH_FAQ, RX_SEARCH_POLICY, RX_SEARCH_SERVICE, RX_SEARCH_ADDRESS };

struct rx_search_hit {
    enum rx_search_kind kind;
    size_t index;           /* of the FAQ entry, policy or service */
    double score;           /* the rarity of the question's words the text holds */
    double topic_score;     /* the same without the words of money ("fee", "payment") */
    size_t topic_words;     /* how many of the question's words of a topic it holds */
    size_t uncommon_words;  /* ... of which not common words of speech ("take") */
};

/* The text that best answers question (the caller's words); kind NONE when no text
 * holds any of its words. */
struct rx_search_hit rx_search(const struct agent_config *config, const char *question);

/* The text that best answers question by the words the FAQ entry faq (its index) does
 * not hold, and *faq_score that entry's score by all of them: whether the words the
 * keywords' pick leaves out find a text far better ("leave extra money for the
 * therapist": tipping, not who the therapists are). */
struct rx_search_hit rx_search_against_faq(const struct agent_config *config, const char *question, size_t faq,
                                           double *faq_score);

/* True if the description (or an alias) of the service (its index), and not its name,
 * holds a word of the question that is not a common word of speech: "do i have to leave
 * her there all day?" of a dental cleaning that is "a drop-off appointment". */
bool rx_search_service_tells(const struct agent_config *config, const char *question, size_t service);
/* The same, with is_common_ok also by a common word of speech ("bring" in "what am I
 * supposed to bring to that?" of a fitting whose description says "bring your shoes"):
 * for the service being booked, which the question is already known to be about. */
bool rx_search_service_tells_in(const struct agent_config *config, const char *question, size_t service,
                                bool is_common_ok);

/* The same among the FAQ answers and policies that name a sum ("$65"): what a price
 * question asks when the text its words find first names none ("how much if I don't
 * have insurance?": the payment policy, not the insurance FAQ). */
struct rx_search_hit rx_search_priced(const struct agent_config *config, const char *question);

/* The same, weighing only the words the service (its index) does not hold: what a
 * question naming a service asks beyond it ("how long's the warranty on the install?"). */
struct rx_search_hit rx_search_beyond_service(const struct agent_config *config, const char *question,
                                              size_t service);

/* The question's words weighed against the configuration: of those that are not
 * common words of speech (rx_is_common_word) or given names, how many some text holds in any form,
 * how many of those one text alone holds, and how many no text holds: what the caller
 * asks about that the business never wrote ("vegan" in "do you use vegan polish?",
 * "spanish" in "do your vets speak spanish?"). A phrase of callers for a word
 * businesses write ("running behind") counts as held, and as held once when one text
 * alone holds that word ("as far as hayward": the areas served). */
struct rx_search_focus {
    size_t held, held_once, unheld;
};
struct rx_search_focus rx_search_focus(const struct agent_config *config, const char *question);

/* True if the word w (n letters, lowercase) names a kind of thing and no service of the
 * configuration holds it in any form (its name, aliases and description): "thai" in
 * "a thai massage", "lash" in "a lash fill" where only acrylic fills are sold. False for
 * a common word of speech, a stop word, a given name or a number. */
bool rx_search_is_foreign_to_services(const struct agent_config *config, const char *w, size_t n);

/* rx_search_words.c: the words never weighed, and the words callers use mapped onto
 * the stem of the word businesses write. */
struct rx_search_synonym {
    const char *word;       /* a stem as rx_search cuts it */
    const char *stem;       /* the stem it stands for */
    bool is_question_only;  /* only in a caller's question: "running behind" is late,
                             * "behind the building" in a business's text is not */
};
extern const char *const rx_search_stop_words[];
extern const struct rx_search_synonym rx_search_synonyms[];
/* Phrases of callers (word: lowercase, no apostrophes) and the stem they stand for. */
extern const struct rx_search_synonym rx_search_phrases[];

#endif
