/* ops/ctl/webhook_sample.c: see webhook_sample.h. Payload fields follow docs/telnyx.md §3
 * (call events) and §5 (messages); values are plausible rather than real. */
#include "webhook_sample.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store/tenant_keys.h"

static const char *const known_types[] = {
    "call.initiated", "call.answered", "call.hangup", "call.speak.started", "call.speak.ended",
    "call.transcription", "call.dtmf.received", "call.gather.ended", "message.received",
    "message.sent", "message.finalized",
};

bool webhook_sample_is_known_type(const char *type)
{
    for (size_t i = 0; i < sizeof known_types / sizeof known_types[0]; i++)
        if (strcmp(type, known_types[i]) == 0)
            return true;
    return false;
}

static void iso_now(char out[40])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 40 - n, ".%06ldZ", ts.tv_nsec / 1000);
}

static json_t *fresh_uuid(void)
{
    char id[FD_UUID_LEN + 1];
    uuid_generate(id);
    return json_string(id);
}

/* call_control_id looks like "v3:<opaque token>"; a UUID's hex is opaque enough. */
static json_t *fresh_call_control_id(void)
{
    char id[FD_UUID_LEN + 1], out[48];
    uuid_generate(id);
    snprintf(out, sizeof out, "v3:%s", id);
    return json_string(out);
}

static json_t *call_common(const struct webhook_sample *s)
{
    json_t *p = json_object();
    json_object_set_new(p, "call_control_id", s->call_control_id
                        ? json_string(s->call_control_id) : fresh_call_control_id());
    json_object_set_new(p, "call_leg_id", fresh_uuid());
    json_object_set_new(p, "call_session_id", fresh_uuid());
    json_object_set_new(p, "connection_id", json_string("1494404757140276705"));
    if (s->client_state != NULL)
        json_object_set_new(p, "client_state", json_string(s->client_state));
    return p;
}

static void set_numbers(json_t *p, const char *from, const char *to)
{
    json_object_set_new(p, "from", json_string(from));
    json_object_set_new(p, "to", json_string(to));
}

static json_t *call_payload(const struct webhook_sample *s, const char *type, const char *from,
                            const char *to, const char *now)
{
    json_t *p = call_common(s);
    if (strcmp(type, "call.speak.started") == 0)
        return p;
    if (strcmp(type, "call.speak.ended") == 0) {
        json_object_set_new(p, "status", json_string("completed"));
        return p;
    }
    if (strcmp(type, "call.transcription") == 0) {
        const char *said = s->text ? s->text : "Hi, I'd like to book an appointment tomorrow morning.";
        json_object_set_new(p, "transcription_data", json_pack("{s:s, s:b, s:f, s:s}",
            "transcript", said, "is_final", 1, "confidence", 0.97,
            "transcription_track", "inbound"));
        return p;
    }
    set_numbers(p, from, to);
    const char *digits = s->text ? s->text : "1";
    if (strcmp(type, "call.initiated") == 0) {
        json_object_set_new(p, "direction", json_string("incoming"));
        json_object_set_new(p, "state", json_string("parked"));
        json_object_set_new(p, "caller_id_name", json_string(from));
        json_object_set_new(p, "start_time", json_string(now));
    } else if (strcmp(type, "call.answered") == 0) {
        json_object_set_new(p, "state", json_string("answered"));
        json_object_set_new(p, "start_time", json_string(now));
    } else if (strcmp(type, "call.hangup") == 0) {
        json_object_set_new(p, "state", json_string("hangup"));
        json_object_set_new(p, "hangup_cause", json_string("normal_clearing"));
        json_object_set_new(p, "hangup_source", json_string("caller"));
        json_object_set_new(p, "sip_hangup_cause", json_string("200"));
        json_object_set_new(p, "start_time", json_string(now));
        json_object_set_new(p, "call_quality_stats", json_null());
    } else if (strcmp(type, "call.dtmf.received") == 0) {
        json_object_set_new(p, "digit", json_string(digits));
    } else if (strcmp(type, "call.gather.ended") == 0) {
        json_object_set_new(p, "digits", json_string(digits));
        json_object_set_new(p, "status", json_string("valid"));
    }
    return p;
}

/* message.received is inbound (to = the business); message.sent and .finalized are
 * our own outbound message (from = the business), as the caller passes them. */
static json_t *message_payload(const struct webhook_sample *s, const char *type,
                               const char *from, const char *to, const char *now)
{
    bool is_inbound = strcmp(type, "message.received") == 0;
    bool is_final = strcmp(type, "message.finalized") == 0;
    const char *text = s->text ? s->text
                       : is_inbound ? "Hi, are you open on Saturday?"
                                    : "Yes, we are open 9am to 5pm on weekdays.";
    json_t *from_obj = json_pack("{s:s, s:s, s:s}", "phone_number", from,
                                 "carrier", is_inbound ? "T-MOBILE USA, INC." : "TELNYX LLC",
                                 "line_type", is_inbound ? "Wireless" : "VoIP");
    if (is_inbound)
        json_object_set_new(from_obj, "status", json_string("received"));
    json_t *to_obj = json_pack("{s:s, s:s, s:s, s:s}", "phone_number", to,
                               "status", is_inbound ? "delivered" : is_final ? "delivered" : "sent",
                               "carrier", is_inbound ? "TELNYX LLC" : "T-MOBILE USA, INC.",
                               "line_type", is_inbound ? "VoIP" : "Wireless");
    json_t *p = json_pack("{s:o, s:s, s:s, s:s, s:s, s:o, s:o, s:[], s:[], s:[], s:o, s:i, s:s}",
                          "id", fresh_uuid(), "record_type", "message",
                          "direction", is_inbound ? "inbound" : "outbound", "type", "SMS",
                          "text", text, "from", from_obj, "to", json_pack("[o]", to_obj),
                          "cc", "media", "errors", "messaging_profile_id", fresh_uuid(),
                          "parts", 1, "encoding", "GSM-7");
    json_object_set_new(p, "received_at", json_string(now));
    if (!is_inbound) {
        json_object_set_new(p, "sent_at", json_string(now));
        json_object_set_new(p, "completed_at", is_final ? json_string(now) : json_null());
    }
    return p;
}

char *webhook_sample_build(const struct webhook_sample *s)
{
    const char *type = s->type ? s->type : "call.initiated";
    const char *from = s->from ? s->from : WEBHOOK_SAMPLE_FROM;
    const char *to = s->to ? s->to : WEBHOOK_SAMPLE_TO;
    char now[40];
    iso_now(now);
    json_t *payload;
    if (strncmp(type, "message.", 8) == 0 && webhook_sample_is_known_type(type))
        payload = message_payload(s, type, from, to, now);
    else if (strncmp(type, "call.", 5) == 0)
        payload = call_payload(s, type, from, to, now);
    else
        payload = json_object();
    json_t *body = json_pack("{s:{s:s, s:s, s:o, s:s, s:o}, s:{s:i, s:s}}",
        "data", "record_type", "event", "event_type", type,
        "id", s->id ? json_string(s->id) : fresh_uuid(),
        "occurred_at", s->occurred_at ? s->occurred_at : now, "payload", payload,
        "meta", "attempt", 1, "delivered_to", "https://frontdesk.example.com/webhooks/telnyx");
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    return text;
}
