/* Unit tests for lib/telnyx/telnyx_event.c: every fixture of tests/fixtures/telnyx/ (generated
 * from the spec's examples by tests/fixtures/make_telnyx_fixtures.py) parses to the
 * right keys and a MessagePack body with the normalised fields; malformed bodies are
 * refused with the right reason; odd but signed bodies never crash. Run from the repo
 * root (the fixtures are read relative to it). */
#include <math.h>
#include <stdlib.h>

#include <msgpack.h>

#include "billing/stripe_webhook_event.h"
#include "booking/booking_cancel_event.h"
#include "check.h"
#include "telnyx/telnyx_event.h"

#define FIXTURES "tests/fixtures/telnyx/"
#define CCID_V3 "v3:MdI91X4lWFEs7IgbBEOT9M4AigoY08M0WWZFISt1Yw2axZ_IiE4pqg"
#define CCID_AI "v2:T02llQxIyaRkhfRKxgAP8nY511EhFLizdvdUKJiSw8d6A9BborherQ"
#define CCID_TR "v2:7subYr8fLrXmaAXm8egeAMpoSJ72J3SGPUuome81-hQuaKRf9b7hKA"
#define LEG_ID "428c31b6-7af4-4bcb-b7f5-5013ef9657c1"
#define OUR_NUMBER "+18445550001"
#define CALLER "+35319605860"
#define TEXTER "+18665550001"
#define STATE "aGF2ZSBhIG5pY2UgZGF5ID1d"

/* A parsed event and its decoded body; body_map is NULL if the body did not decode. */
struct parsed {
    struct telnyx_event ev;
    enum app_err err;
    const char *why;
    msgpack_unpacked unpacked;
    const msgpack_object *body_map;
};

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long size;
    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)size + 1);
        if (buf != NULL && fread(buf, 1, (size_t)size, f) != (size_t)size) {
            free(buf);
            buf = NULL;
        }
        *len = (size_t)size;
    }
    fclose(f);
    return buf;
}

static void parsed_from(struct parsed *p, const char *json, size_t len)
{
    size_t off = 0;
    p->why = NULL;
    p->body_map = NULL;
    msgpack_unpacked_init(&p->unpacked);
    p->err = telnyx_event_parse(json, len, &p->ev, &p->why);
    if (p->err != APP_OK)
        return;
    if (msgpack_unpack_next(&p->unpacked, (const char *)p->ev.body, p->ev.body_len, &off) ==
            MSGPACK_UNPACK_SUCCESS &&
        off == p->ev.body_len && p->unpacked.data.type == MSGPACK_OBJECT_MAP)
        p->body_map = &p->unpacked.data;
}

static void parsed_from_str(struct parsed *p, const char *json)
{
    parsed_from(p, json, strlen(json));
}

/* Parses the fixture of one event type; false (and a failed check) if it is missing. */
static bool parsed_from_fixture(struct parsed *p, const char *type)
{
    char path[128];
    size_t len = 0;
    char *json;
    snprintf(path, sizeof path, FIXTURES "%s.json", type);
    json = read_file(path, &len);
    CHECK(json != NULL);
    if (json == NULL) {
        fprintf(stderr, "  cannot read %s (run the tests from the repo root)\n", path);
        msgpack_unpacked_init(&p->unpacked);
        memset(&p->ev, 0, sizeof p->ev);
        return false;
    }
    parsed_from(p, json, len);
    free(json);
    CHECK(p->err == APP_OK);
    CHECK(p->body_map != NULL);
    return p->err == APP_OK && p->body_map != NULL;
}

static void parsed_cleanup(struct parsed *p)
{
    msgpack_unpacked_destroy(&p->unpacked);
    telnyx_event_cleanup(&p->ev);
}

/* The body's value for key, or NULL. */
static const msgpack_object *body_get(const msgpack_object *map, const char *key)
{
    if (map == NULL || map->type != MSGPACK_OBJECT_MAP)
        return NULL;
    for (uint32_t i = 0; i < map->via.map.size; i++) {
        const msgpack_object_kv *kv = &map->via.map.ptr[i];
        if (kv->key.type == MSGPACK_OBJECT_STR && kv->key.via.str.size == strlen(key) &&
            memcmp(kv->key.via.str.ptr, key, kv->key.via.str.size) == 0)
            return &kv->val;
    }
    return NULL;
}

