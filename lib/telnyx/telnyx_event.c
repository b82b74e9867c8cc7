/* lib/telnyx/telnyx_event.c: a Telnyx v2 webhook body to frontdesk's internal event (see
 * telnyx_event.h). Runs once per webhook on the api's hot path, so it indexes the body
 * once with json_doc (no tree, no string copies; jansson alone cost ~20 µs a body), reads
 * the fields it needs, and packs the MessagePack body straight into the buffer the
 * caller will own.
 *
 * The body: a MessagePack map with string keys, version 1. Missing optional fields and
 * fields of the wrong JSON type are left out; nothing here is required but the first four.
 *   always       v (int, 1), type (str), eid (str, data.id), at (str, data.occurred_at or "")
 *   call.*       call_control_id, call_leg_id, call_session_id, connection_id,
 *                client_state, from, to, direction, state, start_time     (str each)
 *     call.initiated                  caller_id_name (str)
 *     call.hangup                     hangup_cause, hangup_source, sip_hangup_cause (str)
 *     call.speak.ended                status (str)
 *     call.gather.ended               digits, status (str)
 *     call.dtmf.received              digit (str)
 *     call.transcription              transcript (str), is_final (bool), confidence
 *                                     (float64), track (str; transcription_data.*)
 *     call.playback.started           media_url, media_name (str)
 *     call.playback.ended             media_url, media_name, status, status_detail (str)
 *     call.recording.saved            recording_urls (map, e.g. {mp3: str|nil, wav: str|nil})
 *     call.recording.error            reason (str)
 *     call.machine.detection.ended    result (str)
 *     call.ai_gather.ended            result (any), status (str), message_history (array)
 *     call.ai_gather.partial_results  partial_results (any), message_history (array)
 *     call.answered, call.speak.started, call.bridged: the common fields only
 *   message.*    message_id (str, payload.id), direction (str), msg_type (str, SMS|MMS),
 *                text, subject (str), from (str, from.phone_number), to ([str], each
 *                to[].phone_number), media ([str], each media[].url), errors (array),
 *                messaging_profile_id (str), autoresponse_type (str: Telnyx answered an
 *                opt-out/opt-in/help keyword itself; not in the schema extract)
 *     message.sent, message.finalized  status (str, to[0].status)
 *   other types  raw (any): data.payload converted as is, when it is present
 * "any" values are converted generically (json_doc_pack): objects to maps, arrays to
 * arrays, strings, integers (int64), reals (float64), booleans, null (nil); an object or
 * array nested more than 32 levels deep in the body (msgpack-c's unpacker limit) is kept
 * as its JSON text, a string. */
#include "telnyx/telnyx_event.h"

#include <stdlib.h>
#include <string.h>

#include <msgpack.h>

#include "core/json_doc.h"
#include "core/mp_buf.h"

#define BODY_VERSION 1
#define BODY_FIELDS_MAX 24

enum field_kind {
    FIELD_STR,        /* a string */
    FIELD_BOOL,       /* true or false */
    FIELD_NUMBER,     /* an integer or a real, packed as float64 */
    FIELD_OBJECT,     /* an object, converted generically */
    FIELD_ARRAY,      /* an array, converted generically */
    FIELD_ANY,        /* any value, converted generically */
    FIELD_FIRST_STR,  /* src is an array: the string src[0].sub */
    FIELD_EACH_STR,   /* src is an array of objects: an array of their string .sub */
};

/* Body key `key` comes from payload.src, or payload.src.sub when sub is set. */
struct field_spec {
    const char *key, *src, *sub;
    enum field_kind kind;
};

enum event_family { FAMILY_CALL, FAMILY_MESSAGE_IN, FAMILY_MESSAGE_OUT };

struct type_spec {
    const char *type;
    enum event_family family;
    const struct field_spec *fields;   /* beyond the family's, {NULL}-terminated */
};

static const struct field_spec call_fields[] = {
    {"call_control_id", "call_control_id", NULL, FIELD_STR},
    {"call_leg_id", "call_leg_id", NULL, FIELD_STR},
    {"call_session_id", "call_session_id", NULL, FIELD_STR},
    {"connection_id", "connection_id", NULL, FIELD_STR},
    {"client_state", "client_state", NULL, FIELD_STR},
    {"from", "from", NULL, FIELD_STR},
    {"to", "to", NULL, FIELD_STR},
    {"direction", "direction", NULL, FIELD_STR},
    {"state", "state", NULL, FIELD_STR},
    {"start_time", "start_time", NULL, FIELD_STR},
    {NULL, NULL, NULL, FIELD_STR},
};

