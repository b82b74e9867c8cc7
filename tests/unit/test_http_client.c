/* tests/unit/test_http_client.c: http_client on a libevent loop against the fake
 * server of fake_telnyx.h: statuses and bodies come back, deadlines fire, requests that
 * cannot start fail from the loop, and http_client_free completes what is in flight. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "fake_telnyx.h"
#include "http/http_client.h"

struct http_done {
    int calls;
    int aborted;
    int timeouts;
    long status;
    char body[256];
    char error[256];
    char content_type[64];
    bool has_content_type;
};

static void on_http_done(const struct http_response *resp, void *arg)
{
    struct http_done *d = arg;
    d->calls++;
    d->aborted += resp->is_aborted;
    d->timeouts += resp->is_timeout;
    d->status = resp->status;
    snprintf(d->body, sizeof d->body, "%.*s", (int)resp->body_len, resp->body);
    snprintf(d->error, sizeof d->error, "%s", resp->error != NULL ? resp->error : "");
    d->has_content_type = http_response_header(resp, "content-type", d->content_type,
                                               sizeof d->content_type);
}

static void test_http_client_free_completes_each_request_in_flight_once(void)
{
    static const struct step script[] = {{SILENT, ""}, {SILENT, ""}, {SILENT, ""}};
    struct event_base *base = event_base_new();
    struct fake_telnyx fake;
    fake_start(&fake, base, script, 3);
    struct http_client *http = http_client_create(base);
    struct http_done d[3] = {{0}};
    char url[96];
    snprintf(url, sizeof url, "%s/calls/x/actions/hangup", fake.url);
    struct http_request req = {.method = "POST", .url = url, .body = "{}", .body_len = 2,
                               .connect_timeout_ms = 1000, .total_timeout_ms = 5000};
    for (int i = 0; i < 3; i++)
        http_client_request(http, &req, on_http_done, &d[i]);
    CHECK_INT_EQ(http_client_in_flight(http), 3);
    CHECK(run_until(base, &fake.nreqs, 3, 3000));   /* all three reached the server */
    CHECK_INT_EQ(d[0].calls + d[1].calls + d[2].calls, 0);
    http_client_free(http);
    for (int i = 0; i < 3; i++) {
        CHECK_INT_EQ(d[i].calls, 1);
        CHECK_INT_EQ(d[i].aborted, 1);
        CHECK_INT_EQ(d[i].status, 0);
    }
    fake_stop(&fake);
    event_base_free(base);
}

static void test_a_get_and_a_put_return_status_and_body_never_synchronously(void)
{
    static const struct step script[] = {{200, "{\"a\":1}"}, {404, "{\"errors\":[]}"}};
    struct event_base *base = event_base_new();
    struct fake_telnyx fake;
    fake_start(&fake, base, script, 2);
    struct http_client *http = http_client_create(base);
    char url[96];
    snprintf(url, sizeof url, "%s/numbers/1", fake.url);
    const char *headers[] = {"X-Test: yes"};
    struct http_request get = {.method = "GET", .url = url, .headers = headers, .nheaders = 1,
                               .connect_timeout_ms = 1000, .total_timeout_ms = 2000};
    struct http_request put = get;
    put.method = "PUT";
    put.body = "{\"b\":2}";
    put.body_len = 7;
    struct http_done d[2] = {{0}};
    http_client_request(http, &get, on_http_done, &d[0]);
    CHECK_INT_EQ(d[0].calls, 0);
    CHECK(run_until(base, &d[0].calls, 1, 3000));
    http_client_request(http, &put, on_http_done, &d[1]);
    CHECK(run_until(base, &d[1].calls, 1, 3000));
    CHECK_INT_EQ(d[0].status, 200);
    CHECK_STR_EQ(d[0].body, "{\"a\":1}");
    CHECK_INT_EQ(d[1].status, 404);
    CHECK_STR_EQ(d[1].body, "{\"errors\":[]}");
    CHECK_STR_EQ(d[1].error, "");
    CHECK(d[1].has_content_type);
    CHECK_STR_EQ(d[1].content_type, "application/json");
    CHECK_INT_EQ(fake.nreqs, 2);
    if (fake.nreqs == 2) {
        CHECK_INT_EQ(fake.reqs[0].method, EVHTTP_REQ_GET);
        CHECK_STR_EQ(fake.reqs[0].body, "");
        CHECK_INT_EQ(fake.reqs[1].method, EVHTTP_REQ_PUT);
        CHECK_STR_EQ(fake.reqs[1].body, "{\"b\":2}");
        CHECK_STR_EQ(fake.reqs[1].uri, "/v2/numbers/1");
    }
    CHECK_INT_EQ(http_client_in_flight(http), 0);
    http_client_free(http);
    fake_stop(&fake);
    event_base_free(base);
}

