/* Unit tests for web/static_rules.c: which paths are the dashboard's, the Content-Type
 * of each kind of file it serves, and which Accept-Encoding headers get gzip. */
#include "check.h"
#include "../../web/static_files.h"

static void test_every_path_outside_the_api_is_the_dashboard_s(void)
{
    CHECK(web_static_is_page_path("/"));
    CHECK(web_static_is_page_path("/calls/6f1c0d52-8a3e-4c1b-9f57-2d7c1e0a9b11"));
    CHECK(web_static_is_page_path("/assets/0123456789abcdef/app.js"));
    CHECK(web_static_is_page_path("/apiary"));
    CHECK(!web_static_is_page_path("/api/v1/calls"));
    CHECK(!web_static_is_page_path("/api/"));
    CHECK(!web_static_is_page_path("/api"));
}

static void test_each_kind_of_file_has_its_type(void)
{
    CHECK_STR_EQ(web_static_content_type("index.html"), "text/html; charset=utf-8");
    CHECK_STR_EQ(web_static_content_type("pages/today.js"), "text/javascript; charset=utf-8");
    CHECK_STR_EQ(web_static_content_type("vendor/uplot.css"), "text/css; charset=utf-8");
    CHECK_STR_EQ(web_static_content_type("logo.svg"), "image/svg+xml");
    CHECK_STR_EQ(web_static_content_type("README"), "application/octet-stream");
    CHECK_STR_EQ(web_static_content_type("app.js.map"), "application/octet-stream");
}

static void test_gzip_is_sent_only_to_who_accepts_it(void)
{
    CHECK(web_static_accepts_gzip("gzip, deflate, br"));
    CHECK(web_static_accepts_gzip("br;q=1.0, GZIP;q=0.5"));
    CHECK(web_static_accepts_gzip("*"));
    CHECK(!web_static_accepts_gzip(NULL));
    CHECK(!web_static_accepts_gzip(""));
    CHECK(!web_static_accepts_gzip("identity"));
    CHECK(!web_static_accepts_gzip("gzip;q=0"));
    CHECK(!web_static_accepts_gzip("gzip; q=0.000, deflate"));
    CHECK(!web_static_accepts_gzip("x-gzip2"));
    CHECK(web_static_accepts_gzip("deflate;q=0, gzip"));
}

int main(void)
{
    RUN(test_every_path_outside_the_api_is_the_dashboard_s);
    RUN(test_each_kind_of_file_has_its_type);
    RUN(test_gzip_is_sent_only_to_who_accepts_it);
    return check_summary();
}
