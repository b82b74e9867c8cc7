/* lib/sms/sms_keywords.h: the compliance words of a text (CTIA; the business is the
 * sender). A text is a keyword when, its punctuation and spaces aside and in any case,
 * it is one keyword alone or followed only by a courtesy ("Stop.", " stop please ",
 * "STOP ALL"): "cancel my appointment" is a request, not an opt-out. Pure; no state. */
#ifndef FD_SMS_KEYWORDS_H
#define FD_SMS_KEYWORDS_H
#include <stddef.h>

enum sms_keyword {
    SMS_KEYWORD_NONE,
    SMS_KEYWORD_STOP,       /* STOP, STOPALL, STOP ALL, UNSUBSCRIBE, CANCEL, END, QUIT */
    SMS_KEYWORD_START,      /* START, UNSTOP, YES: an opt-in only after an opt-out */
    SMS_KEYWORD_HELP,       /* HELP, INFO */
};

/* The keyword text is (NULL is none). When word is not NULL it receives the keyword as
 * the caller wrote it, upper-cased ("STOP"; size bytes, "" for none). */
enum sms_keyword sms_keyword_of(const char *text, char *word, size_t size);

const char *sms_keyword_name(enum sms_keyword k);     /* "stop", "start", "help", "none" */

#endif
