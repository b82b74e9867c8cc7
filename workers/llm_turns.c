/* workers/llm_turns.c: see llm_turns.h. One caller turn in model mode:
 *
 *   the caller's words -> the model -> its tool calls run through tool_runner_run -> the
 *   results back to the model -> its words, at most LLM_TOOL_ROUNDS_MAX tool rounds.
 *
 * The model sees the business's prompt (lib/llm/llm_prompt.c, that business only), the
 * conversation so far and the new words. Its tools are run by the same code as the
 * built-in receptionist's, with the tenant's own business, hours and capacity, so a
 * model cannot book outside the hours, beyond capacity or for another business; the
 * records and texts a tool produces are committed with the event, like the built-in's.
 * A booking id is derived from the call and the slot, so a replayed event books, bills
 * and texts nothing twice. The model need not answer a replay as it answered the first
 * attempt, though (another slot, say, leaving the first one's place held with no
 * booking): so each round's tool calls are kept in Redis before they run (first writer
 * wins, key t:B:llmcalls:<uuid of call, event and round>, an hour), and a replay runs
 * the kept calls instead of the ones the model gave it this time.
 *
 * What the caller hears:
 * - the model's words, only once it has seen every tool result (words said together
 *   with tool calls are not spoken: they were written before the results, and might say
 *   "booked" for a slot that was taken meanwhile);
 * - transfer and end_call are not run here: the model's words (or a short default)
 *   become the prepared answer with the transfer tool, or with is_goodbye, and the call
 *   flow runs them on the built-in receptionist's own path (the same Telnyx commands,
 *   outcome and records);
 * - words that tell the caller a booking was made when nothing was booked in the call
 *   ("you're booked ...") are never spoken: the turn is answered as on a failure;
 * - the model fails (timeout, HTTP error, invalid answer) before any tool ran: the
 *   built-in receptionist answers the same words (no preset), and what it said joins
 *   the conversation so the model knows it next turn;
 * - the model fails after a tool ran, still asks for tools after the last round (those
 *   calls are neither run nor kept), or the turn has already used its budget when a
 *   tool round ends: the caller hears words built here from the tool results ("You're
 *   booked for ...", "The nearest free times on ... are ..."), true by construction,
 *   then "Is there anything else I can help you with?".
 * The caller turn has the budget (FRONTDESK_LLM_BUDGET_MS): a follow-up request after a
 * tool round gets what is left of it, so a turn waits at most the budget plus the
 * tools' Redis time.
 *
 * The conversation is kept with the call's state (hash field "llm", lib/llm/llm_history.h:
 * compact JSON, bounded, cut at a caller message so tool calls and their results stay
 * paired). It is written by the event's fenced commit, so a new owner continues the
 * same conversation.
 *
 * Nothing here logs what the caller said, the prompt or the model's words. */
#include "llm_turns.h"

#include <event2/buffer.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"
#include "call/call_event.h"
#include "call/call_flow.h"
#include "llm/llm_client.h"
#include "llm/llm_history.h"
#include "llm_tool_result.h"
#include "core/det_uuid.h"
#include "core/log.h"
#include "store/lua_args.h"
#include "store/lua_scripts.h"
#include "store/redis_conn.h"
#include "store/redis_failure.h"
#include "store/tenant_keys.h"
#include "calendar/wall_clock.h"
#include "tenant.h"
#include "worker.h"
#include "core/xalloc.h"

/* A follow-up request with less of the budget left than this could not be answered
 * in time: the caller hears the tool results at once instead. */
#define LLM_FOLLOW_UP_MIN_MS 100
#define KEPT_CALLS_TTL_MS 3600000     /* replays come within minutes (a handover) */
#define KEPT_CALLS_TIMEOUT_MS 2000

enum answer_kind { ANSWER_MODEL, ANSWER_BUILTIN, ANSWER_TOOL_RESULT, ANSWER_COUNT };
static const char *const answer_names[ANSWER_COUNT] = {"model", "builtin", "tool_result"};