/* True if o is the string s. */
static bool obj_is_str(const msgpack_object *o, const char *s)
{
    return o != NULL && o->type == MSGPACK_OBJECT_STR && o->via.str.size == strlen(s) &&
           memcmp(o->via.str.ptr, s, o->via.str.size) == 0;
}

static bool body_has_str(const msgpack_object *map, const char *key, const char *value)
{
    bool ok = obj_is_str(body_get(map, key), value);
    if (!ok)
        fprintf(stderr, "  body[%s] is not \"%s\"\n", key, value);
    return ok;
}

static const struct {
    const char *type, *eid, *call, *route_number, *client_state;
} fixtures[] = {
    {"call.initiated", "20b9797b-5b5e-51c1-8e10-28b5c8657b30", CCID_V3, OUR_NUMBER, STATE},
    {"call.answered", "686dc5ce-5844-5aaa-92f7-d3e0561848e5", CCID_V3, OUR_NUMBER, STATE},
    {"call.hangup", "9bbac2ec-4e68-5e9f-b6f8-c34198fb638f", CCID_V3, OUR_NUMBER, STATE},
    {"call.speak.started", "cc0b4bcd-99ec-5f18-add2-c92480fa840d", CCID_V3, "", STATE},
    {"call.speak.ended", "940702d3-ad75-5e4a-ad82-4a3e6d607777", CCID_V3, "", STATE},
    {"call.gather.ended", "54057ce7-d6b6-56cb-b73a-3a2d7be9ee22", CCID_V3, OUR_NUMBER, STATE},
    {"call.dtmf.received", "f7851120-609a-5e46-9dca-502e06ad636d", CCID_V3, OUR_NUMBER, STATE},
    {"call.transcription", "b46cf823-5cc8-5f34-8497-e6321fe3f2f3", CCID_TR, "", STATE},
    {"call.playback.started", "98ea537e-f155-5343-8f99-48a5c8d68d0e", CCID_V3, "", STATE},
    {"call.playback.ended", "59333849-5b35-57d7-92ae-b7455baecacc", CCID_V3, "", STATE},
    {"call.recording.saved", "380441e3-4175-5d58-b92a-a9bd9d7ee0ce", LEG_ID, "", STATE},
    {"call.recording.error", "c3b8c300-282c-5a06-8557-f06fc0600382", CCID_V3, "", STATE},
    {"call.machine.detection.ended", "c897eb66-145f-5a0d-a955-207e5a2fee59", CCID_V3,
     OUR_NUMBER, STATE},
    {"call.ai_gather.ended", "88e37f6b-6cc6-5620-a185-eecaf891c90d", CCID_AI, OUR_NUMBER, STATE},
    {"call.ai_gather.partial_results", "bb3add3f-1620-592e-bf85-a6d9980f94e2", CCID_AI,
     OUR_NUMBER, STATE},
    {"call.bridged", "318ca986-e120-5c76-a012-006b573900ec", CCID_V3, OUR_NUMBER, STATE},
    {"message.received", "5387f1a8-6769-5f1f-b1eb-d9aa9655fee6", "sms:" TEXTER, OUR_NUMBER, ""},
    {"message.sent", "ea8b7733-7ff7-519a-961e-865a5e1997cf", "sms:" TEXTER, OUR_NUMBER, ""},
    {"message.finalized", "67fb6adc-7da1-5527-850e-c51af2efbe94", "sms:" TEXTER, OUR_NUMBER, ""},
};

static void test_every_fixture_parses_to_its_type_ids_and_route(void)
{
    for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
        struct parsed p;
        if (parsed_from_fixture(&p, fixtures[i].type)) {
            CHECK_STR_EQ(p.ev.type, fixtures[i].type);
            CHECK(p.ev.is_known_type);
            CHECK_STR_EQ(p.ev.eid, fixtures[i].eid);
            CHECK_STR_EQ(p.ev.call, fixtures[i].call);
            CHECK_STR_EQ(p.ev.route_number, fixtures[i].route_number);
            CHECK_STR_EQ(p.ev.client_state, fixtures[i].client_state);
            CHECK(strncmp(p.ev.at, "201", 3) == 0);
        }
        parsed_cleanup(&p);
    }
}

