/* lib/sms/sms_event.c: see sms_event.h. Walks the top-level map once; `to` is an array of
 * numbers and `errors` an array of Telnyx error objects, of which the first is kept. */
#include "sms/sms_event.h"

#include <msgpack.h>
#include <stdio.h>
#include <string.h>

struct str_field {
    const char *key;
    size_t offset, size;
};

#define FIELD(key, name) {key, offsetof(struct sms_event, name), sizeof(((struct sms_event *)0)->name)}
static const struct str_field str_fields[] = {
    FIELD("type", type), FIELD("at", at), FIELD("message_id", message_id), FIELD("from", from),
    FIELD("text", text), FIELD("status", status), FIELD("autoresponse_type", autoresponse_type),
};
#undef FIELD

static bool key_is(const msgpack_object *k, const char *name)
{
    size_t n = strlen(name);
    return k->type == MSGPACK_OBJECT_STR && k->via.str.size == n && memcmp(k->via.str.ptr, name, n) == 0;
}

static void copy_str(char *dst, size_t size, const msgpack_object *v)
{
    size_t n = v->via.str.size < size - 1 ? v->via.str.size : size - 1;
    memcpy(dst, v->via.str.ptr, n);
    dst[n] = '\0';
}

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
        if (key_is(k, "code") && e->type == MSGPACK_OBJECT_STR)
            copy_str(out->error_code, sizeof out->error_code, e);
        else if (key_is(k, "code") && e->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
            snprintf(out->error_code, sizeof out->error_code, "%llu", (unsigned long long)e->via.u64);
        else if (key_is(k, "title") && e->type == MSGPACK_OBJECT_STR)
            copy_str(title, sizeof title, e);
        else if (key_is(k, "detail") && e->type == MSGPACK_OBJECT_STR)
            copy_str(detail, sizeof detail, e);
    }
    snprintf(out->error_detail, sizeof out->error_detail, "%s%s%s", title, title[0] && detail[0] ? ": " : "",
             detail);
    if (out->error_code[0] == '\0' && out->error_detail[0] != '\0')
        snprintf(out->error_code, sizeof out->error_code, "unknown");
}

static void take_field(struct sms_event *out, const msgpack_object *k, const msgpack_object *v)
{
    if (key_is(k, "to")) {
        if (v->type == MSGPACK_OBJECT_ARRAY && v->via.array.size > 0 &&
            v->via.array.ptr[0].type == MSGPACK_OBJECT_STR)
            copy_str(out->to, sizeof out->to, &v->via.array.ptr[0]);
        return;
    }
    if (key_is(k, "errors")) {
        take_error(out, v);
        return;
    }
    if (v->type != MSGPACK_OBJECT_STR)
        return;
    for (size_t i = 0; i < sizeof str_fields / sizeof str_fields[0]; i++) {
        if (key_is(k, str_fields[i].key)) {
            copy_str((char *)out + str_fields[i].offset, str_fields[i].size, v);
            return;
        }
    }
}

enum app_err sms_event_decode(const char *body, size_t len, struct sms_event *out, const char **why)
{
    memset(out, 0, sizeof *out);
    msgpack_unpacked msg;
    msgpack_unpacked_init(&msg);
    size_t off = 0;
    enum app_err err = APP_EINVAL;
    if (msgpack_unpack_next(&msg, body, len, &off) != MSGPACK_UNPACK_SUCCESS ||
        msg.data.type != MSGPACK_OBJECT_MAP) {
        *why = "event body is not a MessagePack map";
        goto out;
    }
    const msgpack_object_map *map = &msg.data.via.map;
    for (uint32_t i = 0; i < map->size; i++)
        take_field(out, &map->ptr[i].key, &map->ptr[i].val);
    if (out->type[0] == '\0') {
        *why = "event body has no type";
        goto out;
    }
    err = APP_OK;
out:
    msgpack_unpacked_destroy(&msg);
    return err;
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
