/* lib/call/call_event.c: see call_event.h. Walks the top-level map once; values of other
 * types than the field expects are skipped, as the spec marks almost nothing required. */
#include "call/call_event.h"

#include <msgpack.h>
#include <string.h>

struct str_field {
    const char *key;
    size_t offset, size;
};

#define FIELD(name) {#name, offsetof(struct call_event, name), sizeof(((struct call_event *)0)->name)}
static const struct str_field str_fields[] = {
    FIELD(type), FIELD(eid), FIELD(at), FIELD(call_control_id), FIELD(call_session_id),
    FIELD(from), FIELD(to), FIELD(direction), FIELD(hangup_cause), FIELD(hangup_source),
    FIELD(status), FIELD(transcript), FIELD(client_state),
};
#undef FIELD

static bool key_is(const msgpack_object *k, const char *name)
{
    size_t n = strlen(name);
    return k->type == MSGPACK_OBJECT_STR && k->via.str.size == n &&
           memcmp(k->via.str.ptr, name, n) == 0;
}

static void copy_str(char *dst, size_t size, const msgpack_object *v)
{
    size_t n = v->via.str.size < size - 1 ? v->via.str.size : size - 1;
    memcpy(dst, v->via.str.ptr, n);
    dst[n] = '\0';
}

static void take_field(struct call_event *out, const msgpack_object *k, const msgpack_object *v)
{
    if (key_is(k, "is_final")) {
        if (v->type == MSGPACK_OBJECT_BOOLEAN)
            out->is_final = v->via.boolean;
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

enum app_err call_event_decode(const char *body, size_t len, struct call_event *out,
                               const char **why)
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