static const struct field_spec message_fields[] = {
    {"message_id", "id", NULL, FIELD_STR},
    {"direction", "direction", NULL, FIELD_STR},
    {"msg_type", "type", NULL, FIELD_STR},
    {"text", "text", NULL, FIELD_STR},
    {"subject", "subject", NULL, FIELD_STR},
    {"from", "from", "phone_number", FIELD_STR},
    {"to", "to", "phone_number", FIELD_EACH_STR},
    {"media", "media", "url", FIELD_EACH_STR},
    {"errors", "errors", NULL, FIELD_ARRAY},
    {"messaging_profile_id", "messaging_profile_id", NULL, FIELD_STR},
    {"autoresponse_type", "autoresponse_type", NULL, FIELD_STR},
    {NULL, NULL, NULL, FIELD_STR},
};

#define END {NULL, NULL, NULL, FIELD_STR}
static const struct field_spec no_fields[] = {END};
static const struct field_spec initiated_fields[] = {
    {"caller_id_name", "caller_id_name", NULL, FIELD_STR}, END};
static const struct field_spec hangup_fields[] = {
    {"hangup_cause", "hangup_cause", NULL, FIELD_STR},
    {"hangup_source", "hangup_source", NULL, FIELD_STR},
    {"sip_hangup_cause", "sip_hangup_cause", NULL, FIELD_STR}, END};
static const struct field_spec status_fields[] = {{"status", "status", NULL, FIELD_STR}, END};
static const struct field_spec gather_fields[] = {
    {"digits", "digits", NULL, FIELD_STR}, {"status", "status", NULL, FIELD_STR}, END};
static const struct field_spec dtmf_fields[] = {{"digit", "digit", NULL, FIELD_STR}, END};
static const struct field_spec transcription_fields[] = {
    {"transcript", "transcription_data", "transcript", FIELD_STR},
    {"is_final", "transcription_data", "is_final", FIELD_BOOL},
    {"confidence", "transcription_data", "confidence", FIELD_NUMBER},
    {"track", "transcription_data", "transcription_track", FIELD_STR}, END};
static const struct field_spec playback_started_fields[] = {
    {"media_url", "media_url", NULL, FIELD_STR},
    {"media_name", "media_name", NULL, FIELD_STR}, END};
static const struct field_spec playback_ended_fields[] = {
    {"media_url", "media_url", NULL, FIELD_STR},
    {"media_name", "media_name", NULL, FIELD_STR},
    {"status", "status", NULL, FIELD_STR},
    {"status_detail", "status_detail", NULL, FIELD_STR}, END};
static const struct field_spec recording_saved_fields[] = {
    {"recording_urls", "recording_urls", NULL, FIELD_OBJECT}, END};
static const struct field_spec recording_error_fields[] = {
    {"reason", "reason", NULL, FIELD_STR}, END};
static const struct field_spec machine_fields[] = {{"result", "result", NULL, FIELD_STR}, END};
static const struct field_spec ai_ended_fields[] = {
    {"result", "result", NULL, FIELD_ANY},
    {"status", "status", NULL, FIELD_STR},
    {"message_history", "message_history", NULL, FIELD_ARRAY}, END};
static const struct field_spec ai_partial_fields[] = {
    {"partial_results", "partial_results", NULL, FIELD_ANY},
    {"message_history", "message_history", NULL, FIELD_ARRAY}, END};
static const struct field_spec outbound_fields[] = {
    {"status", "to", "status", FIELD_FIRST_STR}, END};
#undef END

static const struct type_spec known_types[] = {
    {"call.initiated", FAMILY_CALL, initiated_fields},
    {"call.answered", FAMILY_CALL, no_fields},
    {"call.hangup", FAMILY_CALL, hangup_fields},
    {"call.speak.started", FAMILY_CALL, no_fields},
    {"call.speak.ended", FAMILY_CALL, status_fields},
    {"call.gather.ended", FAMILY_CALL, gather_fields},
    {"call.dtmf.received", FAMILY_CALL, dtmf_fields},
    {"call.transcription", FAMILY_CALL, transcription_fields},
    {"call.playback.started", FAMILY_CALL, playback_started_fields},
    {"call.playback.ended", FAMILY_CALL, playback_ended_fields},
    {"call.recording.saved", FAMILY_CALL, recording_saved_fields},
    {"call.recording.error", FAMILY_CALL, recording_error_fields},
    {"call.machine.detection.ended", FAMILY_CALL, machine_fields},
    {"call.ai_gather.ended", FAMILY_CALL, ai_ended_fields},
    {"call.ai_gather.partial_results", FAMILY_CALL, ai_partial_fields},
    {"call.bridged", FAMILY_CALL, no_fields},
    {"message.received", FAMILY_MESSAGE_IN, no_fields},
    {"message.sent", FAMILY_MESSAGE_OUT, outbound_fields},
    {"message.finalized", FAMILY_MESSAGE_OUT, outbound_fields},
};

