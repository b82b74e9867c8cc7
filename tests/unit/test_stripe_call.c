/* Unit tests for lib/billing/stripe_call.c: what goes on the wire to Stripe, and which
 * answers are asked again with the same key. A one-thread HTTP server on 127.0.0.1 plays
 * Stripe with canned answers and keeps each request it read. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "billing/stripe_call.h"
#include "check.h"

#define SERVER_MAX 4

struct server {
    int fd;
    int port;
    int nanswers;
    const char *answers[SERVER_MAX];    /* raw HTTP responses, one per connection */
    char requests[SERVER_MAX][4096];    /* what each connection sent */
    int nrequests;
};

/* Reads one request (headers and a Content-Length body) into buf. */
static void read_request(int fd, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (;;) {
        ssize_t n = read(fd, buf + len, cap - 1 - len);
        if (n <= 0)
            return;
        len += (size_t)n;
        buf[len] = '\0';
        const char *end = strstr(buf, "\r\n\r\n");
        const char *cl = strstr(buf, "Content-Length: ");
        if (end != NULL && (cl == NULL || len >= (size_t)(end + 4 - buf) + (size_t)atoi(cl + 16)))
            return;
    }
}

static void *serve(void *arg)
{
    struct server *s = arg;
    for (int i = 0; i < s->nanswers; i++) {
        int c = accept(s->fd, NULL, NULL);
        if (c < 0)
            return NULL;
        read_request(c, s->requests[i], sizeof s->requests[i]);
        s->nrequests++;
        ssize_t n = write(c, s->answers[i], strlen(s->answers[i]));
        (void)n;
        close(c);
    }
    return NULL;
}

static void server_start(struct server *s, pthread_t *thread)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(bind(s->fd, (struct sockaddr *)&a, sizeof a) == 0);
    CHECK(listen(s->fd, 4) == 0);
    getsockname(s->fd, (struct sockaddr *)&a, &alen);
    s->port = ntohs(a.sin_port);
    pthread_create(thread, NULL, serve, s);
}

static void config_for(struct stripe_config *cfg, int port)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->api_url, sizeof cfg->api_url, "http://127.0.0.1:%d", port);
    snprintf(cfg->secret_key, sizeof cfg->secret_key, "sk_test_unit");
}

static const char session_body[] = "{\"id\":\"cs_1\",\"url\":\"https://checkout.test/cs_1\"}";

static char *answer_of(const char *status_line, const char *extra, const char *body)
{
    char *out = malloc(1024);
    snprintf(out, 1024, "HTTP/1.1 %s\r\nContent-Type: application/json\r\nRequest-Id: req_1\r\n"
             "%sContent-Length: %zu\r\nConnection: close\r\n\r\n%s", status_line, extra,
             strlen(body), body);
    return out;
}

static void test_a_request_carries_the_key_version_idempotency_key_and_form(void)
{
    struct server s = {.nanswers = 1};
    pthread_t t;
    char *ok = answer_of("200 OK", "", session_body);
    s.answers[0] = ok;
    server_start(&s, &t);
    struct stripe_config cfg;
    config_for(&cfg, s.port);
    struct stripe_reply r;
    stripe_call_post(&cfg, "/v1/checkout/sessions", "mode=subscription&customer=cus_1",
                     "checkout-b-1", &r);
    pthread_join(t, NULL);
    close(s.fd);
    CHECK_INT_EQ(r.status, 200);
    CHECK_INT_EQ(r.attempts, 1);
    CHECK(stripe_reply_is_ok(&r));
    CHECK_STR_EQ(stripe_reply_string(&r, "url"), "https://checkout.test/cs_1");
    CHECK_STR_EQ(r.request_id, "req_1");
    const char *req = s.requests[0];
    static const char first_line[] = "POST /v1/checkout/sessions HTTP/1.1\r\n";
    CHECK(strncmp(req, first_line, strlen(first_line)) == 0);
    CHECK(strstr(req, "\r\nAuthorization: Bearer sk_test_unit\r\n") != NULL);
    CHECK(strstr(req, "\r\nStripe-Version: " STRIPE_API_VERSION "\r\n") != NULL);
    CHECK(strstr(req, "\r\nIdempotency-Key: checkout-b-1\r\n") != NULL);
    CHECK(strstr(req, "\r\nContent-Type: application/x-www-form-urlencoded\r\n") != NULL);
    CHECK(strstr(req, "\r\n\r\nmode=subscription&customer=cus_1") != NULL);
    stripe_reply_cleanup(&r);
    free(ok);
}

