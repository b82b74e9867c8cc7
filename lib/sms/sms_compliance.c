/* lib/sms/sms_compliance.c: see sms_compliance.h. The wordings are the ones carriers
 * expect to find (the business named, "STOP", "START"); they are not configurable. */
#include "sms/sms_compliance.h"

#include <stdio.h>

void sms_compliance_opt_out_text(char *out, size_t size, const char *business)
{
    snprintf(out, size, "You're unsubscribed from %.200s. No more messages. Reply START to resubscribe.",
             business);
}

void sms_compliance_opt_in_text(char *out, size_t size, const char *business)
{
    snprintf(out, size, "You're resubscribed to texts from %.200s. Reply STOP to opt out.", business);
}

void sms_compliance_help_text(char *out, size_t size, const char *business, const char *call_number)
{
    if (call_number != NULL && call_number[0] != '\0')
        snprintf(out, size, "%.160s: this is our automated text line. To reach a person, call %.20s. "
                 "Reply STOP to opt out.", business, call_number);
    else
        snprintf(out, size, "%.160s: this is our automated text line. To reach a person, reply with your "
                 "question and we'll call you back. Reply STOP to opt out.", business);
}
