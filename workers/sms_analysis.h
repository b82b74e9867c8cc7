/* workers/sms_analysis.h: the after-conversation analysis of a text conversation, run
 * once when it first goes quiet (FRONTDESK_SMS_QUIET_MS after the receptionist's last
 * answer): the same lead score with its reasons, upsells with the texter's words, and
 * summary as a call's (lib/call/call_analysis.h). */
#ifndef FD_SMS_ANALYSIS_H
#define FD_SMS_ANALYSIS_H

struct call_ctx;

#define SMS_ANALYSED "analysed"     /* the conversation state's outcome once analysed */

/* Adds the analysis's records to the event in hand's output: lead_scores and
 * upsell_opportunities with call_log_id = the conversation's id and call_control_id =
 * sms:<conversation id>, and its summary as a call_conversations row of the same id. */
void sms_analysis_add(struct call_ctx *c);

#endif
