/* tests/unit/test_http_retry.c: http_retry against the fake server of fake_telnyx.h: what a
 * request carries, which failures are sent again and how often, the budget, a body that
 * could not be built, cancelling, and the ends that shutting down brings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fake_telnyx.h"
#include "http/http_client.h"
#include "http/http_retry.h"

#define MAX_ATTEMPTS 8

/* What the hooks saw of one request. */
struct seen {
    int attempts_seen;
    int delays[MAX_ATTEMPTS];       /* retry_delay_ms of each attempt */
    int ends;
    enum http_retry_ending how;
    long status;
    int attempts;
    bool is_aborted;
    char why[128];
};

static void on_attempt(const struct http_response *resp, int attempt, int retry_delay_ms,
                       void *arg)
{
    struct seen *s = arg;
    (void)resp;
    if (s->attempts_seen < MAX_ATTEMPTS)
        s->delays[s->attempts_seen] = retry_delay_ms;
    s->attempts_seen++;
    CHECK_INT_EQ(attempt, s->attempts_seen);
}

static void on_end(const struct http_retry_end *end, void *arg)
{
    struct seen *s = arg;
    s->ends++;
    s->how = end->how;
    s->attempts = end->attempts;
    s->status = end->resp != NULL ? end->resp->status : -1;
    s->is_aborted = end->resp != NULL && end->resp->is_aborted;
    snprintf(s->why, sizeof s->why, "%s", end->why != NULL ? end->why : "");
    CHECK(end->elapsed_s >= 0);
}

static const struct http_retry_hooks hooks = {.attempt_done = on_attempt, .done = on_end};

struct fixture {
    struct event_base *base;
    struct fake_telnyx fake;
    struct http_client *http;
    struct http_retry_client *c;
};

static void fixture_start(struct fixture *fx, const struct step *script, size_t nscript)
{
    fx->base = event_base_new();
    fake_start(&fx->fake, fx->base, script, nscript);
    fx->http = http_client_create(fx->base);
    char url[80];
    snprintf(url, sizeof url, "%s//", fx->fake.url);     /* trailing slashes are dropped */
    fx->c = http_retry_client_create(fx->http, fx->base, url, "KEY_test", &hooks);
}

static void fixture_stop(struct fixture *fx)
{
    http_retry_client_free(fx->c);
    http_client_free(fx->http);
    fake_stop(&fx->fake);
    event_base_free(fx->base);
}

/* A request of body "{\"n\":1}" to /things with 5 ms backoffs. */
static struct http_retry_spec spec_of(int max_retries)
{
    struct http_retry_spec spec = {
        .path = "/things", .body = strdup("{\"n\":1}"),
        .connect_timeout_ms = 500, .total_timeout_ms = 2000,
        .max_retries = max_retries, .backoff_base_ms = 5,
    };
    return spec;
}

/* ---- attempts and retries ---- */

static void test_a_503_is_sent_again_byte_for_byte_with_bearer_and_json_headers(void)
{
    static const struct step script[] = {{503, "{}"}, {200, "{\"ok\":true}"}};
    struct fixture fx;
    fixture_start(&fx, script, 2);
    struct seen s = {0};
    struct http_retry_spec spec = spec_of(3);
    CHECK(http_retry_send(fx.c, &spec, &s) != NULL);
    CHECK_INT_EQ(s.ends, 0);
    CHECK_INT_EQ(http_retry_client_pending(fx.c), 1);
    CHECK(run_until(fx.base, &s.ends, 1, 3000));
    CHECK_INT_EQ(s.how, HTTP_RETRY_ANSWERED);
    CHECK_INT_EQ(s.status, 200);
    CHECK_INT_EQ(s.attempts, 2);
    CHECK_INT_EQ(s.attempts_seen, 2);
    CHECK(s.delays[0] >= 2 && s.delays[0] <= 7);     /* 5 ms jittered to 50..150% */
    CHECK_INT_EQ(s.delays[1], -1);
    CHECK_INT_EQ(fx.fake.nreqs, 2);
    for (int i = 0; i < 2 && i < fx.fake.nreqs; i++) {
        const struct recorded *r = &fx.fake.reqs[i];
        CHECK_INT_EQ(r->method, EVHTTP_REQ_POST);
        CHECK_STR_EQ(r->uri, "/v2/things");
        CHECK_STR_EQ(r->authorization, "Bearer KEY_test");
        CHECK_STR_EQ(r->content_type, "application/json");
        CHECK_STR_EQ(r->accept, "application/json");
        CHECK_STR_EQ(r->body, "{\"n\":1}");
    }
    CHECK_INT_EQ(http_retry_client_pending(fx.c), 0);
    fixture_stop(&fx);
}