/* A field found in the payload, waiting to be packed once the map size is known. */
struct body_entry {
    const struct field_spec *spec;
    int value;   /* token of the parsed body */
};

static const struct type_spec *type_spec_find(const char *type)
{
    for (size_t i = 0; i < sizeof known_types / sizeof known_types[0]; i++)
        if (strcmp(known_types[i].type, type) == 0)
            return &known_types[i];
    return NULL;
}

/* True for an id fit for a Redis key: printable ASCII without spaces. */
static bool is_token(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] <= ' ' || s[i] > '~')
            return false;
    return true;
}

/* Copies a string value into dst if it is 1..size-1 characters of is_token. */
static bool copy_token(char *dst, size_t size, const struct json_doc *doc, int tok)
{
    if (!json_doc_str_copy(doc, tok, dst, size))
        return false;
    if (dst[0] == '\0' || !is_token(dst, strlen(dst))) {
        dst[0] = '\0';
        return false;
    }
    return true;
}

static bool is_type_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_';
}

/* whys[0..3] when the string at tok is missing, not a string, empty or over max; else NULL. */
static const char *check_string(const struct json_doc *doc, int tok, size_t max,
                                const char *const whys[4])
{
    enum json_kind kind = json_doc_kind(doc, tok);
    size_t len = json_doc_str_len(doc, tok);
    if (kind == JSON_KIND_NONE || kind == JSON_KIND_NULL)
        return whys[0];
    if (kind != JSON_KIND_STRING)
        return whys[1];
    if (len == 0)
        return whys[2];
    if (len > max)
        return whys[3];
    return NULL;
}

/* Checks data.id and data.event_type and copies them; NULL, or what is wrong. */
static const char *event_take_ids(struct telnyx_event *ev, const struct json_doc *doc, int data)
{
    static const char *const id_whys[4] = {"data.id is missing", "data.id is not a string",
                                           "data.id is empty", "data.id is too long"};
    static const char *const type_whys[4] = {
        "data.event_type is missing", "data.event_type is not a string",
        "data.event_type is empty", "data.event_type is too long"};
    int id = json_doc_get(doc, data, "id"), type = json_doc_get(doc, data, "event_type");
    const char *why = check_string(doc, id, TELNYX_EVENT_ID_MAX, id_whys);

    if (why != NULL)
        return why;
    json_doc_str_copy(doc, id, ev->eid, sizeof ev->eid);
    if (!is_token(ev->eid, strlen(ev->eid)))
        return "data.id has characters other than printable ASCII without spaces";
    if (strncmp(ev->eid, TELNYX_RESERVED_STRIPE_ID_PREFIX,
                strlen(TELNYX_RESERVED_STRIPE_ID_PREFIX)) == 0)
        return "data.id is reserved for frontdesk's own events";
    why = check_string(doc, type, TELNYX_EVENT_TYPE_MAX, type_whys);
    if (why != NULL)
        return why;
    json_doc_str_copy(doc, type, ev->type, sizeof ev->type);
    for (const char *c = ev->type; *c != '\0'; c++)
        if (!is_type_char(*c))
            return "data.event_type has characters other than [a-z0-9._]";
    /* Our own events share the business's stream (the owner API's "owner.*", Stripe's
     * "stripe.*"): a Telnyx webhook may never pose as one, even signed. */
    if (strncmp(ev->type, TELNYX_RESERVED_TYPE_PREFIX, strlen(TELNYX_RESERVED_TYPE_PREFIX)) == 0 ||
        strncmp(ev->type, TELNYX_RESERVED_STRIPE_TYPE_PREFIX,
                strlen(TELNYX_RESERVED_STRIPE_TYPE_PREFIX)) == 0)
        return "data.event_type is reserved for frontdesk's own events";
    return NULL;
}

/* "sms:" + the other party's number, when it is a token that fits. */
static void event_set_sms_call(struct telnyx_event *ev, const struct json_doc *doc, int number)
{
    static const char prefix[] = "sms:";
    if (copy_token(ev->call + sizeof prefix - 1, sizeof ev->call - (sizeof prefix - 1), doc,
                   number))
        memcpy(ev->call, prefix, sizeof prefix - 1);
}

/* Fills call and route_number (see telnyx_event.h). Ids that are not tokens or do not
 * fit are skipped: for calls the next id is tried, otherwise the field stays "". */
