/* lib/sms/sms_compliance.h: the texts frontdesk sends on the business's behalf about
 * texting itself (CTIA): the STOP, START and HELP answers and the missed-call text.
 * Each is one text; the business's name is cut so the text stays within 320 bytes. */
#ifndef FD_SMS_COMPLIANCE_H
#define FD_SMS_COMPLIANCE_H
#include <stddef.h>

#define SMS_COMPLIANCE_TEXT_MAX 321

/* "You're unsubscribed from <business>. No more messages. Reply START to resubscribe." */
void sms_compliance_opt_out_text(char *out, size_t size, const char *business);
/* "You're resubscribed to texts from <business>. Reply STOP to opt out." */
void sms_compliance_opt_in_text(char *out, size_t size, const char *business);
/* Names the business, how to reach a person (call_number, "" if none) and the way out:
 * "<business>: automated text line. To reach a person, call +1.... Reply STOP to opt out." */
void sms_compliance_help_text(char *out, size_t size, const char *business, const char *call_number);

#endif