static void test_a_get_sends_no_body_and_no_content_type_and_is_retried_the_same(void)
{
    static const struct step script[] = {{502, "{}"}, {200, "{\"data\":[]}"}};
    struct fixture fx;
    fixture_start(&fx, script, 2);
    struct seen s = {0};
    struct http_retry_spec spec = spec_of(3);
    free(spec.body);
    spec.body = strdup("");
    spec.is_get = true;
    spec.path = "/things?filter[a][]=x&filter[b]=2";
    CHECK(http_retry_send(fx.c, &spec, &s) != NULL);
    CHECK(run_until(fx.base, &s.ends, 1, 3000));
    CHECK_INT_EQ(s.how, HTTP_RETRY_ANSWERED);
    CHECK_INT_EQ(s.status, 200);
    CHECK_INT_EQ(s.attempts, 2);
    CHECK_INT_EQ(fx.fake.nreqs, 2);
    for (int i = 0; i < 2 && i < fx.fake.nreqs; i++) {
        const struct recorded *r = &fx.fake.reqs[i];
        CHECK_INT_EQ(r->method, EVHTTP_REQ_GET);
        CHECK_STR_EQ(r->uri, "/v2/things?filter[a][]=x&filter[b]=2");
        CHECK_STR_EQ(r->authorization, "Bearer KEY_test");
        CHECK(r->content_type == NULL);
        CHECK_STR_EQ(r->accept, "application/json");
        CHECK_STR_EQ(r->body, "");
    }
    fixture_stop(&fx);
}

static void test_transient_failures_are_sent_again_at_most_max_retries_times(void)
{
    static const struct step script[] = {{503, ""}, {429, ""}, {500, ""}, {200, ""}};
    struct fixture fx;
    fixture_start(&fx, script, 4);
    struct seen s = {0};
    struct http_retry_spec spec = spec_of(2);
    http_retry_send(fx.c, &spec, &s);
    CHECK(run_until(fx.base, &s.ends, 1, 3000));
    CHECK_INT_EQ(s.how, HTTP_RETRY_ANSWERED);
    CHECK_INT_EQ(s.status, 500);
    CHECK_INT_EQ(s.attempts, 3);
    CHECK(s.delays[0] >= 0 && s.delays[1] >= 0);
    CHECK_INT_EQ(s.delays[2], -1);
    CHECK_INT_EQ(fx.fake.nreqs, 3);
    fixture_stop(&fx);
}

static void test_a_4xx_is_final_at_once(void)
{
    static const struct step script[] = {{404, "{}"}};
    struct fixture fx;
    fixture_start(&fx, script, 1);
    struct seen s = {0};
    struct http_retry_spec spec = spec_of(3);
    http_retry_send(fx.c, &spec, &s);
    CHECK(run_until(fx.base, &s.ends, 1, 3000));
    CHECK_INT_EQ(s.status, 404);
    CHECK_INT_EQ(s.attempts, 1);
    CHECK_INT_EQ(s.delays[0], -1);
    fixture_stop(&fx);
}

static void test_only_no_response_429_and_500_up_are_transient(void)
{
    struct http_response resp = {0};
    CHECK(http_retry_is_transient(&resp));
    resp.is_aborted = true;
    CHECK(!http_retry_is_transient(&resp));
    static const long transient[] = {429, 500, 503, 599, 600};
    static const long final[] = {200, 204, 301, 400, 404, 422, 499};
    for (size_t i = 0; i < sizeof transient / sizeof transient[0]; i++) {
        struct http_response r = {.status = transient[i]};
        CHECK(http_retry_is_transient(&r));
    }
    for (size_t i = 0; i < sizeof final / sizeof final[0]; i++) {
        struct http_response r = {.status = final[i]};
        CHECK(!http_retry_is_transient(&r));
    }
}

/* ---- ends without an answer ---- */

