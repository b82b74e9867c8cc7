/* lib/core/mp_buf.c: see mp_buf.h. */
#include "core/mp_buf.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

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
