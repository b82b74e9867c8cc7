/* tests/fuzz/fuzz_webhook.c: libFuzzer target for what a webhook sender controls once
 * the signature checks out: the body (telnyx_event_parse) and a client_state value
 * (client_state_decode). Built by `make fuzz`; tests/run-all.sh runs it for a bounded
 * time on tests/fuzz/corpus/webhook/.
 *
 * It also checks our hand-written JSON parser (lib/core/json_doc.c) against jansson: both
 * must accept and refuse the same texts, except where json_doc.h says they differ on
 * purpose (json_doc refuses nesting over JSON_DOC_DEPTH_MAX and any NUL byte outside a
 * string, where jansson stops reading as if the text ended; jansson refuses numbers that
 * overflow int64 or double, which json_doc keeps as float64). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>
#include <msgpack.h>

#include "telnyx/client_state.h"
#include "core/json_doc.h"
#include "telnyx/telnyx_event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The body must be one complete MessagePack map: a worker decodes exactly this. */
static void check_body(const struct telnyx_event *ev)
{
    msgpack_unpacked unpacked;
    size_t off = 0;
    msgpack_unpacked_init(&unpacked);
    if (msgpack_unpack_next(&unpacked, (const char *)ev->body, ev->body_len, &off) !=
            MSGPACK_UNPACK_SUCCESS ||
        off != ev->body_len || unpacked.data.type != MSGPACK_OBJECT_MAP)
        __builtin_trap();
    msgpack_unpacked_destroy(&unpacked);
}

static size_t count_openers(const uint8_t *data, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < size; i++)
        n += data[i] == '[' || data[i] == '{';
    return n;
}

static void check_against_jansson(const uint8_t *data, size_t size)
{
    struct json_doc doc;
    json_error_t jerr;
    bool is_ours_ok = json_doc_parse(&doc, (const char *)data, size);
    json_t *root = json_loadb((const char *)data, size, JSON_DECODE_ANY, &jerr);
    if (root != NULL && !is_ours_ok && count_openers(data, size) <= JSON_DOC_DEPTH_MAX &&
        memchr(data, '\0', size) == NULL)
        __builtin_trap();
    if (root == NULL && is_ours_ok && strstr(jerr.text, "too big") == NULL &&
        strstr(jerr.text, "overflow") == NULL)
        __builtin_trap();
    if (root != NULL && is_ours_ok && json_is_string(root)) {
        char copy[256];
        if (json_doc_str_copy(&doc, 0, copy, sizeof copy) &&
            (json_string_length(root) != strlen(copy) || strcmp(json_string_value(root), copy) != 0))
            __builtin_trap();
    }
    json_decref(root);
    json_doc_cleanup(&doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct telnyx_event ev;
    const char *why = NULL;
    char business[37], conversation[CLIENT_STATE_CONVERSATION_MAX + 1];

    if (telnyx_event_parse((const char *)data, size, &ev, &why) == APP_OK) {
        if (ev.body == NULL || strlen(ev.eid) == 0 || strlen(ev.type) == 0)
            __builtin_trap();
        check_body(&ev);
        if (ev.client_state[0] != '\0')
            client_state_decode(ev.client_state, strlen(ev.client_state), business, conversation);
    } else if (why == NULL || ev.body != NULL) {
        __builtin_trap();
    }
    telnyx_event_cleanup(&ev);
    client_state_decode((const char *)data, size, business, conversation);
    check_against_jansson(data, size);
    return 0;
}
