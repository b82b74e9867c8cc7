/* lib/llm/llm_history.c: see llm_history.h. The history is a jansson array while a turn
 * is in flight and compact JSON text in Redis; a few KB at most, rebuilt per request. */
#include "llm/llm_history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm/llm_answer.h"
#include "core/xalloc.h"

json_t *llm_history_parse(const char *text)
{
    json_t *h = text != NULL ? json_loads(text, 0, NULL) : NULL;
    if (json_is_array(h))
        return h;
    json_decref(h);
    return json_array();
}

static const char *role_of(const json_t *m)
{
    const char *r = json_string_value(json_object_get(m, "r"));
    return r != NULL ? r : "";
}

void llm_history_add_text(json_t *h, enum llm_role role, const char *text)
{
    json_t *m = json_pack("{s:s}", "r", role == LLM_ROLE_USER ? "u" : "a");
    if (text != NULL)
        json_object_set_new(m, "t", json_string(text));
    json_array_append_new(h, m);
}

void llm_history_add_calls(json_t *h, const char *text, const struct rx_tool_call *calls, size_t n)
{
    json_t *m = json_pack("{s:s}", "r", "a");
    if (text != NULL && text[0] != '\0')
        json_object_set_new(m, "t", json_string(text));
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *args = llm_tool_call_arguments(&calls[i]);
        char *a = json_dumps(args, JSON_COMPACT);
        json_decref(args);
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "i", calls[i].call_id, "n",
                                             rx_tool_name(calls[i].tool), "a", a != NULL ? a : "{}"));
        free(a);
    }
    json_object_set_new(m, "c", arr);
    json_array_append_new(h, m);
}

void llm_history_add_result(json_t *h, const char *call_id, json_t *result)
{
    char *text = json_dumps(result, JSON_COMPACT);
    json_array_append_new(h, json_pack("{s:s, s:s, s:s}", "r", "t", "i", call_id, "t",
                                       text != NULL ? text : "{}"));
    free(text);
    json_decref(result);
}

char *llm_history_dump(json_t *h)
{
    for (;;) {
        char *text = json_dumps(h, JSON_COMPACT);
        size_t n = json_array_size(h);
        if (text == NULL)
            return xstrdup("[]");
        bool is_cut = n == 0 || strcmp(role_of(json_array_get(h, 0)), "u") == 0;
        if (is_cut && n <= LLM_HISTORY_MESSAGES_MAX && strlen(text) <= LLM_HISTORY_BYTES_MAX)
            return text;
        free(text);
        json_array_remove(h, 0);
        while (json_array_size(h) > 0 && strcmp(role_of(json_array_get(h, 0)), "u") != 0)
            json_array_remove(h, 0);
    }
}

/* The tool calls of assistant message m into calls[*k...]; false if one is refused. */
static bool calls_of(const json_t *m, struct llm_message *msg, struct rx_tool_call *calls, size_t *k)
{
    size_t j;
    json_t *c;
    msg->tool_calls = &calls[*k];
    json_array_foreach(json_object_get(m, "c"), j, c) {
        const char *args = json_string_value(json_object_get(c, "a"));
        char why[128];
        if (args == NULL ||
            !llm_tool_call_parse(json_string_value(json_object_get(c, "n")), args, strlen(args),
                                 json_string_value(json_object_get(c, "i")), &calls[*k], why, sizeof why))
            return false;
        (*k)++;
        msg->ntool_calls++;
    }
    return true;
}

bool llm_history_messages(const json_t *h, struct llm_history_messages *out)
{
    size_t n = json_array_size(h), ncalls = 0, i, k = 0;
    json_t *m;
    memset(out, 0, sizeof *out);
    json_array_foreach(h, i, m)
        ncalls += json_array_size(json_object_get(m, "c"));
    out->msgs = xcalloc(n > 0 ? n : 1, sizeof *out->msgs);
    out->calls = xcalloc(ncalls > 0 ? ncalls : 1, sizeof *out->calls);
    out->n = n;
    json_array_foreach(h, i, m) {
        struct llm_message *msg = &out->msgs[i];
        const char *r = role_of(m);
        msg->text = json_string_value(json_object_get(m, "t"));
        if (strcmp(r, "u") == 0) {
            msg->role = LLM_ROLE_USER;
        } else if (strcmp(r, "t") == 0) {
            msg->role = LLM_ROLE_TOOL;
            msg->tool_call_id = json_string_value(json_object_get(m, "i"));
            if (msg->tool_call_id == NULL)
                return false;
        } else if (strcmp(r, "a") == 0) {
            msg->role = LLM_ROLE_ASSISTANT;
            if (!calls_of(m, msg, out->calls, &k))
                return false;
        } else {
            return false;
        }
        if (msg->text == NULL && msg->ntool_calls == 0)
            return false;
    }
    return true;
}

char *llm_history_last_calls(const json_t *h)
{
    const json_t *m = json_array_get(h, json_array_size(h) - 1);
    if (strcmp(role_of(m), "a") != 0 || json_array_size(json_object_get(m, "c")) == 0)
        return NULL;
    return json_dumps(m, JSON_COMPACT);
}

bool llm_history_use_kept_calls(json_t *h, const char *kept, struct rx_tool_call *calls, size_t max,
                                size_t *n, char *words, size_t words_len)
{
    json_t *m = json_loads(kept, 0, NULL);
    size_t ncalls = json_array_size(json_object_get(m, "c"));
    bool is_valid = strcmp(role_of(m), "a") == 0 && ncalls >= 1 && ncalls <= max &&
                    json_array_size(h) > 0;
    if (is_valid) {
        json_t *one = json_pack("[O]", m);
        struct llm_history_messages msgs;
        is_valid = llm_history_messages(one, &msgs);
        if (is_valid) {
            memcpy(calls, msgs.calls, ncalls * sizeof calls[0]);
            *n = ncalls;
            const char *text = msgs.msgs[0].text;
            snprintf(words, words_len, "%s", text != NULL ? text : "");
        }
        llm_history_messages_cleanup(&msgs);
        json_decref(one);
    }
    if (is_valid)
        json_array_set(h, json_array_size(h) - 1, m);
    json_decref(m);
    return is_valid;
}

void llm_history_messages_cleanup(struct llm_history_messages *m)
{
    free(m->msgs);
    free(m->calls);
    memset(m, 0, sizeof *m);
}
