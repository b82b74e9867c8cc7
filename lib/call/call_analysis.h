/* lib/call/call_analysis.h: what a finished call tells the business, for its dashboard: a
 * lead score from 0 to 100 with the reasons behind it, the upsell opportunities the
 * conversation showed (with the caller's words that showed them), and a short summary.
 *
 * Deterministic and offline, from the receptionist's memory of the call (what the
 * caller asked for, named, booked, left) and the business's configuration (which
 * services are natural upsells of which): the same call always scores the same, and a
 * replayed hang-up writes the same rows. Nothing here can see another business: the
 * only inputs are the call's own memory and its business's configuration.
 *
 * The score (documented in docs/worker.md): 10 for a conversation; +50 a booking (or +30
 * a booking asked for and not finished); +10 a move; -10 a cancellation; +10 prices
 * asked; +5 per service named (at most +15); +15 a message for a callback; +10 a person
 * asked for; +20 an urgent keyword; +5 hours or the address asked; -5 not understood;
 * clamped to 0..100. A caller who said nothing scores 0. */
#ifndef FD_CALL_ANALYSIS_H
#define FD_CALL_ANALYSIS_H
#include <stdbool.h>

#include "receptionist/receptionist.h"

#define CALL_ANALYSIS_UPSELLS_MAX 4
#define CALL_ANALYSIS_REASONS_MAX 512
#define CALL_ANALYSIS_SUMMARY_MAX 512

struct call_upsell {
    char service[RX_TOOL_NAME_MAX];       /* what the caller asked for or booked */
    char suggested[RX_TOOL_NAME_MAX];     /* its natural upsell, not asked for */
    char evidence[RX_WORDS_MAX + 32];   /* the caller's words that named service */
};

struct call_analysis {
    int score;                                  /* 0..100 */
    char reasons[CALL_ANALYSIS_REASONS_MAX];    /* "; "-separated, never empty */
    struct call_upsell upsells[CALL_ANALYSIS_UPSELLS_MAX];
    int nupsells;
    char summary[CALL_ANALYSIS_SUMMARY_MAX];
};

/* Analyses one call. config is the business's (borrowed; NULL: no service names, no
 * upsells), mem the receptionist's memory at the end of the call, caller the caller's
 * number ("" unknown), outcome the call's outcome ("completed", "transferred", ...), or
 * "text" for a text conversation (which has no greeting turn). */
void call_analysis_run(const struct agent_config *config, const struct rx_memory *mem,
                       const char *caller, const char *outcome, struct call_analysis *out);

/* Model mode: what a tool the model asked for did (call, and its result r), noted in
 * the memory the analysis reads, as the built-in receptionist notes its own. */
void call_analysis_note_tool(struct rx_memory *mem, const struct agent_config *config,
                             const struct rx_tool_call *call, const struct rx_tool_result *r);

/* The owner's text about the call: the summary and the score, within `size` bytes. */
void call_analysis_owner_text(const struct call_analysis *a, const char *business_name,
                              char *out, size_t size);

#endif
