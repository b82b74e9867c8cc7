/* lib/core/mp_buf.h: a growable buffer for msgpack_packer whose writes cannot fail: it
 * grows with xrealloc, which aborts on out-of-memory (lib/core/xalloc.h). So code that packs
 * into it need not check each msgpack_pack_* result. */
#ifndef FD_MP_BUF_H
#define FD_MP_BUF_H
#include <stddef.h>

struct mp_buf {
    char *data;   /* owned by the buffer until a caller takes it */
    size_t len, cap;
};

void mp_buf_init(struct mp_buf *b, size_t cap_hint);   /* allocates max(cap_hint, 1) bytes */
void mp_buf_cleanup(struct mp_buf *b);                 /* frees data; NULL data is fine */
/* The msgpack_packer_write callback; data is a struct mp_buf *. Always returns 0. */
int mp_buf_write(void *data, const char *buf, size_t len);

#endif