static void test_a_body_that_could_not_be_built_ends_from_the_loop_unsent(void)
{
    struct fixture fx;
    fixture_start(&fx, NULL, 0);
    struct seen s = {0};
    struct http_retry_spec spec = {.path = "/things", .build_error = "no body for you"};
    CHECK(http_retry_send(fx.c, &spec, &s) != NULL);
    CHECK_INT_EQ(s.ends, 0);
    CHECK(run_until(fx.base, &s.ends, 1, 1000));
    CHECK_INT_EQ(s.how, HTTP_RETRY_NOT_BUILT);
    CHECK_STR_EQ(s.why, "no body for you");
    CHECK_INT_EQ(s.attempts, 0);
    CHECK_INT_EQ(s.attempts_seen, 0);
    CHECK_INT_EQ(fx.fake.nreqs, 0);
    fixture_stop(&fx);
}

static void test_a_spent_budget_cancels_the_attempt_in_flight(void)
{
    static const struct step script[] = {{SILENT, ""}};
    struct fixture fx;
    fixture_start(&fx, script, 1);
    struct seen s = {0};
    struct http_retry_spec spec = spec_of(3);
    spec.budget_ms = 100;
    http_retry_send(fx.c, &spec, &s);
    CHECK(run_until(fx.base, &s.ends, 1, 3000));
    CHECK_INT_EQ(s.how, HTTP_RETRY_BUDGET_SPENT);
    CHECK_INT_EQ(s.attempts, 1);
    CHECK_INT_EQ(s.attempts_seen, 0);
    CHECK_INT_EQ(http_client_in_flight(fx.http), 0);
    fixture_stop(&fx);
}

static void test_a_cancelled_request_never_ends(void)
{
    static const struct step script[] = {{SILENT, ""}};
    struct fixture fx;
    fixture_start(&fx, script, 1);
    struct seen s = {0};
    struct http_retry_spec spec = spec_of(3);
    spec.budget_ms = 200;
    struct http_retry_request *r = http_retry_send(fx.c, &spec, &s);
    CHECK(run_until(fx.base, &fx.fake.nreqs, 1, 2000));
    http_retry_cancel(r);
    http_retry_cancel(NULL);
    CHECK_INT_EQ(http_retry_client_pending(fx.c), 0);
    CHECK_INT_EQ(http_client_in_flight(fx.http), 0);
    run_for(fx.base, 300);
    fixture_stop(&fx);
    CHECK_INT_EQ(s.ends, 0);
}

/* ---- shutting down ---- */

/* A request whose end starts another, as a client's callback may; that one (then) starts
 * nothing. */
struct restarter {
    struct http_retry_client *c;
    struct seen seen;
    struct restarter *then;
    struct http_retry_request *then_request;
};

static void on_end_then_post(const struct http_retry_end *end, void *arg)
{
    struct restarter *r = arg;
    on_end(end, &r->seen);
    if (r->then == NULL)
        return;
    struct http_retry_spec spec = spec_of(0);
    r->then_request = http_retry_send(r->c, &spec, r->then);
}

static const struct http_retry_hooks restart_hooks = {.done = on_end_then_post};

