/* web/static_files.h: the owner's dashboard, its files embedded at build time
 * (ops/embed-static.sh) and served by frontdesk-web outside /api/. */
#ifndef WEB_STATIC_FILES_H
#define WEB_STATIC_FILES_H

#include <stdbool.h>
#include <stddef.h>

struct web_exchange;

/* One embedded file: its name under the assets' folder ("app.js", "vendor/uplot.js"),
 * its bytes (static, followed by a NUL) and the same gzipped. */
struct web_asset {
    const char *name;
    const char *body;
    size_t len;
    const char *gz_body;
    size_t gz_len;
};

/* "/assets/<hash>/": the folder every file but index.html is served under; the hash
 * changes with any file, so these answers may be cached for good. */
extern const char web_assets_prefix[];
extern const struct web_asset web_assets[];
extern const size_t web_asset_count;

/* True when the path is the dashboard's (anything outside /api/ but the probes). */
bool web_static_is_page_path(const char *path);

/* Answers a request for the dashboard: a file under the assets' folder (cached for a
 * year), index.html for any other path (never cached: the browser's router shows the
 * page), 404 for an unknown file under /assets/, 405 for a method other than GET or
 * HEAD. Every answer carries the Content-Security-Policy, nosniff and Referrer-Policy;
 * a file goes gzipped to a client whose Accept-Encoding takes gzip. */
void web_static_handle(struct web_exchange *x);

/* True when an Accept-Encoding header (NULL: none) accepts gzip: a "gzip" (or "*")
 * coding without q=0. */
bool web_static_accepts_gzip(const char *accept_encoding);

/* The Content-Type of a file name by its extension; application/octet-stream when
 * unknown. */
const char *web_static_content_type(const char *name);

#endif
