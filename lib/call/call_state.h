/* lib/call/call_state.h: one live call as the worker keeps it in Redis, in the hash
 * fd:{sNNN}:t:B:call:<call_control_id>. Plain fields only, so that `redis-cli HGETALL`
 * reads as the call's story: phase, numbers, times, counts. */
#ifndef FD_CALL_STATE_H
#define FD_CALL_STATE_H
#include <stdbool.h>
#include <stddef.h>

enum call_phase {
    CALL_NEW = 0,        /* nothing done yet */
    CALL_ANSWERING,      /* answer sent, waiting for call.answered */
    CALL_SPEAKING,       /* the receptionist is speaking (speeches queued) */
    CALL_LISTENING,      /* waiting for the caller */
    CALL_TRANSFERRING,   /* handed to a person */
    CALL_ENDING,         /* saying goodbye, then hang up */
    CALL_ENDED,          /* hung up: late events change nothing */
};

/* Why the call went as it did (call_logs.outcome). */
#define CALL_OUTCOME_AGENT "answered_by_agent"
#define CALL_OUTCOME_FORWARDED "forwarded"
#define CALL_OUTCOME_NO_AGENT "rejected_no_agent"
#define CALL_OUTCOME_MISSED "missed"

struct call_state {
    enum call_phase phase;
    char call_control_id[192];
    char call_session_id[128];
    char from[48], to[48], direction[16];
    char started_at[64], answered_at[64], ended_at[64];
    char hangup_cause[48], hangup_source[16];
    char outcome[32];
    char client_state[256];     /* what every command carries */
    char conversation_id[37];   /* call_conversations.id */
    char last_caller_text[1024]; /* the last words (a call), the texts gathered (a text conversation) */
    int turns;                  /* conversation_history rows written so far */
    int speeches;               /* speak commands not yet ended */
    int silence_prompts;        /* re-prompts since the caller last spoke */
    int misunderstood;          /* replies that did not understand the caller */
    bool is_barge_in_sent;      /* playback_stop sent for the current speech */
    bool is_no_agent;           /* the business had no active agent */
    long long timer_due_ms;     /* silence deadline (epoch ms), 0 = none */
};

#define CALL_STATE_FIELDS 24

const char *call_phase_name(enum call_phase phase);

/* Writes the state as name/value pairs into names[] and values[] (at most
 * CALL_STATE_FIELDS; values point into scratch, which needs 1 KiB); returns the count. */
int call_state_to_fields(const struct call_state *s, const char **names, const char **values,
                         char *scratch, size_t scratch_len);
/* Reads pairs from HGETALL; unknown names are ignored. */
void call_state_set_field(struct call_state *s, const char *name, const char *value, size_t len);

#endif