static void test_a_503_is_asked_once_more_with_the_same_key(void)
{
    struct server s = {.nanswers = 2};
    pthread_t t;
    char *busy = answer_of("503 Service Unavailable", "",
                           "{\"error\":{\"type\":\"api_error\",\"message\":\"busy\"}}");
    char *ok = answer_of("200 OK", "", session_body);
    s.answers[0] = busy;
    s.answers[1] = ok;
    server_start(&s, &t);
    struct stripe_config cfg;
    config_for(&cfg, s.port);
    struct stripe_reply r;
    stripe_call_post(&cfg, "/v1/billing_portal/sessions", "customer=cus_1", "portal-1", &r);
    pthread_join(t, NULL);
    close(s.fd);
    CHECK_INT_EQ(r.status, 200);
    CHECK_INT_EQ(r.attempts, 2);
    CHECK_INT_EQ(s.nrequests, 2);
    CHECK(strstr(s.requests[0], "Idempotency-Key: portal-1\r\n") != NULL);
    CHECK(strstr(s.requests[1], "Idempotency-Key: portal-1\r\n") != NULL);
    stripe_reply_cleanup(&r);
    free(busy);
    free(ok);
}

static void test_a_400_is_not_retried_and_keeps_stripes_message_for_the_log(void)
{
    struct server s = {.nanswers = 1};
    pthread_t t;
    char *bad = answer_of("400 Bad Request", "",
                          "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"No such "
                          "customer: 'cus_x'\"}}");
    s.answers[0] = bad;
    server_start(&s, &t);
    struct stripe_config cfg;
    config_for(&cfg, s.port);
    struct stripe_reply r;
    stripe_call_post(&cfg, "/v1/checkout/sessions", "customer=cus_x", "k", &r);
    pthread_join(t, NULL);
    close(s.fd);
    CHECK_INT_EQ(r.status, 400);
    CHECK_INT_EQ(r.attempts, 1);
    CHECK(!stripe_reply_is_ok(&r));
    CHECK_STR_EQ(stripe_reply_error_message(&r), "No such customer: 'cus_x'");
    stripe_reply_cleanup(&r);
    free(bad);
}

static void test_no_answer_is_status_zero_after_two_attempts(void)
{
    struct server s = {.nanswers = 0};
    pthread_t t;
    server_start(&s, &t);       /* bound, then closed: nothing listens on the port */
    pthread_join(t, NULL);
    close(s.fd);
    struct stripe_config cfg;
    config_for(&cfg, s.port);
    struct stripe_reply r;
    stripe_call_post(&cfg, "/v1/checkout/sessions", "", "k", &r);
    CHECK_INT_EQ(r.status, 0);
    CHECK_INT_EQ(r.attempts, 2);
    CHECK(r.transport_error[0] != '\0');
    CHECK(r.body == NULL && !stripe_reply_is_ok(&r));
    CHECK(stripe_reply_string(&r, "url") == NULL);
    stripe_reply_cleanup(&r);
}

static void test_which_answers_are_retried(void)
{
    CHECK(stripe_call_is_retryable(0, NULL));
    CHECK(stripe_call_is_retryable(409, NULL));
    CHECK(stripe_call_is_retryable(429, NULL));
    CHECK(stripe_call_is_retryable(500, NULL));
    CHECK(stripe_call_is_retryable(504, NULL));
    CHECK(!stripe_call_is_retryable(200, NULL));
    CHECK(!stripe_call_is_retryable(400, NULL));
    CHECK(!stripe_call_is_retryable(402, NULL));
    CHECK(!stripe_call_is_retryable(503, "false"));
    CHECK(stripe_call_is_retryable(400, "true"));
}

int main(void)
{
    RUN(test_a_request_carries_the_key_version_idempotency_key_and_form);
    RUN(test_a_503_is_asked_once_more_with_the_same_key);
    RUN(test_a_400_is_not_retried_and_keeps_stripes_message_for_the_log);
    RUN(test_no_answer_is_status_zero_after_two_attempts);
    RUN(test_which_answers_are_retried);
    return check_summary();
}