static void test_every_fixture_body_has_version_type_eid_and_at(void)
{
    for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
        struct parsed p;
        if (parsed_from_fixture(&p, fixtures[i].type)) {
            const msgpack_object *v = body_get(p.body_map, "v");
            CHECK(v != NULL && v->type == MSGPACK_OBJECT_POSITIVE_INTEGER && v->via.u64 == 1);
            CHECK(body_has_str(p.body_map, "type", fixtures[i].type));
            CHECK(body_has_str(p.body_map, "eid", fixtures[i].eid));
            CHECK(body_has_str(p.body_map, "at", p.ev.at));
            CHECK(body_get(p.body_map, "raw") == NULL);
        }
        parsed_cleanup(&p);
    }
}

static void test_call_initiated_body_has_call_fields(void)
{
    struct parsed p;
    if (parsed_from_fixture(&p, "call.initiated")) {
        CHECK(body_has_str(p.body_map, "call_control_id", CCID_V3));
        CHECK(body_has_str(p.body_map, "call_leg_id", LEG_ID));
        CHECK(body_has_str(p.body_map, "call_session_id", LEG_ID));
        CHECK(body_has_str(p.body_map, "connection_id", "7267xxxxxxxxxxxxxx"));
        CHECK(body_has_str(p.body_map, "client_state", STATE));
        CHECK(body_has_str(p.body_map, "from", CALLER));
        CHECK(body_has_str(p.body_map, "to", OUR_NUMBER));
        CHECK(body_has_str(p.body_map, "direction", "incoming"));
        CHECK(body_has_str(p.body_map, "state", "parked"));
        CHECK(body_has_str(p.body_map, "start_time", "2018-02-02T22:25:27.521992Z"));
        CHECK(body_has_str(p.body_map, "caller_id_name", CALLER));
        CHECK(body_get(p.body_map, "sip_headers") == NULL);   /* not kept */
    }
    parsed_cleanup(&p);
}

static void test_call_hangup_body_has_cause_and_source(void)
{
    struct parsed p;
    if (parsed_from_fixture(&p, "call.hangup")) {
        CHECK(body_has_str(p.body_map, "hangup_cause", "call_rejected"));
        CHECK(body_has_str(p.body_map, "hangup_source", "caller"));
        CHECK(body_has_str(p.body_map, "sip_hangup_cause", "603"));
        CHECK(body_has_str(p.body_map, "state", "hangup"));
    }
    parsed_cleanup(&p);
}

static void test_call_transcription_body_has_transcript_and_finality(void)
{
    struct parsed p;
    if (parsed_from_fixture(&p, "call.transcription")) {
        const msgpack_object *is_final = body_get(p.body_map, "is_final");
        const msgpack_object *confidence = body_get(p.body_map, "confidence");
        CHECK(body_has_str(p.body_map, "transcript", "hello this is a test speech"));
        CHECK(is_final != NULL && is_final->type == MSGPACK_OBJECT_BOOLEAN && is_final->via.boolean);
        CHECK(confidence != NULL && confidence->type == MSGPACK_OBJECT_FLOAT64 &&
              fabs(confidence->via.f64 - 0.977219) < 1e-9);
        CHECK(body_has_str(p.body_map, "track", "inbound"));
    }
    parsed_cleanup(&p);
}

static void test_gather_dtmf_machine_and_playback_bodies_have_their_fields(void)
{
    struct parsed p;
    if (parsed_from_fixture(&p, "call.gather.ended")) {
        CHECK(body_has_str(p.body_map, "digits", "123"));
        CHECK(body_has_str(p.body_map, "status", "valid"));
    }
    parsed_cleanup(&p);
    if (parsed_from_fixture(&p, "call.dtmf.received"))
        CHECK(body_has_str(p.body_map, "digit", "#"));
    parsed_cleanup(&p);
    if (parsed_from_fixture(&p, "call.machine.detection.ended"))
        CHECK(body_has_str(p.body_map, "result", "human"));
    parsed_cleanup(&p);
    if (parsed_from_fixture(&p, "call.speak.ended"))
        CHECK(body_has_str(p.body_map, "status", "completed"));
    parsed_cleanup(&p);
    if (parsed_from_fixture(&p, "call.playback.ended")) {
        CHECK(body_has_str(p.body_map, "status", "completed"));
        CHECK(body_has_str(p.body_map, "media_name", "my_media_uploaded_to_media_storage_api"));
        CHECK(body_has_str(p.body_map, "media_url", "http://example.com/audio.wav"));
    }
    parsed_cleanup(&p);
    if (parsed_from_fixture(&p, "call.recording.error"))
        CHECK(body_has_str(p.body_map, "reason", "Internal server error"));
    parsed_cleanup(&p);
}