static void test_a_silent_server_ends_in_a_timeout(void)
{
    static const struct step script[] = {{SILENT, ""}};
    struct event_base *base = event_base_new();
    struct fake_telnyx fake;
    fake_start(&fake, base, script, 1);
    struct http_client *http = http_client_create(base);
    struct http_request req = {.method = "POST", .url = fake.url, .body = "{}", .body_len = 2,
                               .connect_timeout_ms = 100, .total_timeout_ms = 100};
    struct http_done d = {0};
    http_client_request(http, &req, on_http_done, &d);
    CHECK(run_until(base, &d.calls, 1, 2000));
    CHECK_INT_EQ(d.status, 0);
    CHECK_INT_EQ(d.timeouts, 1);
    CHECK(d.error[0] != '\0');
    http_client_free(http);
    fake_stop(&fake);
    event_base_free(base);
}

static void test_a_request_that_cannot_start_fails_from_the_loop(void)
{
    struct event_base *base = event_base_new();
    struct http_client *http = http_client_create(base);
    struct http_request req = {.method = "POST", .url = "file:///etc/passwd",
                               .connect_timeout_ms = 100, .total_timeout_ms = 100};
    struct http_done d[2] = {{0}};
    http_client_request(http, &req, on_http_done, &d[0]);
    req.url = "http://127.0.0.1:1/";
    req.method = "TRACE";
    http_client_request(http, &req, on_http_done, &d[1]);
    CHECK_INT_EQ(d[0].calls + d[1].calls, 0);
    CHECK_INT_EQ(http_client_in_flight(http), 2);
    CHECK(run_until(base, &d[1].calls, 1, 1000));
    CHECK_INT_EQ(d[0].calls, 1);
    CHECK_INT_EQ(d[0].status, 0);
    CHECK_STR_EQ(d[0].error, "URL is not http:// or https://");
    CHECK_STR_EQ(d[1].error, "unsupported HTTP method");
    CHECK_INT_EQ(http_client_in_flight(http), 0);
    http_client_free(http);
    event_base_free(base);
}

static void test_a_cancelled_request_never_calls_back(void)
{
    static const struct step script[] = {{SILENT, ""}};
    struct event_base *base = event_base_new();
    struct fake_telnyx fake;
    fake_start(&fake, base, script, 1);
    struct http_client *http = http_client_create(base);
    struct http_request req = {.method = "POST", .url = fake.url, .body = "{}", .body_len = 2,
                               .connect_timeout_ms = 1000, .total_timeout_ms = 1000};
    struct http_done d = {0};
    struct http_call *call = http_client_request(http, &req, on_http_done, &d);
    CHECK(run_until(base, &fake.nreqs, 1, 2000));
    http_client_cancel(http, call);
    CHECK_INT_EQ(http_client_in_flight(http), 0);
    run_for(base, 50);
    http_client_free(http);
    CHECK_INT_EQ(d.calls, 0);
    fake_stop(&fake);
    event_base_free(base);
}

static void test_a_header_is_found_by_name_in_any_case_and_trimmed(void)
{
    const struct http_response resp = {
        .status = 429, .body = "",
        .headers = "Request-Id: req_abc123\r\nStripe-Should-Retry:  true \r\n"
                   "Idempotent-Replayed: true\r\n\r\n",
    };
    char v[16];
    CHECK(http_response_header(&resp, "stripe-should-retry", v, sizeof v));
    CHECK_STR_EQ(v, "true");
    CHECK(http_response_header(&resp, "Request-Id", v, 4));
    CHECK_STR_EQ(v, "req");                        /* truncated to fit */
    CHECK(!http_response_header(&resp, "Request", v, sizeof v));
    CHECK_STR_EQ(v, "");
    const struct http_response none = {.status = 0, .body = "", .headers = ""};
    CHECK(!http_response_header(&none, "Request-Id", v, sizeof v));
}

int main(void)
{
    RUN(test_a_header_is_found_by_name_in_any_case_and_trimmed);
    RUN(test_a_get_and_a_put_return_status_and_body_never_synchronously);
    RUN(test_a_silent_server_ends_in_a_timeout);
    RUN(test_a_request_that_cannot_start_fails_from_the_loop);
    RUN(test_a_cancelled_request_never_calls_back);
    RUN(test_http_client_free_completes_each_request_in_flight_once);
    return check_summary();
}