static void event_set_keys(struct telnyx_event *ev, enum event_family family,
                           const struct json_doc *doc, int payload)
{
    /* In messages `from` is an object and `to` an array of objects (docs/telnyx.md §5). */
    int first_to = json_doc_get(doc, json_doc_at(doc, json_doc_get(doc, payload, "to"), 0),
                                "phone_number");
    int from_number = json_doc_get(doc, json_doc_get(doc, payload, "from"), "phone_number");
    int direction = json_doc_get(doc, payload, "direction");

    switch (family) {
    case FAMILY_CALL:
        if (!copy_token(ev->call, sizeof ev->call, doc, json_doc_get(doc, payload, "call_control_id")) &&
            !copy_token(ev->call, sizeof ev->call, doc, json_doc_get(doc, payload, "call_leg_id")))
            copy_token(ev->call, sizeof ev->call, doc, json_doc_get(doc, payload, "call_session_id"));
        if (direction < 0 || json_doc_str_equals(doc, direction, "incoming")) {
            copy_token(ev->route_number, sizeof ev->route_number, doc,
                       json_doc_get(doc, payload, "to"));
            ev->is_dialled_in = strcmp(ev->type, "call.initiated") == 0;
        }
        else if (json_doc_str_equals(doc, direction, "outgoing"))
            copy_token(ev->route_number, sizeof ev->route_number, doc,
                       json_doc_get(doc, payload, "from"));
        break;
    case FAMILY_MESSAGE_IN:
        event_set_sms_call(ev, doc, from_number);
        copy_token(ev->route_number, sizeof ev->route_number, doc, first_to);
        break;
    case FAMILY_MESSAGE_OUT:
        event_set_sms_call(ev, doc, first_to);
        copy_token(ev->route_number, sizeof ev->route_number, doc, from_number);
        break;
    }
}

/* The payload value for spec when it has the kind's JSON type, else -1. */
static int field_find(const struct json_doc *doc, int payload, const struct field_spec *spec)
{
    int v = json_doc_get(doc, payload, spec->src);
    enum json_kind kind;
    if (spec->kind == FIELD_EACH_STR)
        return json_doc_kind(doc, v) == JSON_KIND_ARRAY ? v : -1;
    if (spec->kind == FIELD_FIRST_STR)
        v = json_doc_at(doc, v, 0);
    if (spec->sub != NULL)
        v = json_doc_get(doc, v, spec->sub);
    kind = json_doc_kind(doc, v);
    switch (spec->kind) {
    case FIELD_STR:
    case FIELD_FIRST_STR: return kind == JSON_KIND_STRING ? v : -1;
    case FIELD_BOOL: return kind == JSON_KIND_TRUE || kind == JSON_KIND_FALSE ? v : -1;
    case FIELD_NUMBER: return kind == JSON_KIND_NUMBER ? v : -1;
    case FIELD_OBJECT: return kind == JSON_KIND_OBJECT ? v : -1;
    case FIELD_ARRAY: return kind == JSON_KIND_ARRAY ? v : -1;
    case FIELD_ANY: return v;
    case FIELD_EACH_STR: break;
    }
    return -1;
}

static size_t fields_collect(const struct json_doc *doc, int payload,
                             const struct field_spec *specs, struct body_entry *entries, size_t n)
{
    for (const struct field_spec *s = specs; s->key != NULL && n < BODY_FIELDS_MAX; s++) {
        int v = field_find(doc, payload, s);
        if (v >= 0)
            entries[n++] = (struct body_entry){s, v};
    }
    return n;
}

static void pack_cstr(msgpack_packer *pk, const char *s)
{
    msgpack_pack_str(pk, strlen(s));
    msgpack_pack_str_body(pk, s, strlen(s));
}

/* Packs the strings arr[i].sub of an array of objects, skipping other elements. */
static void pack_each_str(msgpack_packer *pk, const struct json_doc *doc, int arr, const char *sub)
{
    size_t n = json_doc_count(doc, arr), count = 0;
    for (size_t i = 0; i < n; i++)
        count += json_doc_kind(doc, json_doc_get(doc, json_doc_at(doc, arr, i), sub)) ==
                 JSON_KIND_STRING;
    msgpack_pack_array(pk, count);
    for (size_t i = 0; i < n; i++) {
        int s = json_doc_get(doc, json_doc_at(doc, arr, i), sub);
        if (json_doc_kind(doc, s) == JSON_KIND_STRING)
            json_doc_pack(pk, doc, s, 3);
    }
}

