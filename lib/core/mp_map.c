/* lib/core/mp_map.c: see mp_map.h. */
#include "core/mp_map.h"

#include <string.h>

bool mp_key_is(const msgpack_object *k, const char *name)
{
    size_t n = strlen(name);
    return k->type == MSGPACK_OBJECT_STR && k->via.str.size == n && memcmp(k->via.str.ptr, name, n) == 0;
}

void mp_copy_str(char *dst, size_t size, const msgpack_object *v)
{
    size_t n = v->via.str.size < size - 1 ? v->via.str.size : size - 1;
    memcpy(dst, v->via.str.ptr, n);
    dst[n] = '\0';
}

bool mp_take_str_field(void *out, const struct mp_str_field *fields, size_t n, const msgpack_object *k,
                       const msgpack_object *v)
{
    for (size_t i = 0; i < n; i++)
        if (mp_key_is(k, fields[i].key)) {
            if (v->type == MSGPACK_OBJECT_STR)
                mp_copy_str((char *)out + fields[i].offset, fields[i].size, v);
            return true;
        }
    return false;
}

enum app_err mp_map_each(const char *body, size_t len, void *out,
                         void (*take)(void *out, const msgpack_object *k, const msgpack_object *v),
                         const char **why)
{
    msgpack_unpacked msg;
    msgpack_unpacked_init(&msg);
    size_t off = 0;
    enum app_err err = APP_EINVAL;
    if (msgpack_unpack_next(&msg, body, len, &off) != MSGPACK_UNPACK_SUCCESS ||
        msg.data.type != MSGPACK_OBJECT_MAP) {
        *why = "event body is not a MessagePack map";
    } else {
        const msgpack_object_map *map = &msg.data.via.map;
        for (uint32_t i = 0; i < map->size; i++)
            take(out, &map->ptr[i].key, &map->ptr[i].val);
        err = APP_OK;
    }
    msgpack_unpacked_destroy(&msg);
    return err;
}
