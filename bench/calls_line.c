/* bench/calls_line.c: see calls_line.h. Rules and names follow tests/sim/sim_call.py
 * (which the integration tests use), so a difference between the two is easy to spot:
 * line_speech_tick is Call._speech_tick, line_caller_tick Call._caller_tick, and so on.
 * A few hundred calls of a few seconds each; every call wakes a handful of times per
 * turn. */
#include "calls_line.h"

#include <event2/event.h>
#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "calls_hooks.h"
#include "calls_util.h"

#define DEDUPE_WINDOW_S 60.0
#define SEEN_IDS_MAX 64             /* command_ids remembered; a call sends about ten */
#define NO_TIME (-1.0)

/* Commands Telnyx refuses (422 90034) on a call that is not answered yet. */
static const char *const needs_answer[] = {
    "speak", "transcription_start", "transcription_stop", "playback_start", "playback_stop",
    "gather", "gather_stop", "gather_using_speak", "gather_using_ai", "record_start",
    "record_stop", "bridge",
};

/* sim_call.py's HOLD in POSIX ERE: \w and \b spelt out (the receptionist speaks ASCII). */
static const char hold_pattern[] =
    "^([A-Za-z0-9_' ]{1,20}[.,] )?(one moment|let me (check|see)|allow me to check|checking|"
    "please hold)([^A-Za-z0-9_.?!][^.?!]*)?[.!]?$";

enum line_state { LINE_PARKED, LINE_ANSWERED, LINE_ENDED };

struct speech {
    struct speech *next;
    char *text;                     /* owned */
    double duration_s, end_s;       /* end_s: monotonic, once started */
    int line_i;                     /* its transcript entry, once started */
};

struct said {                       /* one transcript entry */
    bool is_agent, is_interrupted, is_unheard;
    char *text;                     /* owned */
    double at;                      /* wall clock */
};

struct line {
    struct line_world *w;           /* borrowed */
    struct hook_queue *hooks;       /* owned by w->hooks */
    struct event *timer;            /* owned: the next time the call must look */
    char id[48], leg_id[40], session_id[40], from[24], to[24];
    struct stamp created, answered, ended;
    enum line_state state;
    json_t *client_state;           /* owned; NULL until a command sets one */
    bool is_transcribing;
    char track[16];                 /* the transcription track */
    const char *hangup_source, *hangup_cause;
    struct { char id[128]; double at_s; } seen[SEEN_IDS_MAX];
    int n_seen;
    /* the receptionist's speech */
    struct speech *queue, *current;
    int speeches_started, replies_started;
    double last_speech_end_s;       /* NO_TIME: none yet */
    /* the caller: step is the script line being said or next to say */
    int step;
    bool is_talking, is_interim_sent;
    double interim_at_s, final_at_s;
    double last_utterance_end_s;    /* NO_TIME: has not spoken yet */
    int replies_at_last_utterance;
    struct said *said;              /* owned, n_said of them */
    int n_said, cap_said;
};

static int line_say(struct line *l, bool is_agent, const char *text, double at)
{
    if (l->n_said == l->cap_said) {
        l->cap_said = l->cap_said ? 2 * l->cap_said : 16;
        l->said = must(realloc(l->said, (size_t)l->cap_said * sizeof *l->said));
    }
    struct said *s = &l->said[l->n_said];
    *s = (struct said){.is_agent = is_agent, .text = must(strdup(text)), .at = at};
    return l->n_said++;
}

/* -- webhooks -------------------------------------------------------------------- */

/* The payload every webhook of the call starts with; more keys are added after it. */
static json_t *line_payload(const struct line *l, bool with_client_state)
{
    json_t *p = json_pack("{s:s, s:s, s:s, s:s}", "call_control_id", l->id, "call_leg_id", l->leg_id,
                          "call_session_id", l->session_id, "connection_id", l->w->connection_id);
    if (with_client_state && l->client_state != NULL)
        json_object_set(p, "client_state", l->client_state);
    return p;
}

/* Queues the webhook event_type with payload (taken); is_final: -1 but for a
 * transcription. */
static void line_emit(struct line *l, const char *event_type, json_t *payload, int is_final)
{
    struct stamp now = stamp_now();
    char id[37], at[32];
    uuid4(id);
    iso_time(now.real_s, at);
    json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:o}", "record_type", "event", "event_type",
                             event_type, "id", id, "occurred_at", at, "payload", payload);
    char *text = must(json_dumps(data, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII |
                                           JSON_REAL_PRECISION(15)));
    json_decref(data);
    hook_queue_put(l->hooks, text, event_type, is_final, now);
}

