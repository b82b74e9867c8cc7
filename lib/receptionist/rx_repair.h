/* lib/receptionist/rx_repair.h: corrections inside one utterance. Callers correct
 * themselves mid-sentence ("Monday, no wait, Tuesday"; "four one five, seven seven — no,
 * sorry — four one five, six six two, one zero nine eight"; "a cut, no, a color"), and the
 * last value said wins: the utterance is rewritten without the values the repair
 * replaced and without its cue, so that every reader of the turn (day and time, digits,
 * services) sees only what the caller meant. Names have their own repairs (rx_names.h). */
#ifndef FD_RX_REPAIR_H
#define FD_RX_REPAIR_H
#include <stdbool.h>
#include <stddef.h>

#include "agent/agent_config.h"

/* When text holds a repair: writes text without the replaced values (numbers and
 * times, days, or words of cfg's services: the kind of the value after the cue) and the
 * cue into out (size bytes), and returns true. false: no repair, out untouched. */
bool rx_repair_text(const char *text, const struct agent_config *cfg, char *out, size_t size);

/* Whether the words of text[from, to) take back what was said before them: a repair's
 * cue ("a tax planning, I mean actually it's more a bookkeeping appointment") and no
 * word that adds instead ("also", "and", "too"). For two services named far apart,
 * which the value-by-value repair of rx_repair_text does not reach. */
bool rx_repair_cue_between(const char *text, size_t from, size_t to);

/* "the AC tune-up, wait no, the furnace one": after a repair, "the W one" names the
 * service like the one said (index said) but with W: the other of cfg's services whose
 * name or an alias holds the word W and ends in the same word as the one said. norm is
 * the turn's normalised text and after where the said service's words end. Returns that
 * service's index and sets *at to where W stands in norm; -1 when there is no such
 * phrase or not exactly one such service. */
int rx_repair_the_one_meant(const char *norm, size_t after, const struct agent_config *cfg, int said,
                            size_t *at);

#endif
