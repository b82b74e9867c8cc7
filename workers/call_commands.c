/* workers/call_commands.c: a call's Telnyx commands. The commands the call flow asks for
 * are committed with the event that asked for them, in the call's state (the field
 * `commands`, JSON an operator can read with HGETALL), and sent only once that commit
 * has run: in order, one at a time, each with a command_id derived from its event and
 * step. So:
 * - what the caller hears is what was committed: a commit that fails sends nothing, and
 *   its retry sends what it commits;
 * - the call's next event does not wait for Telnyx: it is handled while the commands of
 *   the one before are on their way;
 * - a worker that dies between its commit and Telnyx's answer leaves the commands in
 *   Redis. The call stays in the tenant's timers meanwhile, so the next owner reads its
 *   state at its claim and sends them again. Telnyx ignores a repeated command_id within
 *   60 s; a command older than that is not sent again (Telnyx would carry it out twice).
 * A command Telnyx cannot take now (5xx, 429, no answer) is tried again with a backoff
 * while the call lasts (up to 10 minutes); one it rejects is logged and dropped. Once
 * every command is out, the stored list is cleared (lua/call_commands_sent.lua) after a
 * short delay, in which the call's next commit usually replaces it at no extra cost. */
#include "call_ctx.h"

#include <event2/event.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/det_uuid.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "store/lua_args.h"
#include "telnyx/telnyx_client.h"
#include "tenant.h"
#include "worker.h"

/* Telnyx drops a repeated command_id within 60 s: past that (with a margin for clocks), a
 * command read back from Redis may already have been carried out, and is not sent again. */
#define RESEND_WINDOW_MS 50000
/* After the last command is out: the call's next commit usually comes first. */
#define CLEAR_DELAY_MS 1000
/* A command Telnyx has not taken for this long belongs to a call Telnyx has long given
 * up on (a caller does not wait 10 minutes for an answer): it is dropped, not retried. */
#define GIVE_UP_MS (10 * 60 * 1000)

static const char *const command_names[] = {
    [CMD_ANSWER] = "answer",
    [CMD_SPEAK] = "speak",
    [CMD_TRANSCRIPTION_START] = "transcription_start",
    [CMD_PLAYBACK_STOP] = "playback_stop",
    [CMD_HANGUP] = "hangup",
    [CMD_TRANSFER] = "transfer",
};

static bool command_by_name(const char *name, enum call_cmd *cmd)
{
    for (size_t i = 0; i < sizeof command_names / sizeof command_names[0]; i++) {
        if (strcmp(command_names[i], name) == 0) {
            *cmd = (enum call_cmd)i;
            return true;
        }
    }
    return false;
}

static void on_timer(evutil_socket_t fd, short what, void *arg);

void call_commands_init(struct call_ctx *c)
{
    c->commands.timer = evtimer_new(c->t->w->base, on_timer, c);
}

static void command_free(struct call_command *cmd)
{
    free(cmd->text);
    free(cmd);
}

static void drop_queued(struct call_commands *q, bool keeps_head)
{
    struct call_command **pp = keeps_head && q->head != NULL ? &q->head->next : &q->head;
    while (*pp != NULL) {
        struct call_command *cmd = *pp;
        *pp = cmd->next;
        command_free(cmd);
        q->n--;
    }
    q->tail = q->head;
}

void call_commands_cleanup(struct call_ctx *c)
{
    drop_queued(&c->commands, false);
    event_free(c->commands.timer);
    free(c->commands.stored);
}

bool call_commands_have_room(const struct call_ctx *c)
{
    return c->commands.n + CALL_FLOW_MAX_ACTIONS <= CALL_COMMANDS_MAX;
}

bool call_commands_are_waiting(const struct call_ctx *c)
{
    const struct call_commands *q = &c->commands;
    return q->n > 0 || q->is_clearing || q->stored != NULL;
}

static bool is_queued_or_sent(const struct call_commands *q, const char *command_id)
{
    for (const struct call_command *cmd = q->head; cmd != NULL; cmd = cmd->next)
        if (strcmp(cmd->command_id, command_id) == 0)
            return true;
    for (int i = 0; i < CALL_COMMANDS_MAX; i++)
        if (strcmp(q->sent_ids[i], command_id) == 0)
            return true;
    return false;
}

static void note_sent(struct call_commands *q, const char *command_id)
{
    snprintf(q->sent_ids[q->next_sent], sizeof q->sent_ids[0], "%s", command_id);
    q->next_sent = (q->next_sent + 1) % CALL_COMMANDS_MAX;
}

static void push(struct call_commands *q, struct call_command *cmd)
{
    if (q->tail != NULL)
        q->tail->next = cmd;
    else
        q->head = cmd;
    q->tail = cmd;
    q->n++;
}

