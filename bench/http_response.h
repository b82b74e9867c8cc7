/* bench/http_response.h: the load generators' reading of an HTTP/1.1 response from
 * a keep-alive connection's input (paced_load.c, calls_hooks.c). */
#ifndef FD_BENCH_HTTP_RESPONSE_H
#define FD_BENCH_HTTP_RESPONSE_H
#include <stdbool.h>

#include <event2/buffer.h>

/* Parses one complete response at the head of in (its body sized by Content-Length);
 * returns its HTTP status and drains it, 0 if it is incomplete, -1 if it is malformed.
 * is_close: the response said Connection: close. */
int http_response_take(struct evbuffer *in, bool *is_close);

#endif
