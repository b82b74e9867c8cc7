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

#endif
