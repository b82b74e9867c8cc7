/* lib/core/mp_json.h: MessagePack shown as JSON, for operators (frontdesk-ctl decodes a
 * dead event's body with it): maps with string keys become objects, arrays arrays,
 * binary data a base64 string, everything else its JSON equal. */
#ifndef FD_MP_JSON_H
#define FD_MP_JSON_H
#include <stddef.h>

#include <jansson.h>

/* Returns a new JSON value (the caller owns it: json_decref), or NULL when data[0..len)
 * is not one whole MessagePack object that passes mp_sizes_fit, or nests deeper than
 * 64 levels. */
json_t *mp_json_decode(const void *data, size_t len);

#endif
