/* workers/llm_turns.h: model mode in the worker. With FRONTDESK_LLM_URL, _API_KEY and
 * _MODEL set, a caller's final words go to the language model (lib/llm/llm_client.h) with
 * the business's own prompt and tools; the tools it asks for run through the same code
 * as the built-in receptionist's (workers/tool_runner.c), and its answer is handed to the
 * call flow as a prepared answer (struct call_rx.preset). When the model fails, the
 * built-in receptionist answers that turn instead. See llm_turns.c for the rules. */
#ifndef FD_LLM_TURNS_H
#define FD_LLM_TURNS_H
#include <stdbool.h>
#include <stddef.h>

#include "receptionist/receptionist.h"
#include "tool_runner.h"

struct call_effects;
struct call_event;
struct call_state;
struct event_base;
struct evbuffer;
struct http_client;
struct llm_turns;
struct model_turn;
struct tenant;
struct worker_config;

#define LLM_TOOL_ROUNDS_MAX 3           /* model -> tools -> model, per caller turn */

/* The model's side of one call; lives in call_ctx.h's struct call_ctx, zeroed. */
struct llm_call {
    char *history;              /* owned: the committed conversation (JSON), or NULL */
    char *next;                 /* owned: the conversation after the event in hand, NULL:
                                   unchanged; committed with the event as field "llm" */
    struct model_turn *turn;    /* the caller turn in flight, or NULL */
    struct rx_output answer;    /* what the receptionist says for the model this turn */
    bool has_answer;            /* false: the built-in receptionist answers the turn */
};

/* NULL when model mode is off (no FRONTDESK_LLM_* set). Prints the reason and exits 2
 * when the client cannot be made from cfg. Borrows http and base, which must outlive
 * it. Free with llm_turns_free before the http_client: turns in flight end then. */
struct llm_turns *llm_turns_create(struct http_client *http, struct event_base *base,
                                   const struct worker_config *cfg);
void llm_turns_free(struct llm_turns *lt);      /* NULL is fine */

/* True when the model should answer ev: model mode is on, the full receptionist is at
 * hand (has_rx), and ev is the caller's final words while the call listens or speaks. */
bool llm_turns_wanted(const struct llm_turns *lt, bool has_rx, const struct call_state *s,
                      const struct call_event *ev);

/* One caller turn for the model. Everything is borrowed and must stay valid until done
 * runs (it all lives in the call's context, which the tenant reference keeps). */
struct llm_turn_call {
    struct tenant *t;
    struct llm_call *lc;
    const struct rx_context *ctx;
    struct rx_memory *mem;              /* the call's next memory: flags for the analysis */
    const char *caller_text;
    const char *caller_number;
    const char *call_id;                /* the call (its state hash keeps its holds) */
    const char *call_control_id;
    const char *event_id;               /* the event in hand (its stream eid) */
    tool_fn keep;                    /* takes each tool's records and texts for the
                                           event's commit; must not continue the call */
    /* The turn ended: failure NULL, lc->has_answer and lc->answer set; or failure says
     * why the event must be handled again later (Redis failed under a tool; is_transient:
     * unavailable, not counted as a delivery). */
    void (*done)(void *arg, const char *failure, bool is_transient);
    void *arg;
};

/* Starts the turn; done runs once, from the loop, unless the tenant is lost meanwhile
 * (then nothing more happens and the event is not committed). */
void llm_turns_start(struct llm_turns *lt, const struct llm_turn_call *req);

/* A call's state was read: data is the "llm" hash field (len bytes). */
void llm_call_load(struct llm_call *lc, const char *data, size_t len);
/* Forgets the committed conversation (before a call's state is read again). */
void llm_call_forget(struct llm_call *lc);
/* An event's handling starts: nothing of an earlier attempt remains. */
void llm_call_begin(struct llm_call *lc);
/* The event's effects are final: what the built-in receptionist said in a model turn
 * (all of it when it answered the turn, or what followed the model's answer) joins the
 * conversation, so the model knows it next time. Once per event, before the commit. */
void llm_call_note_said(struct llm_call *lc, const struct call_effects *fx);
/* The event committed: next becomes the history. */
void llm_call_committed(struct llm_call *lc);
/* Frees what lc holds and cancels a turn in flight. */
void llm_call_cleanup(struct llm_call *lc);

/* The model client's metrics (lib/llm/llm_client.h) and how caller turns were answered:
 * frontdesk_llm_caller_turns_total{answer="model"|"builtin"|"tool_result"}. */
void llm_turns_write_metrics(const struct llm_turns *lt, struct evbuffer *out);

#endif
