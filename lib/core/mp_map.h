/* lib/core/mp_map.h: reading a MessagePack map of named fields into a struct, as the
 * events of the business streams are packed: a field's key compared, a string copied
 * into a fixed buffer (cut, always terminated), the string fields of a table of
 * offsets taken, and a body walked pair by pair. No allocation beyond msgpack's own. */
#ifndef FD_CORE_MP_MAP_H
#define FD_CORE_MP_MAP_H
#include <msgpack.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

/* A string field of a struct: its key in the map, where it is and how big. */
struct mp_str_field {
    const char *key;
    size_t offset, size;
};

/* The key is the string name. */
bool mp_key_is(const msgpack_object *k, const char *name);
/* The string v into dst (size bytes), cut to fit. v must be a string. */
void mp_copy_str(char *dst, size_t size, const msgpack_object *v);
/* If k names one of the n fields and v is a string, copies it into out's field; true if
 * k named one (whatever v was). */
bool mp_take_str_field(void *out, const struct mp_str_field *fields, size_t n, const msgpack_object *k,
                       const msgpack_object *v);
/* Calls take(out, key, value) for each pair of the map body (len bytes) is; APP_EINVAL
 * and *why when it is not a MessagePack map. */
enum app_err mp_map_each(const char *body, size_t len, void *out,
                         void (*take)(void *out, const msgpack_object *k, const msgpack_object *v),
                         const char **why);

#endif