static void test_free_ends_every_request_once_and_what_they_start_at_once(void)
{
    static const struct step script[] = {{SILENT, ""}, {503, ""}};
    struct fixture fx;
    fixture_start(&fx, script, 2);
    struct http_retry_client *c = http_retry_client_create(fx.http, fx.base, fx.fake.url,
                                                           "KEY_test", &restart_hooks);
    struct restarter then[3] = {{0}};
    struct restarter in_flight = {.c = c, .then = &then[0]};
    struct restarter backing_off = {.c = c, .then = &then[1]};
    struct restarter unbuilt = {.c = c, .then = &then[2]};
    struct http_retry_spec spec = spec_of(3);
    http_retry_send(c, &spec, &in_flight);
    CHECK(run_until(fx.base, &fx.fake.nreqs, 1, 2000));
    spec = spec_of(3);
    spec.backoff_base_ms = 60000;
    http_retry_send(c, &spec, &backing_off);
    CHECK(run_until(fx.base, &fx.fake.nreqs, 2, 2000));
    run_for(fx.base, 50);   /* the 503 arrives; the retry waits a minute */
    spec = (struct http_retry_spec){.build_error = "unbuilt"};
    http_retry_send(c, &spec, &unbuilt);
    CHECK_INT_EQ(http_retry_client_pending(c), 3);
    http_retry_client_free(c);
    struct restarter *all[] = {&in_flight, &backing_off, &unbuilt};
    for (int i = 0; i < 3; i++) {
        CHECK_INT_EQ(all[i]->seen.ends, 1);
        CHECK_INT_EQ(all[i]->seen.how, HTTP_RETRY_SHUT_DOWN);
        CHECK(all[i]->then_request == NULL);
        CHECK_INT_EQ(then[i].seen.ends, 1);
        CHECK_INT_EQ(then[i].seen.how, HTTP_RETRY_SHUT_DOWN);
        CHECK_INT_EQ(then[i].seen.attempts, 0);
    }
    CHECK_INT_EQ(in_flight.seen.attempts, 1);
    CHECK_INT_EQ(backing_off.seen.attempts, 1);
    CHECK_INT_EQ(unbuilt.seen.attempts, 0);
    CHECK_INT_EQ(http_client_in_flight(fx.http), 0);
    fixture_stop(&fx);
}

static void test_after_the_http_client_ends_new_requests_end_at_once(void)
{
    static const struct step script[] = {{SILENT, ""}};
    struct fixture fx;
    fixture_start(&fx, script, 1);
    struct http_retry_client *c = http_retry_client_create(fx.http, fx.base, fx.fake.url,
                                                           "KEY_test", &restart_hooks);
    struct restarter then = {0};
    struct restarter first = {.c = c, .then = &then};
    struct http_retry_spec spec = spec_of(3);
    http_retry_send(c, &spec, &first);
    CHECK(run_until(fx.base, &fx.fake.nreqs, 1, 2000));
    http_client_free(fx.http);
    fx.http = NULL;
    CHECK_INT_EQ(first.seen.ends, 1);
    CHECK_INT_EQ(first.seen.how, HTTP_RETRY_ANSWERED);
    CHECK(first.seen.is_aborted);
    CHECK_INT_EQ(first.seen.attempts, 1);      /* the http_client's end is not retried */
    CHECK(first.then_request == NULL);
    CHECK_INT_EQ(then.seen.ends, 1);
    CHECK_INT_EQ(then.seen.how, HTTP_RETRY_SHUT_DOWN);
    http_retry_client_free(c);
    fixture_stop(&fx);
}

static void test_create_refuses_a_bad_url_or_key(void)
{
    struct event_base *base = event_base_new();
    struct http_client *http = http_client_create(base);
    CHECK(http_retry_client_create(http, base, "ftp://x", "KEY", &hooks) == NULL);
    CHECK(http_retry_client_create(http, base, NULL, "KEY", &hooks) == NULL);
    CHECK(http_retry_client_create(http, base, "https://x", "", &hooks) == NULL);
    CHECK(http_retry_client_create(http, base, "https://x", NULL, &hooks) == NULL);
    CHECK(http_retry_client_create(http, base, "https://x", "KEY\r\nX: y", &hooks) == NULL);
    struct http_retry_client *c = http_retry_client_create(http, base, "http://x", "KEY", &hooks);
    CHECK(c != NULL);
    http_retry_client_free(c);
    http_retry_client_free(NULL);
    http_client_free(http);
    event_base_free(base);
}

int main(void)
{
    RUN(test_a_503_is_sent_again_byte_for_byte_with_bearer_and_json_headers);
    RUN(test_a_get_sends_no_body_and_no_content_type_and_is_retried_the_same);
    RUN(test_transient_failures_are_sent_again_at_most_max_retries_times);
    RUN(test_a_4xx_is_final_at_once);
    RUN(test_only_no_response_429_and_500_up_are_transient);
    RUN(test_a_body_that_could_not_be_built_ends_from_the_loop_unsent);
    RUN(test_a_spent_budget_cancels_the_attempt_in_flight);
    RUN(test_a_cancelled_request_never_ends);
    RUN(test_free_ends_every_request_once_and_what_they_start_at_once);
    RUN(test_after_the_http_client_ends_new_requests_end_at_once);
    RUN(test_create_refuses_a_bad_url_or_key);
    return check_summary();
}
