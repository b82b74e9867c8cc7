/* lib/llm/llm_answer.c: see llm_answer.h.
 *
 * Answers are read with json_doc (strict, no tree); a tool call's arguments arrive as
 * a JSON string holding JSON, decoded and parsed a second time. Each tool's arguments
 * are described once (arg_spec tables), for reading them and for writing them back
 * into the conversation. Anything unexpected makes the whole answer LLM_INVALID: a
 * half-understood answer is worse than the built-in receptionist's. */
#include "llm/llm_answer.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/civil_date.h"
#include "core/e164.h"
#include "core/json_doc.h"
#include "receptionist/receptionist.h"
#include "core/xalloc.h"

#define ARGS_MAX (16 * 1024)        /* bytes of one tool call's decoded arguments */

/* ---- tool arguments ---- */

enum arg_kind { ARG_TEXT, ARG_PARAGRAPH, ARG_DAY, ARG_TIME, ARG_E164 };

struct arg_spec {
    const char *key;                /* NULL ends a list */
    size_t offset, size;            /* the field of struct rx_tool_call */
    enum arg_kind kind;
    bool is_required;
};

#define FIELD(f) offsetof(struct rx_tool_call, f), sizeof(((struct rx_tool_call *)0)->f)

static const struct arg_spec availability_args[] = {
    {"service", FIELD(service), ARG_TEXT, true},
    {"day", FIELD(day), ARG_DAY, true},
    {"time", FIELD(time), ARG_TIME, false},
    {NULL, 0, 0, ARG_TEXT, false},
};
static const struct arg_spec book_args[] = {
    {"service", FIELD(service), ARG_TEXT, true},
    {"day", FIELD(day), ARG_DAY, true},
    {"time", FIELD(time), ARG_TIME, true},
    {"caller_name", FIELD(caller_name), ARG_TEXT, true},
    {NULL, 0, 0, ARG_TEXT, false},
};
static const struct arg_spec transfer_args[] = {
    {"reason", FIELD(reason), ARG_TEXT, true},
    {NULL, 0, 0, ARG_TEXT, false},
};
static const struct arg_spec message_args[] = {
    {"caller_name", FIELD(caller_name), ARG_TEXT, true},
    {"callback_number", FIELD(callback_number), ARG_E164, true},
    {"message", FIELD(message), ARG_PARAGRAPH, true},
    {NULL, 0, 0, ARG_TEXT, false},
};
static const struct arg_spec no_args[] = {{NULL, 0, 0, ARG_TEXT, false}};

static const struct arg_spec *tool_args(enum rx_tool tool)
{
    switch (tool) {
    case RX_TOOL_CHECK_AVAILABILITY: return availability_args;
    case RX_TOOL_BOOK: return book_args;
    case RX_TOOL_TRANSFER: return transfer_args;
    case RX_TOOL_TAKE_MESSAGE: return message_args;
    case RX_TOOL_CANCEL:
    case RX_TOOL_END_CALL: return no_args;
    case RX_TOOL_NONE: break;
    }
    return NULL;
}

/* Why value (NUL-terminated, trimmed) is not of kind, or NULL when it is. */
static const char *arg_problem(const char *v, enum arg_kind kind)
{
    size_t len = strlen(v);
    for (const unsigned char *p = (const unsigned char *)v; *p != '\0'; p++)
        if (*p < 0x20 && !(kind == ARG_PARAGRAPH && (*p == '\n' || *p == '\t')))
            return "holds a control character";
    struct civil_date day;
    if (kind == ARG_DAY) {
        if (!rx_tool_day_parse(v, &day))
            return "is not a date YYYY-MM-DD";
    } else if (kind == ARG_TIME) {
        if (rx_tool_minute_parse(v) < 0)
            return "is not a time HH:MM";
    } else if (kind == ARG_E164 && !e164_is_valid(v, len)) {
        return "is not an E.164 number";
    }
    return NULL;
}

/* Copies a string argument into its field, trimmed of surrounding spaces. */
static const char *arg_copy(const struct json_doc *doc, int tok, const struct arg_spec *a,
                            struct rx_tool_call *out)
{
    char *field = (char *)out + a->offset;
    if (json_doc_kind(doc, tok) != JSON_KIND_STRING)
        return "is not a string";
    if (json_doc_str_len(doc, tok) >= a->size || !json_doc_str_copy(doc, tok, field, a->size))
        return "is too long";
    size_t start = strspn(field, " ");
    size_t len = strlen(field + start);
    while (len > 0 && field[start + len - 1] == ' ')
        len--;
    memmove(field, field + start, len);
    field[len] = '\0';
    if (len == 0)
        return a->is_required ? "is empty" : NULL;
    return arg_problem(field, a->kind);
}