static json_t *line_payload_with_numbers(const struct line *l, const char *state)
{
    char start[32];
    iso_time(l->created.real_s, start);
    json_t *p = line_payload(l, true);
    json_object_set_new(p, "from", json_string(l->from));
    json_object_set_new(p, "to", json_string(l->to));
    json_object_set_new(p, "state", json_string(state));
    json_object_set_new(p, "start_time", json_string(start));
    return p;
}

/* -- speech ----------------------------------------------------------------------- */

static bool line_is_hold(const struct line *l, const char *text)
{
    return regexec(&l->w->hold, text, 0, NULL, 0) == 0;
}

static void speech_free(struct speech *s)
{
    if (s != NULL) {
        free(s->text);
        free(s);
    }
}

static void line_clear_queue(struct line *l)
{
    while (l->queue != NULL) {
        struct speech *s = l->queue;
        l->queue = s->next;
        speech_free(s);
    }
}

static void line_end_speech(struct line *l, double now_s, const char *status)
{
    speech_free(l->current);
    l->current = NULL;
    l->last_speech_end_s = now_s;
    json_t *p = line_payload(l, true);
    json_object_set_new(p, "status", json_string(status));
    line_emit(l, "call.speak.ended", p, -1);
}

static void line_cut_speech(struct line *l, double now_s)
{
    if (l->current == NULL)
        return;
    l->said[l->current->line_i].is_interrupted = true;
    line_end_speech(l, now_s, "completed");
}

/* Ends speech whose time is up and starts the next queued one; returns when the
 * current speech ends, or NO_TIME. */
static double line_speech_tick(struct line *l, double now_s)
{
    if (l->current != NULL && now_s >= l->current->end_s)
        line_end_speech(l, now_s, "completed");
    if (l->current == NULL && l->queue != NULL && l->state != LINE_ENDED) {
        struct speech *s = l->queue;
        l->queue = s->next;
        s->end_s = now_s + s->duration_s;
        l->current = s;
        l->speeches_started++;
        if (!line_is_hold(l, s->text))
            l->replies_started++;
        line_emit(l, "call.speak.started", line_payload(l, true), -1);
        s->line_i = line_say(l, true, s->text, stamp_now().real_s);
    }
    return l->current == NULL ? NO_TIME : l->current->end_s;
}

/* The words of a speak's payload, tags of SSML dropped, one space between words. */
static char *speech_text(json_t *body)
{
    const char *payload = json_string_value(json_object_get(body, "payload"));
    const char *type = json_string_value(json_object_get(body, "payload_type"));
    char *text = must(strdup(payload != NULL ? payload : ""));
    bool is_ssml = type != NULL && strcmp(type, "ssml") == 0;
    char *o = text;
    bool in_tag = false, is_gap = true;
    for (const char *c = text; *c != '\0'; c++) {
        bool is_space = *c == ' ' || *c == '\t' || *c == '\n' || *c == '\r';
        if (is_ssml && *c == '<')
            in_tag = true;
        if (in_tag || is_space) {
            if (is_ssml && *c == '>')
                in_tag = false;
            if (!is_gap && o > text)
                *o++ = ' ';
            is_gap = true;
            continue;
        }
        *o++ = *c;
        is_gap = false;
    }
    while (o > text && o[-1] == ' ')
        o--;
    *o = '\0';
    return text;
}

/* -- hang-up ---------------------------------------------------------------------- */

static void line_hangup(struct line *l, double now_s, const char *source, const char *cause,
                        const char *sip_cause)
{
    if (l->state == LINE_ENDED)
        return;
    if (l->current != NULL) {
        l->said[l->current->line_i].is_interrupted = true;
        line_end_speech(l, now_s, "call_hangup");
    }
    line_clear_queue(l);
    l->is_talking = false;
    l->state = LINE_ENDED;
    l->hangup_source = source;
    l->hangup_cause = cause;
    l->ended = stamp_now();
    json_t *p = line_payload_with_numbers(l, "hangup");
    json_object_set_new(p, "hangup_cause", json_string(cause));
    json_object_set_new(p, "hangup_source", json_string(source));
    json_object_set_new(p, "sip_hangup_cause", json_string(sip_cause));
    json_object_set_new(p, "call_quality_stats", json_null());
    line_emit(l, "call.hangup", p, -1);
    l->w->live--;
    if (l->w->on_ended != NULL)
        l->w->on_ended(l->w->on_ended_arg);
}

/* -- the caller ------------------------------------------------------------------- */

