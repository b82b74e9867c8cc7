/* Unit tests for web/router.c: a request's method and path find their route, {name}
 * parameters are taken from the path, and a path other methods take is told apart
 * from an unknown one (405 or 404). */
#include "check.h"
#include "../../web/router.h"

static void handle_nothing(PGconn *conn, const struct web_request *req,
                           const struct web_session *session, struct web_result *out)
{
    (void)conn;
    (void)req;
    (void)session;
    (void)out;
}

static const struct web_route routes[] = {
    {WEB_GET, "/api/v1/users", WEB_SIGNED_IN, handle_nothing, 0, 0},
    {WEB_POST, "/api/v1/users", WEB_OWNER, handle_nothing, 0, 0},
    {WEB_DELETE, "/api/v1/users/{id}", WEB_OWNER, handle_nothing, 0, 0},
    {WEB_POST, "/api/v1/agent/versions/{n}/activate", WEB_OWNER, handle_nothing, 0, 0},
    {WEB_GET, "/api/v1/calls/{call}/turns/{turn}", WEB_SIGNED_IN, handle_nothing, 0, 0},
};
#define NROUTES (sizeof routes / sizeof routes[0])

static const struct web_route *find(enum web_method method, const char *path,
                                    struct route_params *params, bool *is_path_known)
{
    return router_find(routes, NROUTES, method, path, params, is_path_known);
}

static void test_literal_paths_match_only_themselves(void)
{
    struct route_params p;
    CHECK(router_match("/api/v1/users", "/api/v1/users", &p));
    CHECK_INT_EQ(p.n, 0);
    CHECK(!router_match("/api/v1/users", "/api/v1/users/", &p));
    CHECK(!router_match("/api/v1/users", "/api/v1/user", &p));
    CHECK(!router_match("/api/v1/users", "/api/v1/usersx", &p));
    CHECK(!router_match("/api/v1/users", "", &p));
}

static void test_a_parameter_takes_one_whole_segment(void)
{
    struct route_params p;
    CHECK(router_match("/api/v1/users/{id}", "/api/v1/users/0b6f", &p));
    CHECK_INT_EQ(p.n, 1);
    CHECK_STR_EQ(p.items[0].value, "0b6f");
    CHECK_INT_EQ(p.items[0].name_len, 2);
    CHECK(strncmp(p.items[0].name, "id", 2) == 0);
    CHECK(!router_match("/api/v1/users/{id}", "/api/v1/users/", &p));
    CHECK(!router_match("/api/v1/users/{id}", "/api/v1/users/a/b", &p));
    CHECK(!router_match("/api/v1/users/{id}", "/api/v1/users", &p));
}

static void test_parameters_in_the_middle_and_several(void)
{
    struct route_params p;
    CHECK(router_match("/api/v1/agent/versions/{n}/activate", "/api/v1/agent/versions/7/activate", &p));
    CHECK_STR_EQ(p.items[0].value, "7");
    CHECK(!router_match("/api/v1/agent/versions/{n}/activate", "/api/v1/agent/versions/7/rollback", &p));
    CHECK(router_match("/api/v1/calls/{call}/turns/{turn}", "/api/v1/calls/c1/turns/3", &p));
    CHECK_INT_EQ(p.n, 2);
    CHECK_STR_EQ(p.items[0].value, "c1");
    CHECK_STR_EQ(p.items[1].value, "3");
}

static void test_a_parameter_longer_than_the_limit_matches_nothing(void)
{
    struct route_params p;
    char path[64 + WEB_PARAM_MAX + 2] = "/api/v1/users/";
    size_t at = strlen(path);
    memset(path + at, 'a', WEB_PARAM_MAX);
    path[at + WEB_PARAM_MAX] = '\0';
    CHECK(router_match("/api/v1/users/{id}", path, &p));
    path[at + WEB_PARAM_MAX] = 'a';
    path[at + WEB_PARAM_MAX + 1] = '\0';
    CHECK(!router_match("/api/v1/users/{id}", path, &p));
}

static void test_the_method_picks_among_routes_of_one_path(void)
{
    struct route_params p;
    bool is_known = false;
    CHECK(find(WEB_GET, "/api/v1/users", &p, &is_known) == &routes[0]);
    CHECK(find(WEB_POST, "/api/v1/users", &p, &is_known) == &routes[1]);
    const struct web_route *r = find(WEB_DELETE, "/api/v1/users/42", &p, &is_known);
    CHECK(r == &routes[2]);
    CHECK_STR_EQ(p.items[0].value, "42");
}

static void test_an_unknown_method_and_an_unknown_path_are_told_apart(void)
{
    struct route_params p;
    bool is_known = false;
    CHECK(find(WEB_PUT, "/api/v1/users", &p, &is_known) == NULL);
    CHECK(is_known);
    CHECK(find(WEB_GET, "/api/v1/nothing", &p, &is_known) == NULL);
    CHECK(!is_known);
    CHECK_INT_EQ(p.n, 0);
}

static void test_methods_have_their_names(void)
{
    CHECK_STR_EQ(router_method_name(WEB_GET), "GET");
    CHECK_STR_EQ(router_method_name(WEB_DELETE), "DELETE");
    CHECK_STR_EQ(router_method_name((enum web_method)0), "");
}

static void test_allow_lists_the_methods_of_a_path(void)
{
    char allow[64];
    CHECK(router_allow(routes, NROUTES, "/api/v1/users", allow, sizeof allow));
    CHECK_STR_EQ(allow, "GET, POST");
    CHECK(router_allow(routes, NROUTES, "/api/v1/users/9", allow, sizeof allow));
    CHECK_STR_EQ(allow, "DELETE");
    CHECK(!router_allow(routes, NROUTES, "/nope", allow, sizeof allow));
    CHECK_STR_EQ(allow, "");
    CHECK(router_allow(routes, NROUTES, "/api/v1/users", NULL, 0));
}

int main(void)
{
    RUN(test_literal_paths_match_only_themselves);
    RUN(test_a_parameter_takes_one_whole_segment);
    RUN(test_parameters_in_the_middle_and_several);
    RUN(test_a_parameter_longer_than_the_limit_matches_nothing);
    RUN(test_the_method_picks_among_routes_of_one_path);
    RUN(test_an_unknown_method_and_an_unknown_path_are_told_apart);
    RUN(test_methods_have_their_names);
    RUN(test_allow_lists_the_methods_of_a_path);
    return check_summary();
}