static void test_recording_saved_body_has_urls_and_no_control_id(void)
{
    struct parsed p;
    if (parsed_from_fixture(&p, "call.recording.saved")) {
        const msgpack_object *urls = body_get(p.body_map, "recording_urls");
        CHECK(urls != NULL && urls->type == MSGPACK_OBJECT_MAP);
        CHECK(body_has_str(urls, "mp3", "http://example.com/recording.mp3"));
        CHECK(body_has_str(urls, "wav", "http://example.com/recording.wav"));
        CHECK(body_get(p.body_map, "call_control_id") == NULL);
        CHECK(body_has_str(p.body_map, "call_leg_id", LEG_ID));
    }
    parsed_cleanup(&p);
}

static void test_ai_gather_bodies_keep_results_and_history(void)
{
    struct parsed p;
    if (parsed_from_fixture(&p, "call.ai_gather.ended")) {
        const msgpack_object *result = body_get(p.body_map, "result");
        const msgpack_object *age = body_get(result, "age");
        const msgpack_object *history = body_get(p.body_map, "message_history");
        CHECK(result != NULL && result->type == MSGPACK_OBJECT_MAP);
        CHECK(age != NULL && age->type == MSGPACK_OBJECT_POSITIVE_INTEGER && age->via.u64 == 29);
        CHECK(body_has_str(result, "city", "Paris"));
        CHECK(body_has_str(p.body_map, "status", "valid"));
        CHECK(history != NULL && history->type == MSGPACK_OBJECT_ARRAY &&
              history->via.array.size == 2);
        if (history != NULL && history->type == MSGPACK_OBJECT_ARRAY && history->via.array.size == 2)
            CHECK(body_has_str(&history->via.array.ptr[1], "role", "user"));
    }
    parsed_cleanup(&p);
    if (parsed_from_fixture(&p, "call.ai_gather.partial_results")) {
        const msgpack_object *partial = body_get(p.body_map, "partial_results");
        CHECK(body_has_str(partial, "city", "Paris"));
        CHECK(body_get(p.body_map, "message_history") != NULL);
    }
    parsed_cleanup(&p);
}

/* True if o is an array of exactly the one string s. */
static bool obj_is_one_str_array(const msgpack_object *o, const char *s)
{
    return o != NULL && o->type == MSGPACK_OBJECT_ARRAY && o->via.array.size == 1 &&
           obj_is_str(&o->via.array.ptr[0], s);
}

static void test_message_received_body_has_text_and_numbers(void)
{
    struct parsed p;
    if (parsed_from_fixture(&p, "message.received")) {
        const msgpack_object *media = body_get(p.body_map, "media");
        const msgpack_object *errors = body_get(p.body_map, "errors");
        CHECK(body_has_str(p.body_map, "message_id", "7ee4241c-f127-47e5-9c34-3aac291f8058"));
        CHECK(body_has_str(p.body_map, "direction", "inbound"));
        CHECK(body_has_str(p.body_map, "msg_type", "SMS"));
        CHECK(body_has_str(p.body_map, "text", "Hello, World!"));
        CHECK(body_has_str(p.body_map, "from", TEXTER));
        CHECK(obj_is_one_str_array(body_get(p.body_map, "to"), OUR_NUMBER));
        CHECK(body_has_str(p.body_map, "messaging_profile_id",
                           "0f512bda-ae1e-4597-8e11-e5f5686b97d3"));
        CHECK(media != NULL && media->type == MSGPACK_OBJECT_ARRAY && media->via.array.size == 0);
        CHECK(errors != NULL && errors->type == MSGPACK_OBJECT_ARRAY);
        CHECK(body_get(p.body_map, "status") == NULL);
    }
    parsed_cleanup(&p);
}