static bool line_send_transcript(struct line *l, const char *text, bool is_final)
{
    if (!l->is_transcribing || (strcmp(l->track, "inbound") != 0 && strcmp(l->track, "both") != 0))
        return false;
    json_t *p = line_payload(l, true);
    json_object_set_new(p, "transcription_data",
                        json_pack("{s:s, s:b, s:f, s:s}", "transcript", text, "is_final", is_final,
                                  "confidence", 0.9, "transcription_track", "inbound"));
    line_emit(l, "call.transcription", p, is_final);
    return true;
}

static bool line_agent_is_silent(const struct line *l)
{
    return l->current == NULL && l->queue == NULL;
}

/* Whether the caller may start its next line now; else *at is when to look again
 * (NO_TIME: when something changes). */
static bool line_say_ready(const struct line *l, double now_s, double *at)
{
    *at = NO_TIME;
    if (!l->is_transcribing)
        return false;
    if (!line_agent_is_silent(l)) {
        *at = l->current != NULL ? l->current->end_s : NO_TIME;
        return false;
    }
    bool has_spoken = l->last_utterance_end_s != NO_TIME;
    double turn_base = has_spoken ? l->last_utterance_end_s : l->answered.mono_s;
    double wait_s = has_spoken ? l->w->reply_wait_s : l->w->greeting_wait_s;
    bool heard_reply = l->replies_started > l->replies_at_last_utterance;
    if (!heard_reply && now_s < turn_base + wait_s) {
        *at = turn_base + wait_s;
        return false;
    }
    double gap_end = (l->last_speech_end_s != NO_TIME ? l->last_speech_end_s : l->answered.mono_s) +
                     l->w->turn_gap_s;
    if (now_s < gap_end) {
        *at = gap_end;
        return false;
    }
    return true;
}

/* The first words of text Telnyx's interim transcript carries: one of a line of up to
 * two words, else two. Written into out. */
static int interim_words(const char *text, char *out, size_t cap)
{
    int n_words = count_words(text);
    int n_interim = n_words <= 2 ? 1 : 2;
    snprintf(out, cap, "%s", text);
    int seen = 0;
    for (char *c = out; *c != '\0'; c++)
        if (*c == ' ' && c > out && c[-1] != ' ' && ++seen == n_interim) {
            *c = '\0';
            break;
        }
    return n_interim;
}

static double min_time(double a, double b)
{
    return a == NO_TIME ? b : (b == NO_TIME ? a : fmin(a, b));
}

/* Advances the caller; returns the next time it needs to look, or NO_TIME. */
static double line_caller_tick(struct line *l, double now_s)
{
    const struct line_world *w = l->w;
    if (l->state == LINE_ENDED)
        return NO_TIME;
    if (l->state == LINE_PARKED) {
        double deadline = l->created.mono_s + w->answer_timeout_s;
        if (now_s >= deadline) {
            line_hangup(l, now_s, "caller", "originator_cancel", "487");
            return NO_TIME;
        }
        return deadline;
    }
    double limit = l->answered.mono_s + w->max_call_s;
    if (now_s >= limit) {
        line_hangup(l, now_s, "caller", "time_limit", "200");
        return NO_TIME;
    }
    for (;;) {
        if (l->is_talking) {
            const char *text = w->script[l->step];
            if (!l->is_interim_sent && now_s >= l->interim_at_s) {
                char interim[256];
                interim_words(text, interim, sizeof interim);
                l->is_interim_sent = true;
                line_send_transcript(l, interim, false);
            }
            if (now_s < l->final_at_s)
                return fmin(limit, l->is_interim_sent ? l->final_at_s : l->interim_at_s);
            bool is_heard = line_send_transcript(l, text, true);
            int i = line_say(l, false, text, stamp_now().real_s);
            l->said[i].is_unheard = !is_heard;
            l->is_talking = false;
            l->last_utterance_end_s = now_s;
            l->replies_at_last_utterance = l->replies_started;
            l->step++;
            continue;
        }
        if (l->step >= w->n_script)
            return limit;       /* script done: wait for the receptionist to hang up */
        double at;
        if (!line_say_ready(l, now_s, &at))
            return min_time(limit, at);
        char interim[256];
        int n_words = count_words(w->script[l->step]);
        int n_interim = interim_words(w->script[l->step], interim, sizeof interim);
        l->is_talking = true;
        l->is_interim_sent = false;
        l->interim_at_s = now_s + n_interim * w->speech_s_per_word;
        l->final_at_s = fmax(now_s + n_words * w->speech_s_per_word, l->interim_at_s + 0.001);
    }
}

