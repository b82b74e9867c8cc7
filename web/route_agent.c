/* web/route_agent.c: the business's receptionist configuration.
 *   GET  /api/v1/agent                          the active version and its document
 *   PUT  /api/v1/agent (owner)                  the body is a new document: validated as
 *        `frontdesk-ctl agent set` validates (lib/agent, every problem 422 with its path,
 *        nothing saved), else saved as the new active version
 *   GET  /api/v1/agent/versions                 every version, newest first
 *   GET  /api/v1/agent/versions/{n}             one version and its document
 *   POST /api/v1/agent/versions/{n}/activate (owner)  makes n active again (a rollback)
 * A change reaches calls through web_drop_agent_cache: after COMMIT the worker's Redis
 * copy is deleted, so the business's next call loads the new active version. */
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"
#include "core/xalloc.h"
#include "list_query.h"
#include "owner/agent_versions.h"
#include "routes.h"

#define VERSION_DIGITS_MAX 9

/* The {n} of the path, or 0 when it is not a version number (then: 404). */
static int path_version(const struct web_request *req)
{
    const char *text = web_param(req, "n");
    size_t len = text ? strlen(text) : 0;
    if (len == 0 || len > VERSION_DIGITS_MAX || strspn(text, "0123456789") != len)
        return 0;
    return atoi(text);
}

/* Answers 422 with the problems of document (len bytes) and returns true when it does
 * not validate. */
static bool reject_invalid_document(const char *document, size_t len, struct web_result *out)
{
    struct agent_config_problems *problems = xcalloc(1, sizeof *problems);
    json_t *errors = json_array();
    if (agent_config_validate(document, len, NULL, problems) != APP_OK) {
        for (size_t i = 0; i < problems->n; i++)
            web_error_add(errors, problems->items[i].path, problems->items[i].message);
        if (problems->is_truncated)
            web_error_add(errors, "", "has more problems than are listed here");
    }
    free(problems);
    return web_reject_invalid(out, errors);
}

/* The version now active, as GET /api/v1/agent shows it; the worker's copy goes after
 * COMMIT. */
static void answer_changed(PGconn *conn, const struct web_session *session, int version,
                           struct web_result *out)
{
    json_t *body = NULL;
    char why[512];
    enum app_err err = agent_versions_get_json(conn, session->business_id, version, &body, why,
                                               sizeof why);
    web_answer(out, 200, err, body, why);
    if (err == APP_OK)
        web_drop_agent_cache(out);
}

void route_agent_show(PGconn *conn, const struct web_request *req,
                      const struct web_session *session, struct web_result *out)
{
    json_t *body = NULL;
    char why[512];
    (void)req;
    enum app_err err = agent_versions_get_json(conn, session->business_id, 0, &body, why, sizeof why);
    web_answer(out, 200, err, body, err == APP_ENOTFOUND ? "The business has no active "
                                                           "configuration." : why);
}

void route_agent_put(PGconn *conn, const struct web_request *req,
                     const struct web_session *session, struct web_result *out)
{
    char why[512];
    int version = 0;
    if (req->body == NULL) {
        json_t *errors = json_array();
        web_error_add(errors, "", "send the configuration document (docs/agent-config.md) "
                                  "as the body");
        web_reject_invalid(out, errors);
        return;
    }
    char *document = json_dumps(req->body, JSON_COMPACT);
    if (!reject_invalid_document(document, strlen(document), out)) {
        enum app_err err = agent_versions_save(conn, session->business_id, document, &version,
                                               why, sizeof why);
        if (err == APP_OK)
            answer_changed(conn, session, version, out);
        else
            web_fail(out, err, why);
    }
    free(document);
}

void route_agent_versions(PGconn *conn, const struct web_request *req,
                          const struct web_session *session, struct web_result *out)
{
    struct list_query q = {.list = "agent_versions"};
    json_t *body = NULL;
    char why[512];
    if (!web_read_list(req, session, &q, out))
        return;
    enum app_err err = agent_versions_list_json(conn, session->business_id, &q.page, &body, why,
                                                sizeof why);
    web_answer(out, 200, err, body, why);
}

void route_agent_version_show(PGconn *conn, const struct web_request *req,
                              const struct web_session *session, struct web_result *out)
{
    json_t *body = NULL;
    char why[512];
    int version = path_version(req);
    if (version == 0) {
        web_problem(out, 404, "No such version.");
        return;
    }
    enum app_err err = agent_versions_get_json(conn, session->business_id, version, &body, why,
                                               sizeof why);
    web_answer(out, 200, err, body, err == APP_ENOTFOUND ? "No such version." : why);
}

/* A version saved under older rules may not validate now: it is refused (422) rather
 * than handed to the next call. */
void route_agent_activate(PGconn *conn, const struct web_request *req,
                          const struct web_session *session, struct web_result *out)
{
    struct agent_version found;
    char why[512];
    int version = path_version(req);
    enum app_err err = version == 0 ? APP_ENOTFOUND
                                    : agent_versions_fetch(conn, session->business_id, version,
                                                           &found, why, sizeof why);
    if (err != APP_OK) {
        web_fail(out, err, err == APP_ENOTFOUND ? "No such version." : why);
        return;
    }
    bool is_invalid = reject_invalid_document(found.config, strlen(found.config), out);
    free(found.config);
    if (is_invalid)
        return;
    err = agent_versions_activate(conn, session->business_id, version, why, sizeof why);
    if (err == APP_OK)
        answer_changed(conn, session, version, out);
    else
        web_fail(out, err, why);
}
