/* lib/json_msgpack.c: generic JSON to MessagePack, for webhook parts we keep verbatim.
 *
 * The buffer writer cannot fail (xrealloc aborts on out-of-memory), so the packers'
 * int results carry no information and are not checked here. */
#include "json_msgpack.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void mp_buf_init(struct mp_buf *b, size_t cap_hint)
{
    b->cap = cap_hint > 0 ? cap_hint : 1;
    b->data = xmalloc(b->cap);
    b->len = 0;
}

void mp_buf_cleanup(struct mp_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int mp_buf_write(void *data, const char *buf, size_t len)
{
    struct mp_buf *b = data;
    if (len > b->cap - b->len) {
        size_t cap = b->cap * 2;
        while (cap - b->len < len)
            cap *= 2;
        b->data = xrealloc(b->data, cap);
        b->cap = cap;
    }
    memcpy(b->data + b->len, buf, len);
    b->len += len;
    return 0;
}

void json_msgpack_pack_str(msgpack_packer *pk, const char *s, size_t len)
{
    msgpack_pack_str(pk, len);
    msgpack_pack_str_body(pk, s, len);
}

void json_msgpack_pack(msgpack_packer *pk, const json_t *v)
{
    const char *key;
    json_t *item;
    size_t i;

    switch (v == NULL ? JSON_NULL : json_typeof(v)) {
    case JSON_OBJECT:
        msgpack_pack_map(pk, json_object_size(v));
        /* json_object_foreach wants a non-const object; it does not modify it. */
        json_object_foreach((json_t *)v, key, item) {
            json_msgpack_pack_str(pk, key, strlen(key));
            json_msgpack_pack(pk, item);
        }
        break;
    case JSON_ARRAY:
        msgpack_pack_array(pk, json_array_size(v));
        json_array_foreach(v, i, item)
            json_msgpack_pack(pk, item);
        break;
    case JSON_STRING:
        json_msgpack_pack_str(pk, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        msgpack_pack_int64(pk, json_integer_value(v));
        break;
    case JSON_REAL:
        msgpack_pack_double(pk, json_real_value(v));
        break;
    case JSON_TRUE:
        msgpack_pack_true(pk);
        break;
    case JSON_FALSE:
        msgpack_pack_false(pk);
        break;
    case JSON_NULL:
        msgpack_pack_nil(pk);
        break;
    }
}