struct llm_turns {
    struct llm_client *client;      /* owned */
    int budget_ms;
    unsigned long long answers[ANSWER_COUNT];
};

struct model_turn {
    struct llm_turns *lt;
    struct llm_turn_call req;
    json_t *hist;                   /* owned: the conversation, this turn included */
    struct llm_turn *inflight;      /* the model request, or NULL */
    long long started_ms;           /* monotonic */
    int rounds;                     /* tool rounds run */
    bool has_run_tool;
    struct rx_tool_call calls[LLM_TOOL_CALLS_MAX];   /* the answer's calls being run */
    size_t ncalls, next_call;
    struct rx_tool_call terminal;     /* transfer or end_call asked for, or RX_TOOL_NONE */
    char said_with_calls[RX_SAY_MAX];   /* the model's words with its last tool calls */
    char facts[RX_SAY_MAX];         /* true words from the tool results */
};

/* ---- the turn ---- */

static void ask(struct model_turn *mt);
static void run_next_call(struct model_turn *mt);
static void keep_calls(struct model_turn *mt);

static void turn_free(struct model_turn *mt)
{
    json_decref(mt->hist);
    free(mt);
}

/* The tenant was lost: nothing more happens; the event is not committed. */
static void abandon(struct model_turn *mt)
{
    struct tenant *t = mt->req.t;
    mt->req.lc->turn = NULL;
    turn_free(mt);
    tenant_unref(t);
}