static void set_stored(struct call_commands *q, char *json)
{
    free(q->stored);
    q->stored = json;
    q->stored_gen++;
}

/* ---- the list Redis holds ---- */

static json_t *command_to_json(enum call_cmd cmd, const char *command_id, long long at_ms,
                               const char *text, const char *to)
{
    json_t *o = json_pack("{s:s, s:s, s:I}", "command", command_names[cmd], "command_id", command_id,
                          "at", (json_int_t)at_ms);
    if (o != NULL && text != NULL && text[0] != '\0')
        json_object_set_new(o, "text", json_string(text));
    if (o != NULL && to != NULL && to[0] != '\0')
        json_object_set_new(o, "to", json_string(to));
    return o;
}

static struct call_command *command_new(enum call_cmd which, const char *command_id, long long at_ms,
                                        const char *text, const char *to);
static bool is_first_speak_of_turn(const struct call_ctx *c, int i);

void call_commands_free_list(struct call_command *list)
{
    while (list != NULL) {
        struct call_command *next = list->next;
        command_free(list);
        list = next;
    }
}

/* The event's own commands, made once: what the commit stores is what is sent after it. */
static struct call_command *event_commands(const struct call_ctx *c)
{
    const struct call_effects *fx = &c->work.fx;
    struct call_command *head = NULL, **tail = &head;
    long long now_ms = worker_now_ms();
    for (int i = 0; i < fx->nactions; i++) {
        char command_id[37];
        det_uuid2(command_id, "command", c->work.ce.eid, fx->actions[i].step);
        struct call_command *cmd = command_new(fx->actions[i].cmd, command_id, now_ms, fx->actions[i].text,
                                               fx->actions[i].to);
        if (is_first_speak_of_turn(c, i))
            snprintf(cmd->turn_entry, sizeof cmd->turn_entry, "%s", call_event_in_hand(c)->entry_id);
        *tail = cmd;
        tail = &cmd->next;
    }
    return head;
}

static void append_json(json_t *list, const struct call_command *cmd)
{
    for (; cmd != NULL; cmd = cmd->next)
        json_array_append_new(list, command_to_json(cmd->cmd, cmd->command_id, cmd->committed_ms, cmd->text,
                                                    cmd->to));
}

char *call_commands_to_commit(struct call_ctx *c)
{
    const struct call_commands *q = &c->commands;
    struct call_output *out = &c->out;
    /* an ended call takes no more commands: nothing is kept for it */
    bool is_ended = c->work.next.phase == CALL_ENDED;
    call_commands_free_list(out->commands);
    out->commands = is_ended || c->is_stateless ? NULL : event_commands(c);
    if (c->is_stateless || (q->stored == NULL && out->commands == NULL && (q->n == 0 || is_ended)))
        return NULL;                            /* nothing stored, nothing to store */
    json_t *list = json_array();
    if (!is_ended) {
        append_json(list, q->head);
        append_json(list, out->commands);
    }
    char *json = json_array_size(list) > 0 ? json_dumps(list, JSON_COMPACT) : xstrdup("");
    json_decref(list);
    return json;
}

/* ---- sending ---- */

static void send_head(struct call_ctx *c);

static void log_command_failed(const struct call_ctx *c, const struct call_command *cmd, int tries)
{
    if ((tries & (tries - 1)) != 0)     /* the first failure, then every doubling */
        return;
    struct log_line l;
    if (log_begin(&l, LOG_WARN, "telnyx command failed; will retry")) {
        log_str(&l, "business_id", c->t->id);
        log_str(&l, "call", c->id);
        log_str(&l, "command", command_names[cmd->cmd]);
        log_str(&l, "command_id", cmd->command_id);
        log_int(&l, "tries", tries);
        log_end(&l);
    }
}

static void log_rejected(const struct call_ctx *c, const struct telnyx_result *res)
{
    struct log_line l;
    if (log_begin(&l, LOG_ERROR, "telnyx rejected a command")) {
        log_str(&l, "business_id", c->t->id);
        log_str(&l, "call", c->id);
        log_int(&l, "status", res->status);
        log_str(&l, "code", res->error_code);
        log_str(&l, "title", res->error_title);
        log_end(&l);
    }
}

static void arm_timer(struct call_ctx *c, int ms)
{
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    evtimer_add(c->commands.timer, &tv);
}

static void pop_head(struct call_commands *q)
{
    struct call_command *cmd = q->head;
    q->head = cmd->next;
    if (q->head == NULL)
        q->tail = NULL;
    q->n--;
    command_free(cmd);
}

static void log_given_up(const struct call_ctx *c, const struct call_command *cmd)
{
    struct log_line l;
    if (log_begin(&l, LOG_ERROR, "telnyx command given up: not taken for 10 minutes")) {
        log_str(&l, "business_id", c->t->id);
        log_str(&l, "call", c->id);
        log_str(&l, "command", command_names[cmd->cmd]);
        log_str(&l, "command_id", cmd->command_id);
        log_end(&l);
    }
}

