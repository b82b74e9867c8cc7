/* lib/call/call_state.c: see call_state.h. */
#include "call/call_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const phase_names[] = {"new", "answering", "speaking", "listening",
                                          "transferring", "ending", "ended"};

const char *call_phase_name(enum call_phase phase)
{
    return phase_names[phase];
}

#define STR_FIELDS(X) \
    X(call_control_id) X(call_session_id) X(from) X(to) X(direction) X(started_at) \
    X(answered_at) X(ended_at) X(hangup_cause) X(hangup_source) X(outcome) X(client_state) \
    X(conversation_id) X(last_caller_text)

int call_state_to_fields(const struct call_state *s, const char **names, const char **values,
                         char *scratch, size_t scratch_len)
{
    int n = 0;
    names[n] = "phase";
    values[n++] = phase_names[s->phase];
#define X(f) names[n] = #f; values[n++] = s->f;
    STR_FIELDS(X)
#undef X
    /* numbers are written into scratch, one after another */
    size_t used = 0;
    struct {
        const char *name;
        long long v;
    } nums[] = {{"turns", s->turns}, {"speeches", s->speeches},
                {"silence_prompts", s->silence_prompts}, {"misunderstood", s->misunderstood},
                {"is_barge_in_sent", s->is_barge_in_sent}, {"is_no_agent", s->is_no_agent},
                {"timer_due_ms", s->timer_due_ms}};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0] && n < CALL_STATE_FIELDS; i++) {
        int w = snprintf(scratch + used, scratch_len - used, "%lld", nums[i].v);
        if (w < 0 || (size_t)w >= scratch_len - used)
            break;
        names[n] = nums[i].name;
        values[n++] = scratch + used;
        used += (size_t)w + 1;
    }
    return n;
}

static void copy_into(char *dst, size_t size, const char *value, size_t len)
{
    size_t n = len < size - 1 ? len : size - 1;
    memcpy(dst, value, n);
    dst[n] = '\0';
}

void call_state_set_field(struct call_state *s, const char *name, const char *value, size_t len)
{
    char num[32];
    copy_into(num, sizeof num, value, len);
    if (strcmp(name, "phase") == 0) {
        for (int i = 0; i <= CALL_ENDED; i++)
            if (strcmp(num, phase_names[i]) == 0)
                s->phase = (enum call_phase)i;
        return;
    }
#define X(f)                                        \
    if (strcmp(name, #f) == 0) {                    \
        copy_into(s->f, sizeof s->f, value, len);   \
        return;                                     \
    }
    STR_FIELDS(X)
#undef X
    long long v = strtoll(num, NULL, 10);
    if (strcmp(name, "turns") == 0) s->turns = (int)v;
    else if (strcmp(name, "speeches") == 0) s->speeches = (int)v;
    else if (strcmp(name, "silence_prompts") == 0) s->silence_prompts = (int)v;
    else if (strcmp(name, "misunderstood") == 0) s->misunderstood = (int)v;
    else if (strcmp(name, "is_barge_in_sent") == 0) s->is_barge_in_sent = v != 0;
    else if (strcmp(name, "is_no_agent") == 0) s->is_no_agent = v != 0;
    else if (strcmp(name, "timer_due_ms") == 0) s->timer_due_ms = v;
}
