/* lib/receptionist/rx_keywords.h: finds a business's escalation keywords (lib/receptionist/receptionist.c) in what
 * a caller says, the way callers say them: in another word form ("flooded" for
 * "flooding", "swollen" for "swelling", "emergencies" for "emergency") and, for a
 * phrase, with its words in any order and up to four words between them ("i smell gas" for
 * "gas smell", "a pipe has burst" for "burst pipe"). No allocation, no state. */
#ifndef FD_RX_KEYWORDS_H
#define FD_RX_KEYWORDS_H
#include <stdbool.h>

#include "receptionist/rx_text.h"

/* True if t holds keyword (as configured, not normalised): each of its words, in some
 * form, at a word of its own, all within a run of (its number of words + 4) words.
 * False for an empty keyword or one of more than 32 words. Borrows both. */
bool rx_keyword_is_said(const struct rx_text *t, const char *keyword);

#endif