/* The call's one driver: what sim_call.py's thread does each time it wakes. */
static void line_run(struct line *l)
{
    for (;;) {
        double now_s = stamp_now().mono_s;
        double next = min_time(line_speech_tick(l, now_s), line_caller_tick(l, now_s));
        if (l->state == LINE_ENDED) {
            evtimer_del(l->timer);
            return;
        }
        double wait_s = (next == NO_TIME ? now_s + 1.0 : next) - stamp_now().mono_s;
        if (wait_s > 0) {
            struct timeval tv = {(time_t)wait_s, (suseconds_t)((wait_s - floor(wait_s)) * 1e6)};
            evtimer_add(l->timer, &tv);
            return;
        }
    }
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    line_run(arg);
}

/* -- commands ---------------------------------------------------------------------- */

static void line_do_answer(struct line *l, json_t *body, double now_s)
{
    if (l->state != LINE_PARKED)
        return;             /* already answered: nothing more happens */
    l->state = LINE_ANSWERED;
    l->answered = stamp_now();
    l->answered.mono_s = now_s;
    if (json_is_true(json_object_get(body, "transcription"))) {
        const char *track = json_string_value(json_object_get(
            json_object_get(body, "transcription_config"), "transcription_tracks"));
        l->is_transcribing = true;
        snprintf(l->track, sizeof l->track, "%s", track != NULL ? track : "inbound");
    }
    line_emit(l, "call.answered", line_payload_with_numbers(l, "answered"), -1);
}

static void line_do_speak(struct line *l, json_t *body, double now_s)
{
    const char *stop = json_string_value(json_object_get(body, "stop"));
    if (stop != NULL && strcmp(stop, "all") == 0)
        line_clear_queue(l);
    if (stop != NULL && (strcmp(stop, "current") == 0 || strcmp(stop, "all") == 0))
        line_cut_speech(l, now_s);
    struct speech *s = must(calloc(1, sizeof *s));
    s->text = speech_text(body);
    int words = count_words(s->text);
    s->duration_s = (words > 1 ? words : 1) * l->w->speech_s_per_word;
    struct speech **tail = &l->queue;
    while (*tail != NULL)
        tail = &(*tail)->next;
    *tail = s;
    line_speech_tick(l, now_s);
}

static void line_do_playback_stop(struct line *l, json_t *body, double now_s)
{
    const char *stop = json_string_value(json_object_get(body, "stop"));
    if (stop == NULL || strcmp(stop, "all") == 0)
        line_clear_queue(l);
    line_cut_speech(l, now_s);
    line_speech_tick(l, now_s);
}

static void line_do(struct line *l, const char *name, json_t *body, double now_s)
{
    if (strcmp(name, "answer") == 0) {
        line_do_answer(l, body, now_s);
    } else if (strcmp(name, "speak") == 0) {
        line_do_speak(l, body, now_s);
    } else if (strcmp(name, "playback_stop") == 0) {
        line_do_playback_stop(l, body, now_s);
    } else if (strcmp(name, "transcription_start") == 0) {
        const char *track = json_string_value(json_object_get(body, "transcription_tracks"));
        l->is_transcribing = true;
        snprintf(l->track, sizeof l->track, "%s", track != NULL ? track : "inbound");
    } else if (strcmp(name, "transcription_stop") == 0) {
        l->is_transcribing = false;
    } else if (strcmp(name, "hangup") == 0) {
        line_hangup(l, now_s, "callee", "normal_clearing", "200");
    }
    /* any other action is answered and changes nothing, as the simulator's _do_other;
     * the benchmark's check counts it as unexpected (a transfer is not simulated) */
}

static void answer_error(struct line_answer *out, int status, const char *code, const char *title,
                         const char *detail)
{
    *out = (struct line_answer){status, code, title, detail, false};
}

void line_command(struct line *l, const char *name, json_t *body, struct stamp at,
                  struct line_answer *out)
{
    const char *cid = json_string_value(json_object_get(body, "command_id"));
    *out = (struct line_answer){.status = 200};
    for (int i = 0; cid != NULL && i < l->n_seen; i++)
        if (strcmp(l->seen[i].id, cid) == 0 && at.mono_s - l->seen[i].at_s < DEDUPE_WINDOW_S) {
            out->is_duplicate = true;
            return;
        }
    if (l->state == LINE_ENDED) {
        answer_error(out, 422, "90018", "Call has already ended",
                     "This call is no longer active and can't receive commands.");
        return;
    }
    for (size_t i = 0; l->state == LINE_PARKED && i < sizeof needs_answer / sizeof *needs_answer; i++)
        if (strcmp(name, needs_answer[i]) == 0) {
            answer_error(out, 422, "90034", "Call not answered yet",
                         "The call must be answered before issuing this command.");
            return;
        }
    if (strcmp(name, "transcription_start") == 0 && l->is_transcribing) {
        answer_error(out, 422, "90054", "Transcription is already in progress",
                     "Stop the current transcription before starting a new one.");
        return;
    }
    json_t *cs = json_object_get(body, "client_state");
    if (cs != NULL) {
        json_decref(l->client_state);
        l->client_state = json_incref(cs);
    }
    if (cid != NULL && strlen(cid) < sizeof l->seen[0].id) {
        int i = l->n_seen < SEEN_IDS_MAX ? l->n_seen++ : SEEN_IDS_MAX - 1;
        snprintf(l->seen[i].id, sizeof l->seen[i].id, "%s", cid);
        l->seen[i].at_s = at.mono_s;
    }
    line_do(l, name, body, stamp_now().mono_s);
    line_run(l);
}

