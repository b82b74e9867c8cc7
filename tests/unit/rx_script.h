/* tests/unit/rx_script.h: plays one line of a conversation script (tests/unit/rx/NAME.conv,
 * the format is in tests/unit/rx/README.md) through the simulated call of rx_call.h:
 * a call's setting, a turn (greeting, caller's words, silence, a tool's result) or a
 * check of the last turn. Every line it cannot read is a failure at that line, like a
 * check that does not hold. Used by test_rx_conversations.c. */
#ifndef FD_TEST_RX_SCRIPT_H
#define FD_TEST_RX_SCRIPT_H
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rx_call.h"
#include "rx_script_checks.h"

#define SCRIPT_TITLE_MAX 256
#define SCRIPT_EDITS_MAX 4
#define SCRIPT_EDIT_MAX 1024
#define SCRIPT_EDIT_TO " => "

/* What a conversation shows callers do, for the share handled per family that the
 * runner reports ("family <name>"). */
static const char *const script_families[] = {
    "names",            /* a name in any form, anywhere in a sentence */
    "one_breath",       /* several things said at once, all used */
    "alternatives",     /* a refused time gets real free times */
    "corrections",      /* the last value said wins */
    "not_offered",      /* a service the business does not sell */
    "question_not_yes", /* a question during a flow is answered, the flow kept */
    "questions",        /* questions without the FAQ's own words */
    "broad_questions",  /* "when are you open?" and the like */
    "after_hours",      /* the business's after-hours settings */
    "booking", "cancel_move", "messages", "escalation", "other",
};
#define SCRIPT_NFAMILIES ((int)(sizeof script_families / sizeof script_families[0]))

/* One "edit" of a call's business: its first find replaced. */
struct script_edit {
    char find[SCRIPT_EDIT_MAX];
    char replace[SCRIPT_EDIT_MAX];
};

/* One conversation being played. */
struct script_play {
    const char *path;               /* borrowed: the script file */
    int line;                       /* of the line being played */
    char title[SCRIPT_TITLE_MAX];
    bool is_started;                /* a "test" line was read */
    bool has_call;                  /* a "call" line started a call */
    bool has_turn;                  /* the call has had a turn: checks may follow */
    int nchecks;
    int first_failure_line;         /* 0: none yet */
    bool is_quiet;                  /* failures are expected: do not print them */
    int expected_failure_line;      /* "expect failure on the next line"; 0: none */
    struct script_edit edits[SCRIPT_EDITS_MAX];   /* the call's, in order */
    int nedits;
    struct agent_config *edited;    /* owned: the call's business with its edits, or NULL */
    int family;                     /* "family <name>": index in script_families; -1 none */
    char gap[SCRIPT_TITLE_MAX];     /* "gap <why>": a known failure, said why; "" none */
    int gap_line;                   /* of the "gap" line */
    struct call call;
};

