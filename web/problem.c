/* web/problem.c: see problem.h. The details are for people; clients branch on "type". */
#include "problem.h"

#include <string.h>

static const struct {
    int status;
    const char *name;   /* the type's last part */
    const char *title;
} kinds[] = {
    {400, "bad-request", "The request is malformed"},
    {401, "unauthorized", "Sign in first"},
    {403, "forbidden", "Not allowed"},
    {404, "not-found", "No such resource"},
    {405, "method-not-allowed", "Method not allowed here"},
    {409, "conflict", "It conflicts with what exists"},
    {413, "too-large", "The body is too large"},
    {415, "unsupported-media-type", "The body must be JSON"},
    {422, "invalid", "The request did not validate"},
    {429, "rate-limited", "Too many attempts"},
    {500, "internal", "Something went wrong on our side"},
    {502, "bad-gateway", "A service we rely on failed"},
    {503, "unavailable", "Temporarily unavailable"},
};

json_t *problem_new(int status, const char *detail)
{
    const char *name = NULL, *title = "Error";
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (kinds[i].status == status) {
            name = kinds[i].name;
            title = kinds[i].title;
        }
    }
    char type[96] = "about:blank";
    if (name != NULL) {
        strcpy(type, PROBLEM_TYPE_PREFIX);
        strcat(type, name);
    }
    json_t *p = json_pack("{s:s, s:s, s:i}", "type", type, "title", title, "status", status);
    if (detail != NULL)
        json_object_set_new(p, "detail", json_string(detail));
    return p;
}

json_t *problem_invalid(json_t *errors)
{
    json_t *p = problem_new(422, "Some fields are missing or wrong; see errors.");
    json_object_set_new(p, "errors", errors);
    return p;
}

int problem_status_of(enum app_err err)
{
    switch (err) {
    case APP_OK: return 200;
    case APP_EINVAL: return 422;
    case APP_EAUTH: return 401;
    case APP_ENOTFOUND: return 404;
    case APP_ECONFLICT: return 409;
    case APP_ETOOBIG: return 413;
    case APP_EUNAVAIL: return 503;
    case APP_EINTERNAL: return 500;
    }
    return 500;
}
