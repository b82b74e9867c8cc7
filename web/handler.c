/* web/handler.c: the calls a handler answers with (see handler.h). */
#include "handler.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <string.h>

#include "core/log.h"
#include "owner/owner_query.h"
#include "problem.h"
#include "store/db.h"

const char *web_param(const struct web_request *req, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < req->params->n; i++)
        if (req->params->items[i].name_len == len &&
            memcmp(req->params->items[i].name, name, len) == 0)
            return req->params->items[i].value;
    return NULL;
}

const char *web_query(const struct web_request *req, const char *name)
{
    /* evhttp_find_header takes a non-const list but only reads it. */
    return req->query ? evhttp_find_header((struct evkeyvalq *)req->query, name) : NULL;
}

void web_ok(struct web_result *out, int status, json_t *body)
{
    json_decref(out->body);
    out->status = status;
    out->body = body;
    out->is_problem = false;
}

void web_problem(struct web_result *out, int status, const char *detail)
{
    web_ok(out, status, problem_new(status, detail));
    out->is_problem = true;
}

void web_fail(struct web_result *out, enum app_err err, const char *why)
{
    int status = problem_status_of(err);
    if (status < 500) {
        web_problem(out, status, why);
        return;
    }
    log_msg(LOG_ERROR, "request failed", "why", why);
    web_problem(out, status, status == 503 ? "The database or Redis did not answer; try again."
                                           : NULL);
}

void web_answer(struct web_result *out, int status, enum app_err err, json_t *body,
                const char *why)
{
    if (err == APP_OK)
        web_ok(out, status, body);
    else
        web_fail(out, err, why);
}

void web_drop_agent_cache(struct web_result *out)
{
    out->drops_agent_cache = true;
}

void web_error_add(json_t *errors, const char *path, const char *message)
{
    json_array_append_new(errors, json_pack("{s:s, s:s}", "path", path, "message", message));
}

void web_body_only(const struct web_request *req, const char *const *allowed, json_t *errors)
{
    const char *key;
    json_t *value;
    if (req->body == NULL)
        return;
    json_object_foreach((json_t *)req->body, key, value) {
        bool is_known = false;
        for (size_t i = 0; allowed[i] != NULL && !is_known; i++)
            is_known = strcmp(key, allowed[i]) == 0;
        if (!is_known)
            web_error_add(errors, key, "is not a field of this request");
    }
}

const char *web_body_string(const struct web_request *req, const char *name, bool is_required,
                            size_t *len, json_t *errors)
{
    const json_t *v = req->body ? json_object_get(req->body, name) : NULL;
    /* "\u0000" is valid JSON; C strings and PostgreSQL text would cut at it. */
    bool is_text = json_is_string(v) && strlen(json_string_value(v)) == json_string_length(v);
    if (is_text) {
        if (len != NULL)
            *len = json_string_length(v);
        return json_string_value(v);
    }
    if (json_is_string(v))
        web_error_add(errors, name, "must not contain the character U+0000");
    else if (v != NULL)
        web_error_add(errors, name, "must be a string");
    else if (is_required)
        web_error_add(errors, name, "is required");
    return NULL;
}

bool web_reject_invalid(struct web_result *out, json_t *errors)
{
    if (json_array_size(errors) == 0) {
        json_decref(errors);
        return false;
    }
    web_ok(out, 422, problem_invalid(errors));
    out->is_problem = true;
    return true;
}

void web_then_hash(struct web_result *out, const struct web_hash_job *job, web_handler_fn next)
{
    out->status = 0;
    out->then = WEB_THEN_HASH;
    out->hash = *job;
    out->next = next;
}

void web_then_enqueue(struct web_result *out, const struct web_event *ev, web_handler_fn next)
{
    out->status = 0;
    out->then = WEB_THEN_ENQUEUE;
    out->event = *ev;
    out->next = next;
}

void web_then_wait(struct web_result *out, int wait_ms, web_handler_fn next)
{
    out->status = 0;
    out->then = WEB_THEN_WAIT;
    out->wait_ms = wait_ms;
    out->next = next;
}

void web_then_stripe(struct web_result *out, const struct web_stripe_job *job,
                     web_handler_fn next)
{
    out->status = 0;
    out->then = WEB_THEN_STRIPE;
    out->stripe = *job;
    out->stripe.reply = (struct stripe_reply){0};
    out->next = next;
}

bool web_set_tenant(PGconn *conn, const char *business_id, struct web_result *out)
{
    char why[256];
    const char *params[] = {business_id};
    enum app_err err = owner_exec(conn, DB_SET_TENANT_SQL, 1, params, why, sizeof why);
    if (err == APP_OK)      /* a business not created yet keeps the server's zone */
        err = owner_exec(conn, "SELECT set_config('TimeZone', timezone, true) FROM businesses "
                         "WHERE id = $1::uuid", 1, params, why, sizeof why);
    if (err != APP_OK)
        web_fail(out, err, why);
    return err == APP_OK;
}