/* The head is done with (taken, rejected or given up): the next, or the clearing. */
static void after_head(struct call_ctx *c)
{
    struct call_commands *q = &c->commands;
    q->failures = 0;
    pop_head(q);
    if (c->st.phase == CALL_ENDED)      /* ended while the head was out: nothing more */
        drop_queued(q, false);
    if (q->n > 0)
        send_head(c);
    else if (q->stored != NULL)
        arm_timer(c, CLEAR_DELAY_MS);
    else
        call_forget_if_done(c);
}

static void on_sent(const struct telnyx_result *res, void *arg)
{
    struct call_ctx *c = arg;
    struct tenant *t = c->t;
    if (tenant_is_owned(t)) {
        struct call_commands *q = &c->commands;
        q->is_sending = false;
        if (res->outcome == TELNYX_FAILED && c->st.phase != CALL_ENDED &&
            worker_now_ms() - q->head->committed_ms < GIVE_UP_MS) {
            log_command_failed(c, q->head, ++q->failures);
            arm_timer(c, call_retry_delay_ms(q->failures));
        } else {
            if (res->outcome == TELNYX_FAILED && c->st.phase != CALL_ENDED)
                log_given_up(c, q->head);
            /* rejected: our request is wrong or the call is gone; retrying cannot help */
            if (res->outcome == TELNYX_REJECTED)
                log_rejected(c, res);
            if (res->outcome != TELNYX_FAILED)
                note_sent(q, q->head->command_id);
            after_head(c);
        }
    }
    tenant_unref(t);
}

static void send_head(struct call_ctx *c)
{
    struct call_commands *q = &c->commands;
    struct call_command *head = q->head;
    struct tenant *t = c->t;
    if (head == NULL || q->is_sending || !tenant_is_owned(t))
        return;
    q->is_sending = true;
    struct telnyx_command cmd = {.call_control_id = c->st.call_control_id,
                                 .client_state = c->st.client_state,
                                 .command_id = head->command_id};
    struct telnyx_client *tc = t->w->telnyx;
    tenant_ref(t);
    switch (head->cmd) {
    case CMD_ANSWER:
        telnyx_client_answer(tc, &cmd, on_sent, c);
        break;
    case CMD_SPEAK: {
        if (head->turn_entry[0] != '\0' && q->failures == 0)
            worker_metrics_observe_turn(t->w, head->turn_entry);
        const struct agent_view *v = &t->agent.view;
        struct telnyx_speak sp = {.payload = head->text != NULL ? head->text : "",
                                  .voice = v->voice[0] ? v->voice : "Telnyx.KokoroTTS.af",
                                  .language = v->language[0] ? v->language : NULL};
        telnyx_client_speak(tc, &cmd, &sp, on_sent, c);
        break;
    }
    case CMD_TRANSCRIPTION_START:
        telnyx_client_start_transcription(tc, &cmd, t->w->wcfg.transcription_engine, on_sent, c);
        break;
    case CMD_PLAYBACK_STOP:
        telnyx_client_stop_playback(tc, &cmd, on_sent, c);
        break;
    case CMD_HANGUP:
        telnyx_client_hangup(tc, &cmd, on_sent, c);
        break;
    case CMD_TRANSFER:
        telnyx_client_transfer(tc, &cmd, head->to, NULL, on_sent, c);
        break;
    }
}

static struct call_command *command_new(enum call_cmd which, const char *command_id, long long at_ms,
                                        const char *text, const char *to)
{
    struct call_command *cmd = xcalloc(1, sizeof *cmd);
    cmd->cmd = which;
    snprintf(cmd->command_id, sizeof cmd->command_id, "%s", command_id);
    cmd->committed_ms = at_ms;
    if (text != NULL && text[0] != '\0')
        cmd->text = xstrdup(text);
    if (to != NULL)
        snprintf(cmd->to, sizeof cmd->to, "%s", to);
    return cmd;
}

/* True for the call's first speak a caller's transcription led to: the moment the caller
 * starts to hear the answer (the turn latency metric). */
static bool is_first_speak_of_turn(const struct call_ctx *c, int i)
{
    const struct call_effects *fx = &c->work.fx;
    if (fx->actions[i].cmd != CMD_SPEAK || strcmp(call_event_in_hand(c)->type, "call.transcription") != 0)
        return false;
    for (int k = 0; k < i; k++)
        if (fx->actions[k].cmd == CMD_SPEAK)
            return false;
    return true;
}

