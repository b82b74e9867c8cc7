/* lib/json_msgpack.h: JSON (jansson) to MessagePack (msgpack-c), generically, and the
 * growable buffer the packers write into. Used for the parts of a webhook we keep
 * without interpreting them (an unknown event's payload, ai_gather results, errors). */
#ifndef FD_JSON_MSGPACK_H
#define FD_JSON_MSGPACK_H
#include <stddef.h>

#include <jansson.h>
#include <msgpack.h>

/* A packer target that grows with xrealloc, so a write never fails: running out of
 * memory aborts (lib/xalloc.h). data is owned by the buffer until taken. */
struct mp_buf {
    char *data;
    size_t len, cap;
};

void mp_buf_init(struct mp_buf *b, size_t cap_hint);   /* allocates cap_hint (>= 1) bytes */
void mp_buf_cleanup(struct mp_buf *b);                 /* frees data; NULL data is fine */
/* The msgpack_packer_write callback; data is a struct mp_buf *. Always returns 0. */
int mp_buf_write(void *data, const char *buf, size_t len);

/* Packs v: objects as maps with string keys, arrays as arrays, strings, integers
 * (int64), reals (float64), booleans and null. A NULL v packs nil. Recursion depth is
 * bounded by jansson's parser (2048 levels). */
void json_msgpack_pack(msgpack_packer *pk, const json_t *v);
/* Packs a string of known length. */
void json_msgpack_pack_str(msgpack_packer *pk, const char *s, size_t len);

#endif