static void copy_say(char *dst, const char *src)
{
    size_t n = strlen(src);
    if (n >= RX_SAY_MAX) {          /* cut at a space: never inside a UTF-8 sequence */
        n = RX_SAY_MAX - 1;
        while (n > 0 && src[n] != ' ')
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void finish(struct model_turn *mt, enum answer_kind kind)
{
    struct llm_call *lc = mt->req.lc;
    struct tenant *t = mt->req.t;
    free(lc->next);
    lc->next = llm_history_dump(mt->hist);
    lc->has_answer = kind != ANSWER_BUILTIN;
    lc->answer.intent = "model";
    if (kind != ANSWER_BUILTIN)
        mt->req.mem->turns++;       /* rx_on_caller counts the built-in's */
    mt->lt->answers[kind]++;
    struct log_line l;
    if (log_begin(&l, LOG_DEBUG, "model turn")) {
        log_str(&l, "business_id", t->id);
        log_str(&l, "call_control_id", mt->req.call_control_id);
        log_str(&l, "answer", answer_names[kind]);
        log_int(&l, "tool_rounds", mt->rounds);
        log_str(&l, "then", mt->terminal.tool != RX_TOOL_NONE ? rx_tool_name(mt->terminal.tool) : NULL);
        log_end(&l);
    }
    lc->turn = NULL;
    void (*done)(void *, const char *, bool) = mt->req.done;
    void *arg = mt->req.arg;
    turn_free(mt);
    done(arg, NULL, false);
    tenant_unref(t);
}

/* Redis failed under a tool: the event is handled again later, model and all. */
static void finish_failed(struct model_turn *mt, const char *why, bool is_transient)
{
    struct tenant *t = mt->req.t;
    mt->req.lc->turn = NULL;
    void (*done)(void *, const char *, bool) = mt->req.done;
    void *arg = mt->req.arg;
    turn_free(mt);
    done(arg, why, is_transient);
    tenant_unref(t);
}

/* The caller hears words built from what the tools did. */
static void finish_with_facts(struct model_turn *mt)
{
    struct rx_output *out = &mt->req.lc->answer;
    llm_words_put(mt->facts, "Is there anything else I can help you with?");
    copy_say(out->say, mt->facts);
    llm_history_add_text(mt->hist, LLM_ROLE_ASSISTANT, out->say);
    finish(mt, ANSWER_TOOL_RESULT);
}

/* transfer or end_call: handed to the call flow's own path. */
static void finish_terminal(struct model_turn *mt)
{
    struct rx_output *out = &mt->req.lc->answer;
    struct rx_memory *mem = mt->req.mem;
    /* after a tool, the model's words predate its result: the facts and a closing */
    char *words = mt->has_run_tool ? mt->facts : mt->said_with_calls;
    bool is_closing_needed = mt->has_run_tool || words[0] == '\0';
    if (mt->terminal.tool == RX_TOOL_TRANSFER) {
        if (is_closing_needed)
            llm_words_put(words, "Let me put you through to someone now.");
        copy_say(out->say, words);
        out->tool = mt->terminal;
        mem->was_transferred = true;
        mem->intents_seen |= RX_INTENT_PERSON;
        mem->task = RX_TASK_NONE;
        mem->pending = RX_ASK_WAIT_TOOL;
    } else {
        if (is_closing_needed)
            llm_words_put(words, "Thank you for calling %.200s. Goodbye!", mt->req.ctx->config->business_name);
        copy_say(out->say, words);
        out->is_goodbye = true;
        mem->intents_seen |= RX_INTENT_GOODBYE;
    }
    finish(mt, mt->has_run_tool ? ANSWER_TOOL_RESULT : ANSWER_MODEL);
}

static void on_tool_done(struct tool_done *done, void *arg)
{
    struct model_turn *mt = arg;
    mt->req.keep(done, mt->req.arg);
    if (!tenant_is_owned(mt->req.t)) {
        abandon(mt);
        return;
    }
    if (done->is_retry) {
        finish_failed(mt, done->result.detail[0] != '\0' ? done->result.detail : "a tool failed",
                      done->is_transient);
        return;
    }
    if (done->result.detail[0] != '\0')
        log_msg(LOG_INFO, "model's tool refused", "detail", done->result.detail);
    const struct rx_tool_call *call = &mt->calls[mt->next_call - 1];
    mt->has_run_tool = true;
    llm_history_add_result(mt->hist, call->call_id, llm_tool_result(call, &done->result, mt->req.mem, &mt->req.ctx->now.date, mt->facts));
    run_next_call(mt);
}

/* What is left of the caller turn's budget. */
static long long budget_left_ms(const struct model_turn *mt)
{
    return mt->lt->budget_ms - (worker_mono_ms() - mt->started_ms);
}

static void run_next_call(struct model_turn *mt)
{
    while (mt->next_call < mt->ncalls) {
        struct rx_tool_call *call = &mt->calls[mt->next_call++];
        if (call->tool == RX_TOOL_TRANSFER || call->tool == RX_TOOL_END_CALL) {
            if (mt->terminal.tool == RX_TOOL_NONE)
                mt->terminal = *call;
            json_t *r = json_pack("{s:b}", call->tool == RX_TOOL_TRANSFER ? "transferring" : "ending", 1);
            llm_history_add_result(mt->hist, call->call_id, r);
            continue;
        }
        call->is_move = call->tool == RX_TOOL_BOOK && mt->req.mem->is_moving;
        struct tool_origin from = {.caller = mt->req.caller_number, .call_id = mt->req.call_id,
                                   .call_control_id = mt->req.call_control_id,
                                   .event_id = mt->req.event_id,
                                   .now_ms = wall_clock_now_ms(mt->req.t->w->clock)};
        tool_runner_run(mt->req.t, call, &from, on_tool_done, mt);
        return;
    }
    if (mt->terminal.tool != RX_TOOL_NONE)
        finish_terminal(mt);
    else if (budget_left_ms(mt) < LLM_FOLLOW_UP_MIN_MS)
        finish_with_facts(mt);
    else
        ask(mt);
}

/* lua/llm_calls_keep.lua answered: nil, ours is kept; a string, an earlier attempt's calls, which
 * replace ours so the replay runs the same ones. */
static void on_calls_kept(const redisReply *reply, enum app_err err, void *arg)
{
    struct model_turn *mt = arg;
    if (!tenant_is_owned(mt->req.t)) {
        abandon(mt);
        return;
    }
    if (err != APP_OK) {
        finish_failed(mt, "Redis failed keeping the model's tool calls", redis_failure_is_transient(reply));
        return;
    }
    if (reply->type == REDIS_REPLY_STRING) {
        char words[RX_SAY_MAX];
        if (llm_history_use_kept_calls(mt->hist, reply->str, mt->calls, LLM_TOOL_CALLS_MAX,
                                       &mt->ncalls, words, sizeof words)) {
            copy_say(mt->said_with_calls, words);
            log_msg(LOG_INFO, "model turn replayed: the kept tool calls run", "call_control_id",
                    mt->req.call_control_id);
        } else {
            log_msg(LOG_WARN, "kept tool calls unreadable: this attempt's run", "call_control_id",
                    mt->req.call_control_id);
        }
    }
    run_next_call(mt);
}

/* Keeps this round's tool calls before any of them runs (see the top of the file). */
static void keep_calls(struct model_turn *mt)
{
    struct tenant *t = mt->req.t;
    char round[16], id[37], suffix[64], key[FD_KEY_MAX];
    snprintf(round, sizeof round, "%d", mt->rounds);
    const char *parts[] = {mt->req.call_control_id, mt->req.event_id, round};
    det_uuid(id, "frontdesk:llm-calls", 3, parts);
    snprintf(suffix, sizeof suffix, "llmcalls:%s", id);
    size_t klen = tenant_key(key, t->id, (unsigned)t->w->cfg.shards, suffix);
    char *calls = llm_history_last_calls(mt->hist);
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key_len(&a, key, klen);
    lua_args_arg(&a, calls);
    lua_args_int(&a, KEPT_CALLS_TTL_MS);
    lua_args_send(&a, t->w->redis, lua_script_find("llm_calls_keep"), KEPT_CALLS_TIMEOUT_MS,
                  on_calls_kept, mt);
    free(calls);
}

/* True when words tell the caller a booking was made ("you're booked", "I've booked
 * you", "your appointment is confirmed"). A question ("shall I get you booked?") is not. */
static bool claims_a_booking(const char *words)
{
    static const char *const claims[] = {"you're booked", "you are booked", "youre booked",
                                         "i've booked", "i have booked", "ive booked", "is booked",
                                         "are booked", "booking is confirmed", "appointment is confirmed",
                                         "you're all set for", "you are all set for", "i've scheduled",
                                         "i have scheduled", "is scheduled for", NULL};
    char low[RX_SAY_MAX];
    size_t n = 0;
    for (const char *p = words; *p != '\0' && n + 1 < sizeof low; p++) {
        if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x99) {
            low[n++] = '\'';           /* a typographic apostrophe */
            p += 2;
        } else {
            low[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        }
    }
    low[n] = '\0';
    for (int i = 0; claims[i] != NULL; i++)
        if (strstr(low, claims[i]) != NULL)
            return true;
    return false;
}

static void on_answer(const struct llm_result *res, void *arg)
{
    struct model_turn *mt = arg;
    mt->inflight = NULL;
    if (!tenant_is_owned(mt->req.t)) {
        abandon(mt);
        return;
    }
    /* after the last round the model may only speak: more calls are neither run nor kept */
    if (llm_outcome_is_fallback(res->outcome) ||
        (res->outcome == LLM_TOOL_CALLS && mt->rounds >= LLM_TOOL_ROUNDS_MAX)) {
        if (mt->has_run_tool)
            finish_with_facts(mt);
        else
            finish(mt, ANSWER_BUILTIN);
        return;
    }
    if (res->outcome == LLM_REPLY && !mt->req.mem->has_booked && claims_a_booking(res->reply)) {
        /* nothing was booked in this call: the caller must not hear that it was */
        log_msg(LOG_WARN, "model claimed a booking that was not made", "call_control_id",
                mt->req.call_control_id);
        if (mt->has_run_tool)
            finish_with_facts(mt);
        else
            finish(mt, ANSWER_BUILTIN);
        return;
    }
    if (res->outcome == LLM_REPLY) {
        struct rx_output *out = &mt->req.lc->answer;
        copy_say(out->say, res->reply);
        llm_history_add_text(mt->hist, LLM_ROLE_ASSISTANT, out->say);
        finish(mt, ANSWER_MODEL);
        return;
    }
    mt->rounds++;
    mt->ncalls = res->ntool_calls < LLM_TOOL_CALLS_MAX ? res->ntool_calls : LLM_TOOL_CALLS_MAX;
    memcpy(mt->calls, res->tool_calls, mt->ncalls * sizeof mt->calls[0]);
    mt->next_call = 0;
    copy_say(mt->said_with_calls, res->reply != NULL ? res->reply : "");
    llm_history_add_calls(mt->hist, res->reply, mt->calls, mt->ncalls);
    keep_calls(mt);
}

static void ask(struct model_turn *mt)
{
    const struct rx_context *ctx = mt->req.ctx;
    static const char *const days[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
                                       "Friday", "Saturday"};
    char now[64];
    snprintf(now, sizeof now, "%s %04d-%02d-%02d %02d:%02d", days[(unsigned)ctx->now_wday % 7],
             ctx->now.date.year, ctx->now.date.month, ctx->now.date.day, ctx->now.hour, ctx->now.minute);
    struct llm_history_messages m;
    if (!llm_history_messages(mt->hist, &m)) {
        /* a stored conversation we cannot read: this turn starts afresh */
        json_t *last = json_incref(json_array_get(mt->hist, json_array_size(mt->hist) - 1));
        json_array_clear(mt->hist);
        json_array_append_new(mt->hist, last);
        llm_history_messages_cleanup(&m);
        (void)llm_history_messages(mt->hist, &m);
    }
    long long left_ms = budget_left_ms(mt);
    struct llm_turn_request req = {.config = ctx->config, .now_local = now, .messages = m.msgs,
                                   .nmessages = m.n, .call_id = mt->req.call_control_id,
                                   .budget_ms = left_ms > 0 ? (int)left_ms : 1,
                                   .is_booking_paused = ctx->is_booking_paused};
    /* NULL: the turn already ended inside (only while the client shuts down), and mt
     * with it */
    struct llm_turn *h = llm_client_turn(mt->lt->client, &req, on_answer, mt);
    if (h != NULL)
        mt->inflight = h;
    llm_history_messages_cleanup(&m);
}

void llm_turns_start(struct llm_turns *lt, const struct llm_turn_call *req)
{
    struct model_turn *mt = xcalloc(1, sizeof *mt);
    mt->lt = lt;
    mt->req = *req;
    mt->hist = llm_history_parse(req->lc->history);
    mt->started_ms = worker_mono_ms();
    llm_history_add_text(mt->hist, LLM_ROLE_USER, req->caller_text);
    req->lc->turn = mt;
    tenant_ref(req->t);
    ask(mt);
}

bool llm_turns_wanted(const struct llm_turns *lt, bool has_rx, const struct call_state *s,
                      const struct call_event *ev)
{
    return lt != NULL && has_rx && strcmp(ev->type, "call.transcription") == 0 && ev->is_final &&
           ev->transcript[0] != '\0' && (s->phase == CALL_SPEAKING || s->phase == CALL_LISTENING);
}

/* ---- the call's side ---- */

void llm_call_load(struct llm_call *lc, const char *data, size_t len)
{
    free(lc->history);
    lc->history = xmalloc(len + 1);
    memcpy(lc->history, data, len);
    lc->history[len] = '\0';
}

void llm_call_forget(struct llm_call *lc)
{
    free(lc->history);
    lc->history = NULL;
}

void llm_call_begin(struct llm_call *lc)
{
    free(lc->next);
    lc->next = NULL;
    memset(&lc->answer, 0, sizeof lc->answer);
    lc->has_answer = false;
}

void llm_call_note_said(struct llm_call *lc, const struct call_effects *fx)
{
    if (lc->next == NULL)
        return;
    /* the built-in's words: all of a turn it answered, or what followed the model's
     * answer (a transfer that found no one, say) */
    bool is_answer_skipped = !lc->has_answer;
    char said[RX_SAY_MAX] = "";
    for (int i = 0; i < fx->nturns; i++) {
        if (strcmp(fx->turns[i].speaker, "agent") != 0)
            continue;
        if (!is_answer_skipped && strcmp(fx->turns[i].text, lc->answer.say) == 0) {
            is_answer_skipped = true;
            continue;
        }
        llm_words_put(said, "%s%s", said[0] != '\0' ? " " : "", fx->turns[i].text);
    }
    if (said[0] == '\0')
        return;
    json_t *h = llm_history_parse(lc->next);
    llm_history_add_text(h, LLM_ROLE_ASSISTANT, said);
    free(lc->next);
    lc->next = llm_history_dump(h);
    json_decref(h);
}

void llm_call_committed(struct llm_call *lc)
{
    if (lc->next == NULL)
        return;
    free(lc->history);
    lc->history = lc->next;
    lc->next = NULL;
}

void llm_call_cleanup(struct llm_call *lc)
{
    struct model_turn *mt = lc->turn;
    /* a turn holds its tenant's reference, so its call is not freed under it; this only
     * keeps a future path from leaking or calling back into freed memory */
    if (mt != NULL) {
        if (mt->inflight != NULL)
            llm_client_cancel(mt->lt->client, mt->inflight);
        turn_free(mt);
        lc->turn = NULL;
    }
    free(lc->history);
    free(lc->next);
    lc->history = lc->next = NULL;
}

/* ---- the worker's side ---- */

struct llm_turns *llm_turns_create(struct http_client *http, struct event_base *base,
                                   const struct worker_config *cfg)
{
    if (cfg->llm_url[0] == '\0')
        return NULL;
    struct llm_options opt;
    llm_options_init(&opt);
    opt.url = cfg->llm_url;
    opt.api_key = cfg->llm_api_key;
    opt.model = cfg->llm_model;
    opt.budget_ms = cfg->llm_budget_ms;
    struct llm_client *client = llm_client_create(http, base, &opt);
    if (client == NULL) {
        fprintf(stderr, "configuration error: FRONTDESK_LLM_URL, FRONTDESK_LLM_API_KEY, "
                        "FRONTDESK_LLM_MODEL: the model client refused them\n");
        exit(2);
    }
    struct llm_turns *lt = xcalloc(1, sizeof *lt);
    lt->client = client;
    lt->budget_ms = cfg->llm_budget_ms;
    return lt;
}

void llm_turns_free(struct llm_turns *lt)
{
    if (lt == NULL)
        return;
    llm_client_free(lt->client);
    free(lt);
}

void llm_turns_write_metrics(const struct llm_turns *lt, struct evbuffer *out)
{
    llm_client_write_metrics(lt->client, out);
    evbuffer_add_printf(out, "# HELP frontdesk_llm_caller_turns_total Caller turns in model mode, by "
                             "who answered (the model, the built-in receptionist after a failure, or "
                             "words built from the tool results).\n"
                             "# TYPE frontdesk_llm_caller_turns_total counter\n");
    for (int i = 0; i < ANSWER_COUNT; i++)
        evbuffer_add_printf(out, "frontdesk_llm_caller_turns_total{answer=\"%s\"} %llu\n",
                            answer_names[i], lt->answers[i]);
}
