/* lib/core/mp_json.c: see mp_json.h. */
#include "core/mp_json.h"

#include <limits.h>
#include <msgpack.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/mp_check.h"
#include "core/xalloc.h"

#define MP_JSON_MAX_DEPTH 64

static json_t *to_json(const msgpack_object *o, int depth);

static json_t *map_to_json(const msgpack_object_map *m, int depth)
{
    json_t *obj = json_object();
    for (uint32_t i = 0; i < m->size; i++) {
        const msgpack_object *k = &m->ptr[i].key;
        /* an empty string's ptr may be NULL; a key that is not a string is not ours: say so */
        char *key = k->type != MSGPACK_OBJECT_STR ? xstrdup("?")
                    : k->via.str.size == 0        ? xstrdup("")
                                                  : xstrndup(k->via.str.ptr, k->via.str.size);
        json_t *v = to_json(&m->ptr[i].val, depth + 1);
        if (v == NULL) {
            free(key);
            json_decref(obj);
            return NULL;
        }
        json_object_set_new(obj, key, v);
        free(key);
    }
    return obj;
}

static json_t *bin_to_json(const char *ptr, size_t size)
{
    if (size == 0)
        return json_string("");     /* ptr may be NULL */
    size_t len = sodium_base64_encoded_len(size, sodium_base64_VARIANT_ORIGINAL);
    char *text = xmalloc(len);
    sodium_bin2base64(text, len, (const unsigned char *)ptr, size, sodium_base64_VARIANT_ORIGINAL);
    json_t *s = json_string(text);
    free(text);
    return s;
}

static json_t *to_json(const msgpack_object *o, int depth)
{
    if (depth > MP_JSON_MAX_DEPTH)
        return NULL;
    switch (o->type) {
    case MSGPACK_OBJECT_NIL:
        return json_null();
    case MSGPACK_OBJECT_BOOLEAN:
        return json_boolean(o->via.boolean);
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        /* json_int_t is long long: a larger count (none we write) is shown as a real */
        return o->via.u64 > (uint64_t)LLONG_MAX ? json_real((double)o->via.u64) : json_integer((json_int_t)o->via.u64);
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        return json_integer((json_int_t)o->via.i64);
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        return json_real(o->via.f64);
    case MSGPACK_OBJECT_STR: {
        if (o->via.str.size == 0)
            return json_string("");     /* ptr may be NULL */
        /* not UTF-8 (a caller's bytes): shown as its bytes in base64 rather than dropped */
        json_t *s = json_stringn(o->via.str.ptr, o->via.str.size);
        return s != NULL ? s : bin_to_json(o->via.str.ptr, o->via.str.size);
    }
    case MSGPACK_OBJECT_BIN:
        return bin_to_json(o->via.bin.ptr, o->via.bin.size);
    case MSGPACK_OBJECT_ARRAY: {
        json_t *arr = json_array();
        for (uint32_t i = 0; i < o->via.array.size; i++) {
            json_t *v = to_json(&o->via.array.ptr[i], depth + 1);
            if (v == NULL) {
                json_decref(arr);
                return NULL;
            }
            json_array_append_new(arr, v);
        }
        return arr;
    }
    case MSGPACK_OBJECT_MAP:
        return map_to_json(&o->via.map, depth);
    default:
        return json_null();     /* ext: we write none */
    }
}

json_t *mp_json_decode(const void *data, size_t len)
{
    if (data == NULL || len == 0 || !mp_sizes_fit(data, len))
        return NULL;
    msgpack_unpacked msg;
    msgpack_unpacked_init(&msg);
    size_t off = 0;
    json_t *out = NULL;
    if (msgpack_unpack_next(&msg, data, len, &off) == MSGPACK_UNPACK_SUCCESS && off == len)
        out = to_json(&msg.data, 0);
    msgpack_unpacked_destroy(&msg);
    return out;
}