static void test_outbound_message_bodies_have_status_and_media(void)
{
    struct parsed p;
    if (parsed_from_fixture(&p, "message.sent")) {
        CHECK(body_has_str(p.body_map, "status", "queued"));
        CHECK(body_has_str(p.body_map, "msg_type", "MMS"));
        CHECK(body_has_str(p.body_map, "from", OUR_NUMBER));
        CHECK(obj_is_one_str_array(body_get(p.body_map, "to"), TEXTER));
        CHECK(obj_is_one_str_array(body_get(p.body_map, "media"),
              "https://pbs.twimg.com/profile_images/1142168442042118144/AW3F4fFD_400x400.png"));
    }
    parsed_cleanup(&p);
    if (parsed_from_fixture(&p, "message.finalized"))
        CHECK(body_has_str(p.body_map, "status", "delivered"));
    parsed_cleanup(&p);
}

static void test_outgoing_call_routes_by_from(void)
{
    struct parsed p;
    parsed_from_str(&p, "{\"data\":{\"id\":\"e1\",\"event_type\":\"call.initiated\",\"payload\":"
                        "{\"call_control_id\":\"v3:x\",\"direction\":\"outgoing\","
                        "\"from\":\"+18445550001\",\"to\":\"+15550001111\"}}}");
    CHECK(p.err == APP_OK);
    CHECK_STR_EQ(p.ev.route_number, OUR_NUMBER);
    CHECK_STR_EQ(p.ev.call, "v3:x");
    CHECK_STR_EQ(p.ev.at, "");
    CHECK(body_has_str(p.body_map, "at", ""));
    parsed_cleanup(&p);
}