void call_commands_committed(struct call_ctx *c)
{
    struct call_commands *q = &c->commands;
    char *json = c->out.commands_json;
    c->out.commands_json = NULL;
    if (json != NULL && json[0] == '\0') {     /* the commit deleted the list */
        free(json);
        set_stored(q, NULL);
    } else if (json != NULL) {                  /* (NULL: it left the list as it was) */
        set_stored(q, json);
    }
    if (c->st.phase == CALL_ENDED) {            /* the call is over: nothing more to send */
        drop_queued(q, q->is_sending);
        return;
    }
    struct call_command *cmd = c->out.commands;
    c->out.commands = NULL;
    while (cmd != NULL) {                       /* the very commands the commit stored */
        struct call_command *next = cmd->next;
        cmd->next = NULL;
        push(q, cmd);
        cmd = next;
    }
    if (q->failures == 0)                       /* else the head's backoff timer sends it */
        send_head(c);
}

/* ---- read back with the call's state ---- */

void call_commands_take_stored(struct call_ctx *c, const char *value, size_t len)
{
    set_stored(&c->commands, len > 0 ? xstrndup(value, len) : NULL);
}

void call_commands_resume(struct call_ctx *c)
{
    struct call_commands *q = &c->commands;
    if (q->stored == NULL)
        return;
    json_t *list = json_loads(q->stored, 0, NULL);
    long long now_ms = worker_now_ms();
    int dropped = 0;
    for (size_t i = 0; json_is_array(list) && i < json_array_size(list); i++) {
        const char *name = NULL, *command_id = NULL, *text = NULL, *to = NULL;
        json_int_t at = 0;
        enum call_cmd which;
        if (json_unpack(json_array_get(list, i), "{s:s, s:s, s:I, s?s, s?s}", "command", &name, "command_id",
                        &command_id, "at", &at, "text", &text, "to", &to) != 0 ||
            !command_by_name(name, &which) || is_queued_or_sent(q, command_id))
            continue;
        if (now_ms - at > RESEND_WINDOW_MS || c->st.phase == CALL_ENDED || q->n >= CALL_COMMANDS_MAX) {
            dropped++;
            continue;
        }
        push(q, command_new(which, command_id, at, text, to));
    }
    json_decref(list);
    struct log_line l;
    if (dropped > 0 && log_begin(&l, LOG_WARN, "commands not sent again: the call is over, or too old to be told from repeats")) {
        log_str(&l, "business_id", c->t->id);
        log_str(&l, "call", c->id);
        log_int(&l, "commands", dropped);
        log_end(&l);
    }
    if (q->n > 0)
        send_head(c);
    else
        arm_timer(c, 0);                        /* nothing to send: clear the list */
}

/* ---- clearing the list once everything is out ---- */

static void on_cleared(const redisReply *reply, enum app_err err, void *arg)
{
    struct call_ctx *c = arg;
    struct tenant *t = c->t;
    if (tenant_is_owned(t)) {
        struct call_commands *q = &c->commands;
        q->is_clearing = false;
        if (err == APP_OK && q->stored_gen == q->clearing_gen) {
            set_stored(q, NULL);                /* 0: a commit replaced it, which is as good */
            call_forget_if_done(c);
        } else if (err != APP_OK && reply != NULL && reply->type == REDIS_REPLY_ERROR &&
                   strncmp(reply->str, "FENCED", 6) == 0) {
            log_msg(LOG_WARN, "commands' clearing refused: lease lost", "business_id", t->id);
        } else if (err != APP_OK) {
            arm_timer(c, call_retry_delay_ms(2));
        }
    }
    tenant_unref(t);
}

static void clear_stored(struct call_ctx *c)
{
    struct call_commands *q = &c->commands;
    struct tenant *t = c->t;
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key(&a, t->keys.lease);
    lua_args_key(&a, c->key_state);
    lua_args_key(&a, t->keys.timers);
    lua_args_arg(&a, tenant_fence_value(t));
    lua_args_arg(&a, q->stored);
    lua_args_arg(&a, c->id);
    q->is_clearing = true;
    q->clearing_gen = q->stored_gen;
    tenant_ref(t);
    lua_args_send(&a, t->w->redis, t->w->commands_sent_script, CALL_REDIS_TIMEOUT_MS, on_cleared, c);
}

/* The head's retry, or the clearing once nothing is left to send. */
static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    struct call_ctx *c = arg;
    struct call_commands *q = &c->commands;
    (void)fd;
    (void)what;
    if (!tenant_is_owned(c->t))
        return;
    if (q->n > 0) {
        send_head(c);
        return;
    }
    /* a commit in flight writes the list anew; if it fails, reading the state back
     * resumes from what Redis holds */
    if (q->stored != NULL && !q->is_clearing && !call_is_busy(c) && c->step != CALL_STEP_LOADING)
        clear_stored(c);
}
