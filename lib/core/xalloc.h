/* lib/core/xalloc.h: allocation that aborts on out-of-memory. A pod that cannot allocate
 * is restarted by Kubernetes; limping on with NULL checks everywhere hides bugs. */
#ifndef FD_XALLOC_H
#define FD_XALLOC_H
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);               /* NULL in, NULL out */
char *xstrndup(const char *s, size_t n);    /* copies at most n bytes, NUL-terminates */
/* printf into a new string; the caller owns the result. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
