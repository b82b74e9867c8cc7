/* web/route_agent_try.c: POST /api/v1/agent/try (owners and staff): the dashboard's
 * "Try it" panel. The body is {"config": a draft document, "caller_lines": what the
 * caller has said so far}; the draft is validated exactly as PUT /api/v1/agent
 * validates it (every problem 422 with the draft's own paths, "services[2].price"),
 * then the built-in receptionist answers from it (web/agent_try.h) and nothing is saved,
 * booked or sent. The places taken are the session's business's own bookings, read in
 * its RLS scope. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"
#include "agent_try.h"
#include "calendar/wall_clock.h"
#include "core/xalloc.h"
#include "routes.h"

/* Characters (code points) of valid UTF-8. */
static size_t count_chars(const char *text)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

static bool is_blank(const char *text)
{
    return text[strspn(text, " \t\r\n")] == '\0';
}

/* The caller's lines (borrowed from the body) into lines; each problem into errors. */
static size_t read_lines(const struct web_request *req, const char **lines, json_t *errors)
{
    const json_t *list = json_object_get(req->body, "caller_lines");
    size_t n = 0;
    if (list == NULL || json_is_null(list))
        return 0;
    if (!json_is_array(list)) {
        web_error_add(errors, "caller_lines", "must be a list of what the caller says");
        return 0;
    }
    if (json_array_size(list) > AGENT_TRY_LINES_MAX) {
        web_error_add(errors, "caller_lines", "has more than 30 lines; start a new try-out");
        return 0;
    }
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *v = json_array_get(list, i);
        char path[48];
        snprintf(path, sizeof path, "caller_lines[%zu]", i);
        const char *text = json_string_value(v);
        if (text == NULL || strlen(text) != json_string_length(v))
            web_error_add(errors, path, "must be text");
        else if (is_blank(text))
            web_error_add(errors, path, "must not be empty");
        else if (count_chars(text) > AGENT_TRY_LINE_MAX)
            web_error_add(errors, path, "must be at most 500 characters");
        else
            lines[n++] = text;
    }
    return n;
}

/* The draft, parsed (owned), or NULL with its problems in errors. */
static struct agent_config *read_draft(const struct web_request *req, json_t *errors)
{
    const json_t *draft = json_object_get(req->body, "config");
    struct agent_config *config = NULL;
    if (!json_is_object(draft)) {
        web_error_add(errors, "config", "send the draft configuration (docs/agent-config.md)");
        return NULL;
    }
    char *document = json_dumps(draft, JSON_COMPACT);
    struct agent_config_problems *problems = xcalloc(1, sizeof *problems);
    if (agent_config_validate(document, strlen(document), &config, problems) != APP_OK) {
        for (size_t i = 0; i < problems->n; i++)
            web_error_add(errors, problems->items[i].path, problems->items[i].message);
        if (problems->is_truncated)
            web_error_add(errors, "", "has more problems than are listed here");
        config = NULL;
    }
    free(problems);
    free(document);
    return config;
}

void route_agent_try(PGconn *conn, const struct web_request *req,
                     const struct web_session *session, struct web_result *out)
{
    static const char *const allowed[] = {"config", "caller_lines", NULL};
    const char *lines[AGENT_TRY_LINES_MAX];
    json_t *errors = json_array();
    char why[512];
    (void)session;              /* the transaction's RLS scope is the session's business */
    if (req->body == NULL) {
        web_error_add(errors, "", "send {\"config\": the draft, \"caller_lines\": [...]}");
        web_reject_invalid(out, errors);
        return;
    }
    web_body_only(req, allowed, errors);
    size_t nlines = read_lines(req, lines, errors);
    struct agent_config *config = read_draft(req, errors);
    if (web_reject_invalid(out, errors)) {
        agent_config_free(config);
        return;
    }
    const char *tz_why = NULL;
    struct tz *tz = tz_create(AGENT_CONFIG_ZONEINFO_DIR, config->timezone, &tz_why);
    struct try_facts *facts = xcalloc(1, sizeof *facts);
    int64_t now_ms = wall_clock_now_ms(req->clock), from_ms, to_ms;
    agent_try_window(config, now_ms, &from_ms, &to_ms);
    enum app_err err = tz == NULL ? APP_EINTERNAL
                                  : try_facts_read(conn, from_ms, to_ms, facts, why, sizeof why);
    if (tz == NULL)
        snprintf(why, sizeof why, "time zone %s: %s", config->timezone, tz_why ? tz_why : "?");
    if (err == APP_OK) {
        struct agent_try t = {.config = config, .tz = tz, .now_ms = now_ms, .facts = facts,
                              .lines = lines, .nlines = nlines};
        json_t *body = agent_try_run(&t);
        if (body == NULL)
            web_fail(out, APP_EINTERNAL, "the clock cannot be read in the draft's time zone");
        else
            web_ok(out, 200, body);
    } else {
        web_fail(out, err, why);
    }
    free(facts);
    tz_free(tz);
    agent_config_free(config);
}
