/* web/static_rules.c: the pure rules by which the dashboard is served: which paths are
 * the dashboard's, a file's Content-Type, whether a client takes gzip. Apart from
 * web/static_files.c so the unit tests reach them without a server. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "static_files.h"

bool web_static_is_page_path(const char *path)
{
    return strncmp(path, "/api/", 5) != 0 && strcmp(path, "/api") != 0;
}

const char *web_static_content_type(const char *name)
{
    static const struct {
        const char *ext;
        const char *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},  {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},    {".svg", "image/svg+xml"},
        {".json", "application/json"},          {".png", "image/png"},
        {".ico", "image/x-icon"},               {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot != NULL && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

bool web_static_accepts_gzip(const char *accept_encoding)
{
    const char *p = accept_encoding;
    while (p != NULL && *p != '\0') {
        p += strspn(p, " \t,");
        size_t name_len = strcspn(p, " \t;,");
        const char *end = p + strcspn(p, ",");
        bool is_gzip = (name_len == 4 && strncasecmp(p, "gzip", 4) == 0) ||
                       (name_len == 1 && *p == '*');
        const char *q = strstr(p, "q=");
        bool is_refused = q != NULL && q < end && strtod(q + 2, NULL) <= 0.0;
        if (is_gzip && !is_refused)
            return true;
        p = *end == ',' ? end + 1 : end;
    }
    return false;
}