/* -- life --------------------------------------------------------------------------- */

bool line_world_init(struct line_world *w)
{
    return regcomp(&w->hold, hold_pattern, REG_EXTENDED | REG_ICASE | REG_NOSUB) == 0;
}

void line_world_cleanup(struct line_world *w)
{
    regfree(&w->hold);
}

struct line *line_create(struct line_world *w, const char *from, const char *to)
{
    struct line *l = must(calloc(1, sizeof *l));
    char id[37];
    l->w = w;
    uuid4(id);
    snprintf(l->id, sizeof l->id, "v3:sim-%s", id);
    uuid4(l->leg_id);
    uuid4(l->session_id);
    snprintf(l->from, sizeof l->from, "%s", from);
    snprintf(l->to, sizeof l->to, "%s", to);
    snprintf(l->track, sizeof l->track, "inbound");
    l->state = LINE_PARKED;
    l->last_speech_end_s = NO_TIME;
    l->last_utterance_end_s = NO_TIME;
    l->hooks = hook_queue_create(w->hooks, l->id);
    l->timer = must(evtimer_new(w->base, on_timer, l));
    return l;
}

void line_start(struct line *l)
{
    char start[32];
    l->created = stamp_now();
    iso_time(l->created.real_s, start);
    json_t *p = line_payload(l, false);
    json_object_set_new(p, "from", json_string(l->from));
    json_object_set_new(p, "to", json_string(l->to));
    json_object_set_new(p, "direction", json_string("incoming"));
    json_object_set_new(p, "state", json_string("parked"));
    json_object_set_new(p, "start_time", json_string(start));
    json_object_set_new(p, "caller_id_name", json_string(l->from));
    line_emit(l, "call.initiated", p, -1);
    l->w->live++;
    line_run(l);
}

const char *line_id(const struct line *l)
{
    return l->id;
}

static json_t *stamp_or_null(double t)
{
    return t > 0 ? json_real(t) : json_null();
}

void line_write_record(const struct line *l, FILE *out)
{
    static const char *const states[] = {"parked", "answered", "hangup"};
    json_t *said = json_array();
    for (int i = 0; i < l->n_said; i++) {
        const struct said *s = &l->said[i];
        json_t *e = json_pack("{s:s, s:s, s:f}", "speaker", s->is_agent ? "agent" : "caller",
                              "text", s->text, "at", s->at);
        if (s->is_interrupted)
            json_object_set_new(e, "interrupted", json_true());
        if (s->is_unheard)
            json_object_set_new(e, "heard", json_false());
        json_array_append_new(said, e);
    }
    json_t *rec = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:i, s:o}",
                            "call_control_id", l->id, "call_leg_id", l->leg_id,
                            "call_session_id", l->session_id, "from", l->from, "to", l->to,
                            "state", states[l->state], "ended", l->state == LINE_ENDED,
                            "hangup_source", l->hangup_source ? json_string(l->hangup_source) : json_null(),
                            "hangup_cause", l->hangup_cause ? json_string(l->hangup_cause) : json_null(),
                            "created_at", stamp_or_null(l->created.real_s),
                            "answered_at", stamp_or_null(l->answered.real_s),
                            "ended_at", stamp_or_null(l->ended.real_s), "script_step", l->step,
                            "transcript", said);
    json_dumpf(rec, out, JSON_COMPACT | JSON_REAL_PRECISION(17));
    fputc('\n', out);
    json_decref(rec);
}

void line_free(struct line *l)
{
    if (l == NULL)
        return;
    event_free(l->timer);
    line_clear_queue(l);
    speech_free(l->current);
    for (int i = 0; i < l->n_said; i++)
        free(l->said[i].text);
    free(l->said);
    json_decref(l->client_state);
    free(l);
}
