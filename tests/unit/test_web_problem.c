/* Unit tests for web/problem.c, web/handler.c and web/json_path.c: the problem
 * documents every error is sent as, the status of each action's result, the body
 * helpers handlers validate with, how a stage hands a request on, and business_id
 * found anywhere in a body. */
#include "check.h"
#include "../../web/handler.h"
#include "../../web/json_path.h"
#include "../../web/problem.h"

static void route_stub(PGconn *conn, const struct web_request *req,
                       const struct web_session *session, struct web_result *out)
{
    (void)conn;
    (void)req;
    (void)session;
    web_problem(out, 500, NULL);
}

static void test_a_problem_has_type_title_status_and_detail(void)
{
    json_t *p = problem_new(404, "No such user.");
    CHECK_STR_EQ(json_string_value(json_object_get(p, "type")), "urn:frontdesk:problem:not-found");
    CHECK_STR_EQ(json_string_value(json_object_get(p, "title")), "No such resource");
    CHECK_INT_EQ(json_integer_value(json_object_get(p, "status")), 404);
    CHECK_STR_EQ(json_string_value(json_object_get(p, "detail")), "No such user.");
    json_decref(p);
}

static void test_a_status_outside_the_table_is_about_blank(void)
{
    json_t *p = problem_new(418, NULL);
    CHECK_STR_EQ(json_string_value(json_object_get(p, "type")), "about:blank");
    CHECK_STR_EQ(json_string_value(json_object_get(p, "title")), "Error");
    CHECK(json_object_get(p, "detail") == NULL);
    json_decref(p);
}

static void test_every_action_result_has_its_status(void)
{
    CHECK_INT_EQ(problem_status_of(APP_OK), 200);
    CHECK_INT_EQ(problem_status_of(APP_EINVAL), 422);
    CHECK_INT_EQ(problem_status_of(APP_EAUTH), 401);
    CHECK_INT_EQ(problem_status_of(APP_ENOTFOUND), 404);
    CHECK_INT_EQ(problem_status_of(APP_ECONFLICT), 409);
    CHECK_INT_EQ(problem_status_of(APP_ETOOBIG), 413);
    CHECK_INT_EQ(problem_status_of(APP_EUNAVAIL), 503);
    CHECK_INT_EQ(problem_status_of(APP_EINTERNAL), 500);
}

static void test_a_server_failure_never_sends_its_reason(void)
{
    struct web_result out = {0};
    web_fail(&out, APP_EINTERNAL, "relation \"secret_table\" does not exist");
    CHECK_INT_EQ(out.status, 500);
    CHECK(out.is_problem);
    char *text = json_dumps(out.body, 0);
    CHECK(strstr(text, "secret_table") == NULL);
    free(text);
    web_fail(&out, APP_ENOTFOUND, "No such call.");       /* a later answer replaces it */
    CHECK_INT_EQ(out.status, 404);
    CHECK_STR_EQ(json_string_value(json_object_get(out.body, "detail")), "No such call.");
    json_decref(out.body);
}

static struct web_request request_with(json_t *body)
{
    static struct route_params none;
    return (struct web_request){.method = WEB_POST, .path = "/x", .body = body, .params = &none};
}

static void test_validation_collects_every_error_then_answers_422(void)
{
    json_t *body = json_pack("{s:s, s:i, s:b, s:s%}", "email", "a@b.co", "password", 5, "extra", 1,
                             "name", "a\0b", (size_t)3);
    struct web_request req = request_with(body);
    static const char *const allowed[] = {"email", "password", "role", "name", NULL};
    json_t *errors = json_array();
    struct web_result out = {0};
    size_t len = 0;
    web_body_only(&req, allowed, errors);
    CHECK_STR_EQ(web_body_string(&req, "email", true, &len, errors), "a@b.co");
    CHECK_INT_EQ(len, 6);
    CHECK(web_body_string(&req, "password", true, NULL, errors) == NULL);  /* not a string */
    CHECK(web_body_string(&req, "role", true, NULL, errors) == NULL);      /* missing */
    CHECK(web_body_string(&req, "timezone", false, NULL, errors) == NULL); /* optional */
    CHECK(web_body_string(&req, "name", false, NULL, errors) == NULL);     /* holds U+0000 */
    CHECK(web_reject_invalid(&out, errors));
    CHECK_INT_EQ(out.status, 422);
    const json_t *list = json_object_get(out.body, "errors");
    CHECK_INT_EQ(json_array_size(list), 4);
    CHECK_STR_EQ(json_string_value(json_object_get(json_array_get(list, 0), "path")), "extra");
    CHECK_STR_EQ(json_string_value(json_object_get(json_array_get(list, 1), "path")), "password");
    CHECK_STR_EQ(json_string_value(json_object_get(json_array_get(list, 1), "message")),
                 "must be a string");
    CHECK_STR_EQ(json_string_value(json_object_get(json_array_get(list, 2), "message")),
                 "is required");
    CHECK_STR_EQ(json_string_value(json_object_get(json_array_get(list, 3), "path")), "name");
    json_decref(out.body);
    json_decref(body);
}

