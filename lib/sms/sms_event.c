/* lib/sms/sms_event.c: see sms_event.h. Walks the top-level map once; `to` is an array of
 * numbers and `errors` an array of Telnyx error objects, of which the first is kept. */
#include "sms/sms_event.h"

#include <stdio.h>
#include <string.h>

#include "core/mp_map.h"

#define FIELD(key, name) {key, offsetof(struct sms_event, name), sizeof(((struct sms_event *)0)->name)}
static const struct mp_str_field str_fields[] = {
    FIELD("type", type), FIELD("at", at), FIELD("message_id", message_id), FIELD("from", from),
    FIELD("text", text), FIELD("status", status), FIELD("autoresponse_type", autoresponse_type),
};
#undef FIELD

/* errors[0]: {code, title, detail}; the code may be a string or a number. */
static void take_error(struct sms_event *out, const msgpack_object *v)
{
    if (v->type != MSGPACK_OBJECT_ARRAY || v->via.array.size == 0 ||
        v->via.array.ptr[0].type != MSGPACK_OBJECT_MAP)
        return;
    const msgpack_object_map *m = &v->via.array.ptr[0].via.map;
    char title[120] = "", detail[120] = "";
    for (uint32_t i = 0; i < m->size; i++) {
        const msgpack_object *k = &m->ptr[i].key, *e = &m->ptr[i].val;
        if (mp_key_is(k, "code") && e->type == MSGPACK_OBJECT_STR)
            mp_copy_str(out->error_code, sizeof out->error_code, e);
        else if (mp_key_is(k, "code") && e->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
            snprintf(out->error_code, sizeof out->error_code, "%llu", (unsigned long long)e->via.u64);
        else if (mp_key_is(k, "title") && e->type == MSGPACK_OBJECT_STR)
            mp_copy_str(title, sizeof title, e);
        else if (mp_key_is(k, "detail") && e->type == MSGPACK_OBJECT_STR)
            mp_copy_str(detail, sizeof detail, e);
    }
    snprintf(out->error_detail, sizeof out->error_detail, "%s%s%s", title, title[0] && detail[0] ? ": " : "",
             detail);
    if (out->error_code[0] == '\0' && out->error_detail[0] != '\0')
        snprintf(out->error_code, sizeof out->error_code, "unknown");
}

static void take_field(void *arg, const msgpack_object *k, const msgpack_object *v)
{
    struct sms_event *out = arg;
    if (mp_key_is(k, "to")) {
        if (v->type == MSGPACK_OBJECT_ARRAY && v->via.array.size > 0 &&
            v->via.array.ptr[0].type == MSGPACK_OBJECT_STR)
            mp_copy_str(out->to, sizeof out->to, &v->via.array.ptr[0]);
        return;
    }
    if (mp_key_is(k, "errors")) {
        take_error(out, v);
        return;
    }
    mp_take_str_field(out, str_fields, sizeof str_fields / sizeof str_fields[0], k, v);
}

enum app_err sms_event_decode(const char *body, size_t len, struct sms_event *out, const char **why)
{
    memset(out, 0, sizeof *out);
    if (mp_map_each(body, len, out, take_field, why) != APP_OK)
        return APP_EINVAL;
    if (out->type[0] == '\0') {
        *why = "event body has no type";
        return APP_EINVAL;
    }
    return APP_OK;
}

const char *sms_event_status_recorded(const char *s)
{
    static const struct {
        const char *telnyx, *ours;
    } map[] = {
        {"queued", "queued"},          {"sending", "queued"},         {"sent", "sent"},
        {"delivered", "delivered"},    {"sending_failed", "failed"},  {"delivery_failed", "failed"},
        {"delivery_unconfirmed", "sent"}, {"expired", "failed"},
    };
    for (size_t i = 0; s != NULL && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(s, map[i].telnyx) == 0)
            return map[i].ours;
    return NULL;
}
