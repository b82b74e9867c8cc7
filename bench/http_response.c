/* bench/http_response.c: see http_response.h. */
#include "http_response.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int http_response_take(struct evbuffer *in, bool *is_close)
{
    struct evbuffer_ptr end = evbuffer_search(in, "\r\n\r\n", 4, NULL);
    if (end.pos < 0)
        return 0;
    size_t head_len = (size_t)end.pos + 4;
    char *head = (char *)evbuffer_pullup(in, (ev_ssize_t)head_len);
    int status = 0;
    if (head_len < 12 || strncmp(head, "HTTP/1.", 7) != 0 || sscanf(head + 9, "%3d", &status) != 1)
        return -1;
    long body_len = 0;
    *is_close = false;
    for (char *line = memchr(head, '\n', head_len); line != NULL && line < head + head_len - 1;
         line = memchr(line + 1, '\n', (size_t)(head + head_len - line - 1))) {
        if (strncasecmp(line + 1, "Content-Length:", 15) == 0)
            body_len = strtol(line + 16, NULL, 10);
        else if (strncasecmp(line + 1, "Connection: close", 17) == 0)
            *is_close = true;
    }
    if (body_len < 0 || evbuffer_get_length(in) < head_len + (size_t)body_len)
        return 0;
    evbuffer_drain(in, head_len + (size_t)body_len);
    return status;
}