static void test_only_an_incoming_call_initiated_is_dialled_in(void)
{
    static const char *const cases[][3] = {
        {"call.initiated", ",\"direction\":\"incoming\"", "1"},
        {"call.initiated", "", "1"},
        {"call.initiated", ",\"direction\":\"outgoing\"", "0"},
        {"call.answered", "", "0"},
        {"call.hangup", "", "0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char json[512];
        snprintf(json, sizeof json,
                 "{\"data\":{\"id\":\"e%zu\",\"event_type\":\"%s\",\"payload\":"
                 "{\"call_control_id\":\"v3:x\",\"from\":\"+18445550001\",\"to\":\"+15550001111\""
                 ",\"client_state\":\"ZmQx\"%s}}}", i, cases[i][0], cases[i][1]);
        struct parsed p;
        parsed_from_str(&p, json);
        CHECK(p.err == APP_OK);
        CHECK_INT_EQ(p.ev.is_dialled_in, cases[i][2][0] == '1');
        parsed_cleanup(&p);
    }
}

static void test_unknown_type_keeps_raw_payload(void)
{
    struct parsed p;
    parsed_from_str(&p, "{\"data\":{\"id\":\"e2\",\"event_type\":\"number_order.complete\","
                        "\"occurred_at\":\"2026-01-01T00:00:00Z\",\"payload\":{\"id\":\"o1\","
                        "\"n\":-5,\"r\":1.5,\"ok\":true,\"no\":false,\"z\":null,"
                        "\"list\":[{\"phone_number\":\"+1\"}],\"to\":\"+18445550001\"}}}");
    CHECK(p.err == APP_OK);
    CHECK(!p.ev.is_known_type);
    CHECK_STR_EQ(p.ev.type, "number_order.complete");
    CHECK_STR_EQ(p.ev.call, "");
    CHECK_STR_EQ(p.ev.route_number, "");
    const msgpack_object *raw = body_get(p.body_map, "raw");
    CHECK(raw != NULL && raw->type == MSGPACK_OBJECT_MAP && raw->via.map.size == 8);
    CHECK(body_has_str(raw, "id", "o1"));
    const msgpack_object *n = body_get(raw, "n"), *r = body_get(raw, "r");
    const msgpack_object *ok = body_get(raw, "ok"), *no = body_get(raw, "no");
    const msgpack_object *z = body_get(raw, "z"), *list = body_get(raw, "list");
    CHECK(n != NULL && n->type == MSGPACK_OBJECT_NEGATIVE_INTEGER && n->via.i64 == -5);
    CHECK(r != NULL && r->type == MSGPACK_OBJECT_FLOAT64 && r->via.f64 == 1.5);
    CHECK(ok != NULL && ok->type == MSGPACK_OBJECT_BOOLEAN && ok->via.boolean);
    CHECK(no != NULL && no->type == MSGPACK_OBJECT_BOOLEAN && !no->via.boolean);
    CHECK(z != NULL && z->type == MSGPACK_OBJECT_NIL);
    CHECK(list != NULL && list->type == MSGPACK_OBJECT_ARRAY && list->via.array.size == 1);
    CHECK(body_has_str(p.body_map, "at", "2026-01-01T00:00:00Z"));
    parsed_cleanup(&p);
}

static void test_unknown_call_type_keeps_call_order_and_client_state(void)
{
    struct parsed p;
    parsed_from_str(&p, "{\"data\":{\"id\":\"e3\",\"event_type\":\"call.conversation.ended\","
                        "\"payload\":{\"call_control_id\":\"v3:y\",\"client_state\":\"abc=\"}}}");
    CHECK(p.err == APP_OK);
    CHECK(!p.ev.is_known_type);
    CHECK_STR_EQ(p.ev.call, "v3:y");
    CHECK_STR_EQ(p.ev.client_state, "abc=");
    CHECK(body_get(p.body_map, "raw") != NULL);
    parsed_cleanup(&p);
}

static void test_malformed_bodies_are_refused_with_a_reason(void)
{
    char long_id[300], long_type[100], body_long_id[400], body_long_type[200];
    memset(long_id, 'a', 129);
    long_id[129] = '\0';
    memset(long_type, 'a', 65);
    long_type[65] = '\0';
    snprintf(body_long_id, sizeof body_long_id,
             "{\"data\":{\"id\":\"%s\",\"event_type\":\"call.hangup\"}}", long_id);
    snprintf(body_long_type, sizeof body_long_type,
             "{\"data\":{\"id\":\"x\",\"event_type\":\"%s\"}}", long_type);
    const struct {
        const char *body, *why;
    } cases[] = {
        {"", "body is not JSON"},
        {"nope", "body is not JSON"},
        {"{\"data\":", "body is not JSON"},
        {"{\"data\":{}} trailing", "body is not JSON"},
        {"[{\"data\":{}}]", "body is not a JSON object"},
        {"42", "body is not a JSON object"},
        {"{}", "data is missing"},
        {"{\"data\":[]}", "data is not an object"},
        {"{\"data\":\"x\"}", "data is not an object"},
        {"{\"data\":{\"event_type\":\"call.hangup\"}}", "data.id is missing"},
        {"{\"data\":{\"id\":null,\"event_type\":\"call.hangup\"}}", "data.id is missing"},
        {"{\"data\":{\"id\":7,\"event_type\":\"call.hangup\"}}", "data.id is not a string"},
        {"{\"data\":{\"id\":\"\",\"event_type\":\"call.hangup\"}}", "data.id is empty"},
        {body_long_id, "data.id is too long"},
        {"{\"data\":{\"id\":\"a b\",\"event_type\":\"call.hangup\"}}",
         "data.id has characters other than printable ASCII without spaces"},
        {"{\"data\":{\"id\":\"a\\u00e9\",\"event_type\":\"call.hangup\"}}",
         "data.id has characters other than printable ASCII without spaces"},
        {"{\"data\":{\"id\":\"x\"}}", "data.event_type is missing"},
        {"{\"data\":{\"id\":\"x\",\"event_type\":[]}}", "data.event_type is not a string"},
        {"{\"data\":{\"id\":\"x\",\"event_type\":\"\"}}", "data.event_type is empty"},
        {body_long_type, "data.event_type is too long"},
        {"{\"data\":{\"id\":\"x\",\"event_type\":\"Call.Hangup\"}}",
         "data.event_type has characters other than [a-z0-9._]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct parsed p;
        parsed_from_str(&p, cases[i].body);
        CHECK(p.err == APP_EINVAL);
        CHECK_STR_EQ(p.why, cases[i].why);
        CHECK(p.ev.body == NULL);
        parsed_cleanup(&p);
    }
}

static void test_longest_id_and_type_are_accepted(void)
{
    char id[TELNYX_EVENT_ID_MAX + 1], type[TELNYX_EVENT_TYPE_MAX + 1], body[400];
    memset(id, '~', TELNYX_EVENT_ID_MAX);
    id[TELNYX_EVENT_ID_MAX] = '\0';
    memset(type, 'z', TELNYX_EVENT_TYPE_MAX);
    type[TELNYX_EVENT_TYPE_MAX] = '\0';
    snprintf(body, sizeof body, "{\"data\":{\"id\":\"%s\",\"event_type\":\"%s\"}}", id, type);
    struct parsed p;
    parsed_from_str(&p, body);
    CHECK(p.err == APP_OK);
    CHECK_STR_EQ(p.ev.eid, id);
    CHECK_STR_EQ(p.ev.type, type);
    CHECK(p.body_map != NULL && p.body_map->via.map.size == 4);   /* no payload, no raw */
    parsed_cleanup(&p);
}

static void test_wrong_typed_optional_fields_are_ignored(void)
{
    struct parsed p;
    parsed_from_str(&p, "{\"data\":{\"id\":\"e4\",\"event_type\":\"call.transcription\","
                        "\"occurred_at\":5,\"payload\":{\"call_control_id\":17,\"call_leg_id\":"
                        "\"leg 1\",\"call_session_id\":\"s1\",\"from\":{\"phone_number\":\"+1\"},"
                        "\"to\":[],\"client_state\":false,\"transcription_data\":"
                        "{\"transcript\":1,\"is_final\":\"yes\",\"confidence\":1}}}}");
    CHECK(p.err == APP_OK);
    CHECK_STR_EQ(p.ev.call, "s1");          /* 17 is no id, "leg 1" has a space */
    CHECK_STR_EQ(p.ev.route_number, "");
    CHECK_STR_EQ(p.ev.client_state, "");
    CHECK_STR_EQ(p.ev.at, "");
    CHECK(body_get(p.body_map, "call_control_id") == NULL);
    CHECK(body_get(p.body_map, "from") == NULL);
    CHECK(body_get(p.body_map, "transcript") == NULL);
    CHECK(body_get(p.body_map, "is_final") == NULL);
    const msgpack_object *confidence = body_get(p.body_map, "confidence");
    CHECK(confidence != NULL && confidence->type == MSGPACK_OBJECT_FLOAT64 &&
          confidence->via.f64 == 1.0);
    parsed_cleanup(&p);

    parsed_from_str(&p, "{\"data\":{\"id\":\"e5\",\"event_type\":\"message.received\","
                        "\"payload\":{\"from\":\"+1\",\"to\":{\"phone_number\":\"+2\"},"
                        "\"media\":[1,{\"url\":2},{\"url\":\"u\"}],\"errors\":{}}}}");
    CHECK(p.err == APP_OK);
    CHECK_STR_EQ(p.ev.call, "");
    CHECK_STR_EQ(p.ev.route_number, "");
    CHECK(body_get(p.body_map, "from") == NULL);
    CHECK(body_get(p.body_map, "to") == NULL);
    CHECK(body_get(p.body_map, "errors") == NULL);
    CHECK(obj_is_one_str_array(body_get(p.body_map, "media"), "u"));
    parsed_cleanup(&p);
}

static void test_missing_or_scalar_payload_still_parses(void)
{
    struct parsed p;
    parsed_from_str(&p, "{\"data\":{\"id\":\"e6\",\"event_type\":\"call.hangup\",\"payload\":3}}");
    CHECK(p.err == APP_OK);
    CHECK(p.ev.is_known_type);
    CHECK_STR_EQ(p.ev.call, "");
    CHECK(p.body_map != NULL && p.body_map->via.map.size == 4);
    parsed_cleanup(&p);
    parsed_from_str(&p, "{\"data\":{\"id\":\"e7\",\"event_type\":\"x.y\"}}");
    CHECK(p.err == APP_OK);
    CHECK(body_get(p.body_map, "raw") == NULL);
    parsed_cleanup(&p);
}

static void test_over_long_ids_and_numbers_are_left_out_of_keys(void)
{
    char big[300], body[800];
    memset(big, 'n', 250);
    big[250] = '\0';
    snprintf(body, sizeof body,
             "{\"data\":{\"id\":\"e8\",\"event_type\":\"call.answered\",\"payload\":{"
             "\"call_control_id\":\"%s\",\"call_leg_id\":\"leg\",\"to\":\"+%s\"}}}", big, big);
    struct parsed p;
    parsed_from_str(&p, body);
    CHECK(p.err == APP_OK);
    CHECK_STR_EQ(p.ev.call, "leg");
    CHECK_STR_EQ(p.ev.route_number, "");
    CHECK(body_get(p.body_map, "call_control_id") != NULL);   /* the body keeps it */
    parsed_cleanup(&p);
}

static void test_cleanup_accepts_null_and_repeats(void)
{
    struct parsed p;
    telnyx_event_cleanup(NULL);
    parsed_from_str(&p, "{\"data\":{\"id\":\"e9\",\"event_type\":\"call.bridged\"}}");
    CHECK(p.err == APP_OK);
    telnyx_event_cleanup(&p.ev);
    CHECK(p.ev.body == NULL);
    parsed_cleanup(&p);
}

/* The owner API's events share the business's stream; a webhook never poses as one. */
static void test_a_webhook_with_an_event_type_of_our_own_is_refused(void)
{
    struct parsed p;
    parsed_from_str(&p, "{\"data\":{\"id\":\"e10\",\"event_type\":\"" BOOKING_CANCEL_EVENT_TYPE
                        "\",\"payload\":{\"booking_id\":\"x\"}}}");
    CHECK(p.err == APP_EINVAL);
    CHECK_STR_EQ(p.why, "data.event_type is reserved for frontdesk's own events");
    parsed_cleanup(&p);
    CHECK(strncmp(BOOKING_CANCEL_EVENT_TYPE, TELNYX_RESERVED_TYPE_PREFIX,
                  strlen(TELNYX_RESERVED_TYPE_PREFIX)) == 0);
}

/* Stripe's events share the stream as well: neither their types nor their ids can be
 * taken by a Telnyx webhook, whose prefixes must stay those the Stripe route writes. */
static void test_a_webhook_posing_as_a_stripe_event_is_refused(void)
{
    struct parsed p;
    parsed_from_str(&p, "{\"data\":{\"id\":\"e11\",\"event_type\":\"stripe.invoice.paid\"}}");
    CHECK(p.err == APP_EINVAL);
    CHECK_STR_EQ(p.why, "data.event_type is reserved for frontdesk's own events");
    parsed_cleanup(&p);
    parsed_from_str(&p, "{\"data\":{\"id\":\"stripe:evt_1\",\"event_type\":\"call.hangup\"}}");
    CHECK(p.err == APP_EINVAL);
    CHECK_STR_EQ(p.why, "data.id is reserved for frontdesk's own events");
    parsed_cleanup(&p);
    parsed_from_str(&p, "{\"data\":{\"id\":\"e12\",\"event_type\":\"stripe\"}}");
    CHECK(p.err == APP_OK);     /* only the prefix with its dot is reserved */
    parsed_cleanup(&p);
    CHECK_STR_EQ(TELNYX_RESERVED_STRIPE_TYPE_PREFIX, STRIPE_STREAM_TYPE_PREFIX);
    CHECK_STR_EQ(TELNYX_RESERVED_STRIPE_ID_PREFIX, STRIPE_STREAM_EID_PREFIX);
}

int main(void)
{
    RUN(test_every_fixture_parses_to_its_type_ids_and_route);
    RUN(test_every_fixture_body_has_version_type_eid_and_at);
    RUN(test_call_initiated_body_has_call_fields);
    RUN(test_call_hangup_body_has_cause_and_source);
    RUN(test_call_transcription_body_has_transcript_and_finality);
    RUN(test_gather_dtmf_machine_and_playback_bodies_have_their_fields);
    RUN(test_recording_saved_body_has_urls_and_no_control_id);
    RUN(test_ai_gather_bodies_keep_results_and_history);
    RUN(test_message_received_body_has_text_and_numbers);
    RUN(test_outbound_message_bodies_have_status_and_media);
    RUN(test_outgoing_call_routes_by_from);
    RUN(test_only_an_incoming_call_initiated_is_dialled_in);
    RUN(test_unknown_type_keeps_raw_payload);
    RUN(test_unknown_call_type_keeps_call_order_and_client_state);
    RUN(test_malformed_bodies_are_refused_with_a_reason);
    RUN(test_longest_id_and_type_are_accepted);
    RUN(test_a_webhook_posing_as_a_stripe_event_is_refused);
    RUN(test_wrong_typed_optional_fields_are_ignored);
    RUN(test_missing_or_scalar_payload_still_parses);
    RUN(test_over_long_ids_and_numbers_are_left_out_of_keys);
    RUN(test_cleanup_accepts_null_and_repeats);
    RUN(test_a_webhook_with_an_event_type_of_our_own_is_refused);
    return check_summary();
}
