/* tests/tools/llm_turn.c: runs one model-mode turn (lib/llm/llm_client.c) on a real event
 * loop against an OpenAI-compatible URL, for one business's configuration, and prints
 * the outcome as one JSON object on stdout. For tests/integration/test_llm_client.py.
 *   llm_turn --config FILE [--url U] [--key K] [--model M] [--now TEXT]
 *            [--budget-ms N] [--linger-ms N] (--say TEXT | --messages FILE)
 * --url, --key and --model default to FRONTDESK_LLM_URL, _API_KEY and _MODEL.
 * --messages is the conversation as JSON: [{"role": "user"|"assistant"|"tool",
 * "text": ..., "tool_calls": [{"id", "name", "arguments": {...}}], "tool_call_id": ...}].
 * --linger-ms keeps the loop running after the outcome (to show a cancelled request
 * stays cancelled). Output: {"outcome", "reply", "tool_calls": [{"tool", "id", and the
 * non-empty arguments}], "status", "why", "elapsed_ms", "prompt_tokens",
 * "completion_tokens", "metrics"}. Exit status 0 when the turn ended, 2 on bad usage. */
#include <event2/buffer.h>
#include <event2/event.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"
#include "http/http_client.h"
#include "llm/llm_client.h"
#include "core/log.h"

#define MESSAGES_MAX 64

struct driver {
    struct event_base *base;
    struct llm_client *llm;
    json_t *out;                    /* the outcome, once the turn ended */
    int linger_ms;
};

static json_t *call_json(const struct rx_tool_call *c)
{
    json_t *j = json_pack("{s:s, s:s}", "tool", rx_tool_name(c->tool), "id", c->call_id);
    const struct { const char *key, *value; } fields[] = {
        {"service", c->service}, {"day", c->day}, {"time", c->time},
        {"caller_name", c->caller_name}, {"callback_number", c->callback_number},
        {"reason", c->reason}, {"message", c->message},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i].value[0] != '\0')
            json_object_set_new(j, fields[i].key, json_string(fields[i].value));
    return j;
}

static void on_linger_end(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    event_base_loopbreak(arg);
}

static void on_turn_done(const struct llm_result *res, void *arg)
{
    struct driver *dr = arg;
    json_t *calls = json_array();
    for (size_t i = 0; i < res->ntool_calls; i++)
        json_array_append_new(calls, call_json(&res->tool_calls[i]));
    dr->out = json_pack("{s:s, s:o, s:o, s:i, s:o, s:f, s:i, s:i}",
                        "outcome", llm_outcome_name(res->outcome),
                        "reply", res->reply ? json_string(res->reply) : json_null(),
                        "tool_calls", calls, "status", (int)res->status,
                        "why", res->why ? json_string(res->why) : json_null(),
                        "elapsed_ms", res->elapsed_s * 1000.0,
                        "prompt_tokens", (int)res->prompt_tokens,
                        "completion_tokens", (int)res->completion_tokens);
    struct timeval linger = {dr->linger_ms / 1000, (dr->linger_ms % 1000) * 1000};
    event_base_once(dr->base, -1, EV_TIMEOUT, on_linger_end, dr->base, &linger);
}

/* Fills msgs from the --messages document; calls holds their tool calls. */
static int messages_load(json_t *doc, struct llm_message *msgs, struct rx_tool_call *calls,
                         size_t *ncalls)
{
    size_t i;
    json_t *m;
    if (!json_is_array(doc) || json_array_size(doc) > MESSAGES_MAX)
        return -1;
    json_array_foreach(doc, i, m) {
        const char *role = json_string_value(json_object_get(m, "role"));
        msgs[i].role = role == NULL ? (enum llm_role)99
                       : strcmp(role, "user") == 0 ? LLM_ROLE_USER
                       : strcmp(role, "assistant") == 0 ? LLM_ROLE_ASSISTANT : LLM_ROLE_TOOL;
        msgs[i].text = json_string_value(json_object_get(m, "text"));
        msgs[i].tool_call_id = json_string_value(json_object_get(m, "tool_call_id"));
        msgs[i].tool_calls = &calls[*ncalls];
        size_t j;
        json_t *c;
        json_array_foreach(json_object_get(m, "tool_calls"), j, c) {
            char *args = json_dumps(json_object_get(c, "arguments"), JSON_COMPACT | JSON_ENCODE_ANY);
            char why[128];
            bool ok = *ncalls < MESSAGES_MAX &&
                      llm_tool_call_parse(json_string_value(json_object_get(c, "name")), args,
                                          strlen(args), json_string_value(json_object_get(c, "id")),
                                          &calls[*ncalls], why, sizeof why);
            free(args);
            if (!ok)
                return -1;
            (*ncalls)++;
            msgs[i].ntool_calls++;
        }
    }
    return (int)json_array_size(doc);
}