static void script_fail(struct script_play *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A failure of the conversation at the line being played. */
static void script_fail(struct script_play *p, const char *fmt, ...)
{
    check_failures_now++;
    if (p->first_failure_line == 0)
        p->first_failure_line = p->line;
    if (p->is_quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    printf("%s %s:%d %s: ", p->gap[0] != '\0' ? "  known gap:" : "FAIL", p->path, p->line, p->title);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

/* line is word, alone or followed by a space; *rest is set to what follows. */
static bool script_word(const char *line, const char *word, const char **rest)
{
    size_t n = strlen(word);
    if (strncmp(line, word, n) != 0 || (line[n] != '\0' && line[n] != ' '))
        return false;
    *rest = line[n] == ' ' ? line + n + 1 : line + n;
    return true;
}

/* "HH:MM" or "H:MM" to a minute of the day; -1 if it is not a time. */
static int script_minute(const char *text)
{
    int h = -1, m = -1, used = 0;
    if (sscanf(text, "%2d:%2d%n", &h, &m, &used) != 2 || text[used] != '\0' || h < 0 || h > 23 ||
        m < 0 || m > 59)
        return -1;
    return h * 60 + m;
}

/* A count of 1 or more written in digits alone; 0 if text is not one. */
static int script_count(const char *text)
{
    char *end = NULL;
    long n = strtol(text, &end, 10);
    return text[0] >= '1' && text[0] <= '9' && *end == '\0' && n < 1000 ? (int)n : 0;
}

static void script_end_call(struct script_play *p)
{
    agent_config_free(p->edited);
    p->edited = NULL;
    p->nedits = 0;
    p->has_call = false;
    p->has_turn = false;
}

/* "call <business> <YYYY-MM-DD HH:MM>". */
static void script_call(struct script_play *p, const char *arg)
{
    script_end_call(p);
    char name[BIZ_KEY_MAX], when[64];
    int y, mo, d, h, mi, used = 0;
    if (sscanf(arg, "%47s %d-%d-%d %d:%d%n", name, &y, &mo, &d, &h, &mi, &used) != 6 ||
        arg[used] != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59) {
        script_fail(p, "cannot read \"call %s\": want \"call <business> YYYY-MM-DD HH:MM\"", arg);
        return;
    }
    int b = rx_business_by_key(name);
    if (b < 0) {
        script_fail(p, "no business \"%s\": want dental, salon, plumber or one of %s/", name,
                    RX_MORE_BUSINESSES_DIR);
        return;
    }
    snprintf(when, sizeof when, "%04d-%02d-%02d %02d:%02d", y, mo, d, h, mi);
    call_start(&p->call, (enum biz)b, when);
    p->has_call = true;
}

/* "edit <find> => <replace>": the business's docs/examples file with find replaced, after
 * the call's earlier edits; the edits are made before the call's first turn, as one
 * alone may not be a valid configuration. */
static void script_edit(struct script_play *p, const char *arg)
{
    const char *arrow = strstr(arg, SCRIPT_EDIT_TO);
    if (arrow == NULL || arrow == arg || p->nedits == SCRIPT_EDITS_MAX || strlen(arg) >= SCRIPT_EDIT_MAX) {
        script_fail(p, "want up to %d \"edit <find> => <replace>\" lines of a call, each under %d bytes",
                    SCRIPT_EDITS_MAX, SCRIPT_EDIT_MAX);
        return;
    }
    struct script_edit *e = &p->edits[p->nedits++];
    snprintf(e->find, sizeof e->find, "%.*s", (int)(arrow - arg), arg);
    snprintf(e->replace, sizeof e->replace, "%s", arrow + strlen(SCRIPT_EDIT_TO));
}

/* The call's business with its edits, before its first turn. */
static void script_make_edits(struct script_play *p)
{
    const char *finds[SCRIPT_EDITS_MAX], *replaces[SCRIPT_EDITS_MAX];
    for (int i = 0; i < p->nedits; i++) {
        finds[i] = p->edits[i].find;
        replaces[i] = p->edits[i].replace;
    }
    p->edited = example_config_edits(biz_files[p->call.biz], finds, replaces, (size_t)p->nedits);
    if (p->edited == NULL)
        script_fail(p, "cannot make the edits of %s (said above)", biz_files[p->call.biz]);
    else
        p->call.ctx.config = p->edited;
}

/* A setting of the call before its first turn: caller, fallback, edit. */
static bool script_setting(struct script_play *p, const char *line)
{
    const char *arg;
    struct call *c = &p->call;
    bool is_caller = script_word(line, "caller", &arg);
    bool is_fallback = !is_caller && script_word(line, "fallback", &arg);
    bool is_edit = !is_caller && !is_fallback && script_word(line, "edit", &arg);
    if (!is_caller && !is_fallback && !is_edit)
        return false;
    if (!p->has_call || p->has_turn) {
        script_fail(p, "\"%s\" belongs after \"call\", before the call's first turn", line);
        return true;
    }
    if (is_edit)
        script_edit(p, arg);
    else if (arg[0] == '\0' || strlen(arg) >= sizeof c->caller)
        script_fail(p, "want a number, or \"\" for none");
    else
        snprintf(is_caller ? c->caller : c->fallback, sizeof c->caller, "%s", script_unquoted(arg));
    return true;
}

/* "free HH:MM ..." after "result ok" or "result refused": the free times. */
static bool script_free_times(struct script_play *p, const char *text, struct rx_tool_result *r)
{
    const char *times;
    if (text[0] == '\0')
        return true;
    if (!script_word(text, "free", &times)) {
        script_fail(p, "after ok or refused want \"free HH:MM ...\", not \"%s\"", text);
        return false;
    }
    char one[16];
    int used = 0;
    for (const char *t = times; sscanf(t, "%15s%n", one, &used) == 1; t += used) {
        int minute = script_minute(one);
        if (minute < 0 || r->nfree == RX_FREE_MAX) {
            script_fail(p, "want up to %d free times HH:MM, not \"%s\"", RX_FREE_MAX, one);
            return false;
        }
        r->free_minutes[r->nfree++] = minute;
    }
    if (r->nfree == 0)
        script_fail(p, "\"free\" without a time");
    return r->nfree > 0;
}

/* "result found YYYY-MM-DD HH:MM <service>": the booking cancel_booking found. */
static bool script_found(struct script_play *p, const char *text, struct rx_tool_result *r)
{
    char hhmm[8];
    int used = 0;
    if (sscanf(text, "%d-%d-%d %7s %n", &r->day.year, &r->day.month, &r->day.day, hhmm, &used) != 4 ||
        used == 0 || text[used] == '\0' || (r->minute = script_minute(hhmm)) < 0) {
        script_fail(p, "want \"result found YYYY-MM-DD HH:MM <service>\"");
        return false;
    }
    snprintf(r->service, sizeof r->service, "%s", text + used);
    return true;
}

/* "result ok|refused [free HH:MM ...]" or "result found ...": the tool just asked for
 * has run, as the worker would say. */
static void script_result(struct script_play *p, const char *arg)
{
    struct call *c = &p->call;
    const char *rest;
    if (c->out.tool.tool == RX_TOOL_NONE) {
        script_fail(p, "a result, but the receptionist asked for no tool");
        return;
    }
    struct rx_tool_result r;
    bool is_read;
    if (script_word(arg, "ok", &rest) || script_word(arg, "refused", &rest)) {
        r = result_of(c, arg[0] == 'o');
        is_read = script_free_times(p, rest, &r);
    } else if (script_word(arg, "found", &rest)) {
        r = result_of(c, true);
        is_read = script_found(p, rest, &r);
    } else {
        script_fail(p, "want \"result ok\", \"result refused\" or \"result found\"");
        return;
    }
    if (is_read)
        tool_done(c, &r);
}

/* A turn: greet, say, silence, result. False: the line is not one. */
static bool script_turn(struct script_play *p, const char *line)
{
    const char *arg;
    bool is_greet = script_word(line, "greet", &arg), is_say = script_word(line, "say", &arg);
    bool is_silence = script_word(line, "silence", &arg), is_result = script_word(line, "result", &arg);
    if (!is_greet && !is_say && !is_silence && !is_result)
        return false;
    if (!p->has_call) {
        script_fail(p, "a turn before any \"call\"");
        return true;
    }
    if (!p->has_turn && p->nedits > 0)
        script_make_edits(p);
    int failures = check_failures_now;
    if (is_greet && arg[0] == '\0')
        greet(&p->call);
    else if (is_say && arg[0] != '\0')
        say(&p->call, arg);
    else if (is_silence && script_count(arg) > 0)
        silence(&p->call, script_count(arg));
    else if (is_result)
        script_result(p, arg);
    else
        script_fail(p, "cannot read \"%s\"", line);
    if (check_failures_now > failures && p->first_failure_line == 0)
        p->first_failure_line = p->line;
    if (check_failures_now > failures && !p->is_quiet)
        printf("%s %s:%d %s: the reply above breaks a rule of every call\n", p->gap[0] != '\0' ? "  known gap:" : "FAIL",
               p->path, p->line, p->title);
    p->has_turn = true;
    return true;
}

/* A check of the last turn, "not" before it negating it. */
static void script_check(struct script_play *p, const char *line)
{
    const char *arg;
    bool is_negated = script_word(line, "not", &arg);
    const char *body = is_negated ? arg : line;
    const struct script_check *chk = script_check_find(body, &arg);
    if (chk == NULL) {
        script_fail(p, "cannot read \"%s\"", line);
        return;
    }
    if ((chk->arg == SCRIPT_ARG_NONE) != (arg[0] == '\0')) {
        script_fail(p, "\"%s\" %s", chk->name, chk->arg == SCRIPT_ARG_NONE ? "takes nothing after it"
                                                                            : "wants what to check");
        return;
    }
    if (!p->has_turn) {
        script_fail(p, "a check before the call's first turn");
        return;
    }
    p->nchecks++;
    char got[RX_SAY_MAX + 64];
    if (!script_check_holds(chk, &p->call, arg, is_negated, got, sizeof got))
        script_fail(p, "expected \"%s\"; %s was \"%s\"", line, chk->what, got);
}

/* "family <name>": one of script_families, once. */
static void script_family(struct script_play *p, const char *name)
{
    for (int f = 0; f < SCRIPT_NFAMILIES; f++)
        if (strcmp(name, script_families[f]) == 0 && p->family < 0) {
            p->family = f;
            return;
        }
    script_fail(p, "want one \"family <name>\" of the list in tests/unit/rx/README.md, not \"%s\"", name);
}

/* One line of a conversation, after its "test" line: leading spaces do not matter. */
static void script_play_line(struct script_play *p, const char *line)
{
    const char *arg;
    if (script_word(line, "call", &arg)) {
        script_call(p, arg);
    } else if (script_word(line, "family", &arg)) {
        script_family(p, arg);
    } else if (script_word(line, "gap", &arg)) {
        if (arg[0] == '\0' || p->gap[0] != '\0')
            script_fail(p, "want one \"gap <why it fails today>\" per conversation");
        snprintf(p->gap, sizeof p->gap, "%s", arg);
        p->gap_line = p->line;
    } else if (strcmp(line, "expect failure on the next line") == 0) {
        if (!p->is_quiet)
            script_fail(p, "a failure is expected only in the runner's own failing scripts");
        p->expected_failure_line = p->line + 1;
    } else if (!script_setting(p, line) && !script_turn(p, line)) {
        script_check(p, line);
    }
}

#endif