static bool args_fill(const struct json_doc *doc, int obj, enum rx_tool tool,
                      struct rx_tool_call *out, char *why, size_t why_len)
{
    if (json_doc_kind(doc, obj) != JSON_KIND_OBJECT) {
        snprintf(why, why_len, "%s: arguments are not a JSON object", rx_tool_name(tool));
        return false;
    }
    for (const struct arg_spec *a = tool_args(tool); a->key != NULL; a++) {
        int tok = json_doc_get(doc, obj, a->key);
        const char *problem = NULL;
        if (tok < 0 || json_doc_kind(doc, tok) == JSON_KIND_NULL)
            problem = a->is_required ? "is missing" : NULL;
        else
            problem = arg_copy(doc, tok, a, out);
        if (problem != NULL) {
            snprintf(why, why_len, "%s: %s %s", rx_tool_name(tool), a->key, problem);
            return false;
        }
    }
    return true;
}

/* Sets out's tool and call_id; false (*why) for an unknown tool or an unusable id. */
static bool call_begin(const char *name, const char *id, struct rx_tool_call *out,
                       char *why, size_t why_len)
{
    memset(out, 0, sizeof *out);
    out->tool = name != NULL ? rx_tool_from_name(name) : RX_TOOL_NONE;
    if (out->tool == RX_TOOL_NONE) {
        snprintf(why, why_len, "unknown tool");
        return false;
    }
    if (id == NULL || id[0] == '\0' || strlen(id) >= sizeof out->call_id) {
        snprintf(why, why_len, "%s: tool call id missing or too long", name);
        memset(out, 0, sizeof *out);
        return false;
    }
    strcpy(out->call_id, id);
    return true;
}

bool llm_tool_call_parse(const char *name, const char *args, size_t args_len, const char *id,
                         struct rx_tool_call *out, char *why, size_t why_len)
{
    size_t blank = 0;
    while (blank < args_len && strchr(" \t\r\n", args[blank]) != NULL)
        blank++;
    if (blank == args_len) {        /* some servers send "" for a tool without arguments */
        args = "{}";
        args_len = 2;
    }
    if (!call_begin(name, id, out, why, why_len))
        return false;
    if (args_len > ARGS_MAX) {
        memset(out, 0, sizeof *out);
        snprintf(why, why_len, "%s: arguments are too long", name);
        return false;
    }
    struct json_doc doc;
    bool ok = json_doc_parse(&doc, args, args_len);
    if (!ok)
        snprintf(why, why_len, "%s: arguments are not JSON", name);
    else
        ok = args_fill(&doc, 0, out->tool, out, why, why_len);
    json_doc_cleanup(&doc);
    if (!ok)
        memset(out, 0, sizeof *out);
    return ok;
}

/* Fills *out from a tool call whose arguments are token args of doc: a string holding
 * a JSON object (as OpenAI sends them), or an object (as some compatible servers do). */
static bool tool_call_fill(const char *name, const struct json_doc *doc, int args,
                           const char *id, struct rx_tool_call *out, char *why, size_t why_len)
{
    if (json_doc_kind(doc, args) == JSON_KIND_STRING) {
        size_t len = json_doc_str_len(doc, args);
        char *text = xmalloc(len + 1);
        json_doc_str_copy(doc, args, text, len + 1);
        bool ok = llm_tool_call_parse(name, text, len, id, out, why, why_len);
        free(text);
        return ok;
    }
    if (!call_begin(name, id, out, why, why_len))
        return false;
    if (args_fill(doc, args, out->tool, out, why, why_len))
        return true;
    memset(out, 0, sizeof *out);
    return false;
}

json_t *llm_tool_call_arguments(const struct rx_tool_call *call)
{
    json_t *args = json_object();
    const struct arg_spec *a = tool_args(call->tool);
    for (; a != NULL && a->key != NULL; a++) {
        const char *value = (const char *)call + a->offset;
        if (value[0] != '\0')
            json_object_set_new(args, a->key, json_string(value));
    }
    return args;
}

/* ---- the answer ---- */