static struct agent_config *config_load(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *text = malloc(AGENT_CONFIG_DOC_MAX + 1);
    size_t len = fread(text, 1, AGENT_CONFIG_DOC_MAX + 1, f);
    fclose(f);
    struct agent_config *c = NULL;
    char why[256];
    if (agent_config_parse(text, len, &c, why, sizeof why) != APP_OK)
        fprintf(stderr, "llm_turn: %s: %s\n", path, why);
    free(text);
    return c;
}

static const char *arg_after(int argc, char **argv, const char *flag, const char *fallback)
{
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], flag) == 0)
            return argv[i + 1];
    return fallback;
}

int main(int argc, char **argv)
{
    static struct llm_message msgs[MESSAGES_MAX];
    static struct rx_tool_call calls[MESSAGES_MAX];
    struct llm_options opt;
    llm_options_init(&opt);
    opt.url = arg_after(argc, argv, "--url", getenv("FRONTDESK_LLM_URL"));
    opt.api_key = arg_after(argc, argv, "--key", getenv("FRONTDESK_LLM_API_KEY"));
    opt.model = arg_after(argc, argv, "--model", getenv("FRONTDESK_LLM_MODEL"));
    opt.budget_ms = atoi(arg_after(argc, argv, "--budget-ms", "2500"));
    const char *say = arg_after(argc, argv, "--say", NULL);
    const char *messages_path = arg_after(argc, argv, "--messages", NULL);
    struct driver dr = {.linger_ms = atoi(arg_after(argc, argv, "--linger-ms", "0"))};
    struct agent_config *config = config_load(arg_after(argc, argv, "--config", ""));
    json_t *messages_doc = messages_path ? json_load_file(messages_path, 0, NULL) : NULL;
    size_t ncalls = 0;
    int nmsgs = 1;
    msgs[0] = (struct llm_message){.role = LLM_ROLE_USER, .text = say};
    if (messages_path != NULL)
        nmsgs = messages_load(messages_doc, msgs, calls, &ncalls);
    log_set_component("llm_turn");
    dr.base = event_base_new();
    struct http_client *http = http_client_create(dr.base);
    dr.llm = llm_client_create(http, dr.base, &opt);
    int status = 2;
    if (config == NULL || dr.llm == NULL || nmsgs < 0 || (say == NULL) == (messages_path == NULL)) {
        fprintf(stderr, "usage: llm_turn --config FILE [--url U --key K --model M] "
                        "[--now TEXT] [--budget-ms N] [--linger-ms N] (--say TEXT | --messages FILE)\n");
        goto out;
    }
    struct llm_turn_request req = {
        .config = config, .now_local = arg_after(argc, argv, "--now", NULL),
        .messages = msgs, .nmessages = (size_t)nmsgs, .call_id = "v3:llm-turn-driver",
    };
    llm_client_turn(dr.llm, &req, on_turn_done, &dr);
    event_base_dispatch(dr.base);
    struct evbuffer *metrics = evbuffer_new();
    llm_client_write_metrics(dr.llm, metrics);
    json_object_set_new(dr.out, "metrics", json_stringn((const char *)evbuffer_pullup(metrics, -1),
                                                        evbuffer_get_length(metrics)));
    evbuffer_free(metrics);
    char *text = json_dumps(dr.out, JSON_COMPACT);
    printf("%s\n", text);
    free(text);
    json_decref(dr.out);
    status = 0;
out:
    llm_client_free(dr.llm);
    http_client_free(http);
    event_base_free(dr.base);
    json_decref(messages_doc);
    agent_config_free(config);
    return status;
}
