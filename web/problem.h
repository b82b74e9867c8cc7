/* web/problem.h: every error of frontdesk-web is an RFC 9457 problem document
 * (application/problem+json): {"type", "title", "status", "detail"}, plus "errors":
 * [{"path", "message"}] when the request did not validate. One table here names each
 * status's type and title, and maps enum app_err to a status. */
#ifndef FD_WEB_PROBLEM_H
#define FD_WEB_PROBLEM_H
#include <jansson.h>

#include "core/err.h"

#define PROBLEM_TYPE_PREFIX "urn:frontdesk:problem:"

/* A new problem document (new reference) for status, with detail (copied) when not
 * NULL. A status the table lacks gets type "about:blank" and the title "Error". */
json_t *problem_new(int status, const char *detail);
/* 422 with errors (taken: an array of {"path", "message"}). */
json_t *problem_invalid(json_t *errors);
/* The HTTP status for an action's result (APP_OK: 200). */
int problem_status_of(enum app_err err);

#endif