static char *str_dup_tok(const struct json_doc *doc, int tok)
{
    size_t len = json_doc_str_len(doc, tok);
    char *s = xmalloc(len + 1);
    json_doc_str_copy(doc, tok, s, len + 1);
    return s;
}

static bool answer_read_call(const struct json_doc *doc, int item, struct rx_tool_call *out,
                             char *why, size_t why_len)
{
    int type = json_doc_get(doc, item, "type");
    int fn = json_doc_get(doc, item, "function");
    int name = json_doc_get(doc, fn, "name");
    int id = json_doc_get(doc, item, "id");
    if ((type >= 0 && !json_doc_str_equals(doc, type, "function")) ||
        json_doc_kind(doc, name) != JSON_KIND_STRING || json_doc_kind(doc, id) != JSON_KIND_STRING ||
        json_doc_str_len(doc, name) > 64 || json_doc_str_len(doc, id) > 200) {
        snprintf(why, why_len, "a tool call is not a function with a name and an id");
        return false;
    }
    char name_text[65], id_text[201];
    json_doc_str_copy(doc, name, name_text, sizeof name_text);
    json_doc_str_copy(doc, id, id_text, sizeof id_text);
    return tool_call_fill(name_text, doc, json_doc_get(doc, fn, "arguments"), id_text, out,
                          why, why_len);
}

/* A token count from `usage`, or -1 when absent or not a count a server could mean
 * (negative, fractional or huge: casting those to long would be undefined). */
static long usage_count(const struct json_doc *doc, const char *key)
{
    int tok = json_doc_get(doc, json_doc_get(doc, 0, "usage"), key);
    if (json_doc_kind(doc, tok) != JSON_KIND_NUMBER)
        return -1;
    double n = json_doc_number(doc, tok);
    return n >= 0 && n <= 1e12 ? (long)n : -1;
}

enum llm_outcome llm_answer_parse(const char *body, size_t len, struct llm_answer *a,
                                  char *why, size_t why_len)
{
    enum llm_outcome outcome = LLM_INVALID;
    struct json_doc doc;
    if (!json_doc_parse(&doc, body, len)) {
        snprintf(why, why_len, "the answer is not JSON");
        goto out;
    }
    a->prompt_tokens = usage_count(&doc, "prompt_tokens");
    a->completion_tokens = usage_count(&doc, "completion_tokens");
    int msg = json_doc_get(&doc, json_doc_at(&doc, json_doc_get(&doc, 0, "choices"), 0), "message");
    if (json_doc_kind(&doc, msg) != JSON_KIND_OBJECT) {
        snprintf(why, why_len, "the answer has no choices[0].message");
        goto out;
    }
    int content = json_doc_get(&doc, msg, "content");
    if (json_doc_kind(&doc, content) == JSON_KIND_STRING && json_doc_str_len(&doc, content) > LLM_REPLY_MAX) {
        snprintf(why, why_len, "the reply is over %d bytes", LLM_REPLY_MAX);
        goto out;
    }
    if (json_doc_kind(&doc, content) == JSON_KIND_STRING)
        a->reply = str_dup_tok(&doc, content);
    int calls = json_doc_get(&doc, msg, "tool_calls");
    size_t ncalls = json_doc_count(&doc, calls);
    if (json_doc_kind(&doc, calls) == JSON_KIND_ARRAY && ncalls > LLM_TOOL_CALLS_MAX) {
        snprintf(why, why_len, "%zu tool calls, more than %d", ncalls, LLM_TOOL_CALLS_MAX);
        goto out;
    }
    for (size_t i = 0; json_doc_kind(&doc, calls) == JSON_KIND_ARRAY && i < ncalls; i++) {
        if (!answer_read_call(&doc, json_doc_at(&doc, calls, i), &a->calls[i], why, why_len))
            goto out;
        a->ncalls++;
    }
    if (a->reply != NULL && a->reply[strspn(a->reply, " \t\r\n")] == '\0') {
        free(a->reply);             /* blank text says nothing */
        a->reply = NULL;
    }
    if (a->ncalls > 0)
        outcome = LLM_TOOL_CALLS;
    else if (a->reply != NULL)
        outcome = LLM_REPLY;
    else
        snprintf(why, why_len, "the answer has neither content nor tool calls");
out:
    json_doc_cleanup(&doc);
    return outcome;
}

void llm_answer_cleanup(struct llm_answer *a)
{
    free(a->reply);
    a->reply = NULL;
}