static void test_no_errors_is_no_answer(void)
{
    struct web_result out = {0};
    CHECK(!web_reject_invalid(&out, json_array()));
    CHECK_INT_EQ(out.status, 0);
    CHECK(out.body == NULL);
}

static void test_business_id_is_found_at_any_depth_with_its_path(void)
{
    char path[64];
    json_t *top = json_pack("{s:s, s:s}", "email", "x", "business_id", "b");
    json_t *deep = json_pack("{s:[{s:i}, {s:{s:s}}]}", "items", "a", 1, "b", "business_id", "x");
    json_t *none = json_pack("{s:s, s:[s]}", "name", "business_id", "list", "business_id");
    CHECK(json_path_find_key(top, "business_id", path, sizeof path));
    CHECK_STR_EQ(path, "business_id");
    CHECK(json_path_find_key(deep, "business_id", path, sizeof path));
    CHECK_STR_EQ(path, "items[1].b.business_id");
    CHECK(!json_path_find_key(none, "business_id", path, sizeof path));    /* values, not keys */
    CHECK_STR_EQ(path, "");
    json_decref(top);
    json_decref(deep);
    json_decref(none);
}

static void test_a_long_path_is_cut_not_overrun(void)
{
    char path[8];
    json_t *doc = json_pack("{s:{s:{s:i}}}", "aaaaaaaaaaaa", "bbbbbbbb", "business_id", 1);
    CHECK(json_path_find_key(doc, "business_id", path, sizeof path));
    CHECK_INT_EQ(strlen(path), 7);
    json_decref(doc);
}

static void test_a_stage_hands_the_request_on_to_the_next(void)
{
    struct web_result r = {0};
    struct web_event ev = {.type = "owner.booking_cancel", .eid = "e-1", .body = "\x80",
                           .body_len = 1};
    web_then_enqueue(&r, &ev, route_stub);
    CHECK_INT_EQ(r.status, 0);
    CHECK_INT_EQ(r.then, WEB_THEN_ENQUEUE);
    CHECK(r.next == route_stub);
    CHECK_STR_EQ(r.event.type, "owner.booking_cancel");   /* copied */
    CHECK_INT_EQ(r.event.body_len, 1);
    web_then_wait(&r, 200, route_stub);
    CHECK_INT_EQ(r.then, WEB_THEN_WAIT);
    CHECK_INT_EQ(r.wait_ms, 200);
    web_then_hash(&r, &(struct web_hash_job){.new_len = 3}, route_stub);
    CHECK_INT_EQ(r.then, WEB_THEN_HASH);
    CHECK_INT_EQ(r.hash.new_len, 3);
}

int main(void)
{
    RUN(test_a_problem_has_type_title_status_and_detail);
    RUN(test_a_status_outside_the_table_is_about_blank);
    RUN(test_every_action_result_has_its_status);
    RUN(test_a_server_failure_never_sends_its_reason);
    RUN(test_validation_collects_every_error_then_answers_422);
    RUN(test_no_errors_is_no_answer);
    RUN(test_business_id_is_found_at_any_depth_with_its_path);
    RUN(test_a_long_path_is_cut_not_overrun);
    RUN(test_a_stage_hands_the_request_on_to_the_next);
    return check_summary();
}