static void pack_entry(msgpack_packer *pk, const struct json_doc *doc, const struct body_entry *e)
{
    pack_cstr(pk, e->spec->key);
    switch (e->spec->kind) {
    case FIELD_NUMBER:
        msgpack_pack_double(pk, json_doc_number(doc, e->value));
        break;
    case FIELD_EACH_STR:
        pack_each_str(pk, doc, e->value, e->spec->sub);
        break;
    default:   /* strings, booleans and generic values pack as themselves */
        json_doc_pack(pk, doc, e->value, 2);   /* level 2: inside the body map */
        break;
    }
}

/* Packs the body into ev->body (see the layout at the top). ts is NULL for an
 * unknown type, whose payload is kept whole under "raw". */
static void event_pack_body(struct telnyx_event *ev, const struct type_spec *ts,
                            const struct json_doc *doc, int payload, size_t json_len)
{
    struct body_entry entries[BODY_FIELDS_MAX];
    size_t n = 0;
    bool has_raw = ts == NULL && payload >= 0;
    struct mp_buf buf;
    msgpack_packer pk;

    if (ts != NULL) {
        n = fields_collect(doc, payload, ts->family == FAMILY_CALL ? call_fields : message_fields,
                           entries, n);
        n = fields_collect(doc, payload, ts->fields, entries, n);
    }
    /* A known event keeps a fraction of its JSON; an unknown one nearly all of it. */
    mp_buf_init(&buf, ts != NULL ? 256 + json_len / 2 : 64 + json_len);
    msgpack_packer_init(&pk, &buf, mp_buf_write);
    msgpack_pack_map(&pk, 4 + n + has_raw);
    pack_cstr(&pk, "v");
    msgpack_pack_int(&pk, BODY_VERSION);
    pack_cstr(&pk, "type");
    pack_cstr(&pk, ev->type);
    pack_cstr(&pk, "eid");
    pack_cstr(&pk, ev->eid);
    pack_cstr(&pk, "at");
    pack_cstr(&pk, ev->at);
    for (size_t i = 0; i < n; i++)
        pack_entry(&pk, doc, &entries[i]);
    if (has_raw) {
        pack_cstr(&pk, "raw");
        json_doc_pack(&pk, doc, payload, 2);
    }
    ev->body = (unsigned char *)buf.data;   /* ownership passes to ev */
    ev->body_len = buf.len;
}

/* Checks the envelope; NULL, or what is wrong. Sets *data to the data object. */
static const char *event_check_envelope(const struct json_doc *doc, int *data)
{
    if (json_doc_kind(doc, 0) != JSON_KIND_OBJECT)
        return "body is not a JSON object";
    *data = json_doc_get(doc, 0, "data");
    if (*data < 0)
        return "data is missing";
    if (json_doc_kind(doc, *data) != JSON_KIND_OBJECT)
        return "data is not an object";
    return NULL;
}

enum app_err telnyx_event_parse(const char *json, size_t len, struct telnyx_event *out,
                                const char **why)
{
    const char *ignored_why;
    enum app_err err = APP_EINVAL;
    const struct type_spec *ts;
    struct json_doc doc;
    int data = -1, payload;

    if (why == NULL)
        why = &ignored_why;
    memset(out, 0, sizeof *out);
    if (!json_doc_parse(&doc, json, len)) {
        *why = "body is not JSON";
        goto out_cleanup;
    }
    *why = event_check_envelope(&doc, &data);
    if (*why == NULL)
        *why = event_take_ids(out, &doc, data);
    if (*why != NULL) {
        out->eid[0] = out->type[0] = '\0';
        goto out_cleanup;
    }
    payload = json_doc_get(&doc, data, "payload");
    if (json_doc_kind(&doc, payload) != JSON_KIND_OBJECT)
        payload = -1;   /* lenient: an event without a payload still has an id and type */
    ts = type_spec_find(out->type);
    out->is_known_type = ts != NULL;
    json_doc_str_copy(&doc, json_doc_get(&doc, data, "occurred_at"), out->at, sizeof out->at);
    json_doc_str_copy(&doc, json_doc_get(&doc, payload, "client_state"), out->client_state,
                      sizeof out->client_state);
    if (ts != NULL)
        event_set_keys(out, ts->family, &doc, payload);
    else if (strncmp(out->type, "call.", 5) == 0)
        event_set_keys(out, FAMILY_CALL, &doc, payload);   /* a newer call event: keep its order */
    event_pack_body(out, ts, &doc, payload, len);
    err = APP_OK;
out_cleanup:
    json_doc_cleanup(&doc);
    return err;
}

void telnyx_event_cleanup(struct telnyx_event *ev)
{
    if (ev == NULL)
        return;
    free(ev->body);
    ev->body = NULL;
    ev->body_len = 0;
}
