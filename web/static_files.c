/* web/static_files.c: serves the embedded dashboard (the rules it answers by are in
 * web/static_rules.c). Its few dozen files are looked up by a linear scan: there are
 * too few to index, and the answer is a borrowed static buffer, so a page costs no
 * allocation and no disk. */
#include <event2/http.h>
#include <string.h>

#include "static_files.h"
#include "web.h"

/* No inline script or style, nothing from another site, never framed. */
#define STATIC_CSP "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const struct web_asset *asset_find(const char *name)
{
    for (size_t i = 0; i < web_asset_count; i++)
        if (strcmp(web_assets[i].name, name) == 0)
            return &web_assets[i];
    return NULL;
}

static void add_page_headers(struct web_exchange *x, bool is_immutable)
{
    struct evkeyvalq *h = evhttp_request_get_output_headers(x->req);
    evhttp_add_header(h, "Content-Security-Policy", STATIC_CSP);
    evhttp_add_header(h, "Referrer-Policy", "same-origin");
    evhttp_add_header(h, "X-Frame-Options", "DENY");
    evhttp_add_header(h, "Cache-Control", is_immutable ? "public, max-age=31536000, immutable"
                                                       : "no-cache");
}

/* The file a path asks for: under this build's folder, that file (index.html is served
 * only at page addresses); elsewhere under /assets/, none; any other path, index.html. */
static const struct web_asset *asset_for_path(const char *path)
{
    if (has_prefix(path, web_assets_prefix)) {
        const char *name = path + strlen(web_assets_prefix);
        return strcmp(name, "index.html") == 0 ? NULL : asset_find(name);
    }
    return has_prefix(path, "/assets/") ? NULL : asset_find("index.html");
}

static void send_asset(struct web_exchange *x, const struct web_asset *a)
{
    struct evkeyvalq *in = evhttp_request_get_input_headers(x->req);
    struct evkeyvalq *h = evhttp_request_get_output_headers(x->req);
    add_page_headers(x, strcmp(a->name, "index.html") != 0);
    evhttp_add_header(h, "Vary", "Accept-Encoding");
    if (web_static_accepts_gzip(evhttp_find_header(in, "Accept-Encoding"))) {
        evhttp_add_header(h, "Content-Encoding", "gzip");
        web_reply_text(x, 200, web_static_content_type(a->name), a->gz_body, a->gz_len);
    } else {
        web_reply_text(x, 200, web_static_content_type(a->name), a->body, a->len);
    }
}

void web_static_handle(struct web_exchange *x)
{
    enum evhttp_cmd_type cmd = evhttp_request_get_command(x->req);
    if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
        evhttp_add_header(evhttp_request_get_output_headers(x->req), "Allow", "GET, HEAD");
        web_reply_problem(x, 405, "The dashboard's pages are read with GET.");
        return;
    }
    const struct web_asset *a = asset_for_path(x->path);
    if (a == NULL) {
        /* an old page asking for files of a previous build: reloading fetches the new */
        web_reply_problem(x, 404, "No such file; reload the page.");
        return;
    }
    send_asset(x, a);
}
