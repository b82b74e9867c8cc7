/* tests/unit/test_telnyx_client.c: telnyx_client against a fake Telnyx (fake_telnyx.h):
 * each command's method, escaped path, headers and body, the body also checked against
 * the Telnyx schema extract (tests/schemas/openapi_subset.py); outcomes, retries,
 * timeouts, logs, metrics, shutdown. */
#include <jansson.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "fake_telnyx.h"
#include "http/http_client.h"
#include "core/log.h"
#include "telnyx/telnyx_client.h"
#include "telnyx/telnyx_numbers.h"

/* Relative to the repository root, where tests/run-all.sh runs every unit test. */
#define VALIDATOR "tests/schemas/openapi_subset.py"
#define PYTHON "/usr/bin/python3"

#define ERR_503_BODY "{\"errors\":[{\"code\":\"10007\",\"title\":\"Unexpected error\"}]}"
#define ERR_503 ERR_503_BODY

/* ---- a Telnyx client on the fake ---- */

struct done {
    int calls;
    enum telnyx_outcome outcome;
    long status;
    int attempts;
    char code[32], title[128], detail[256], why[256], message_id[64], body[512];
};

static void copy_text(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src != NULL ? src : "");
}

static void on_telnyx_done(const struct telnyx_result *res, void *arg)
{
    struct done *d = arg;
    d->calls++;
    d->outcome = res->outcome;
    d->status = res->status;
    d->attempts = res->attempts;
    copy_text(d->code, sizeof d->code, res->error_code);
    copy_text(d->title, sizeof d->title, res->error_title);
    copy_text(d->detail, sizeof d->detail, res->error_detail);
    copy_text(d->why, sizeof d->why, res->why);
    copy_text(d->message_id, sizeof d->message_id, res->message_id);
    copy_text(d->body, sizeof d->body, res->body);
}

struct fixture {
    struct event_base *base;
    struct fake_telnyx fake;
    struct http_client *http;
    struct telnyx_client *t;
};

static void fixture_start(struct fixture *fx, const struct step *script, size_t nscript,
                          int total_timeout_ms)
{
    fx->base = event_base_new();
    fake_start(&fx->fake, fx->base, script, nscript);
    fx->http = http_client_create(fx->base);
    struct telnyx_options opt;
    telnyx_options_init(&opt);
    opt.api_url = fx->fake.url;
    opt.api_key = "KEY_test";
    opt.connect_timeout_ms = 500;
    opt.total_timeout_ms = total_timeout_ms;
    opt.backoff_base_ms = 5;            /* 5, 15, 45 ms, jittered: keeps the suite fast */
    fx->t = telnyx_client_create(fx->http, fx->base, &opt);
}

static void fixture_stop(struct fixture *fx)
{
    telnyx_client_free(fx->t);
    http_client_free(fx->http);
    fake_stop(&fx->fake);
    event_base_free(fx->base);
}

static const struct telnyx_command test_cmd = {
    .call_control_id = "v3:abc/def",
    .client_state = "ZmQxOmJ1c2luZXNzOmNvbnY=",
    .command_id = "0f8e2b7a-1c3d-8e4f-9a0b-1c2d3e4f5a6b",
};

/* ---- checks on recorded requests ---- */

/* Runs the spec validator on body; prints why when it says no. */
static bool body_validates(const char *command, const char *body)
{
    if (access(VALIDATOR, R_OK) != 0 || access(PYTHON, X_OK) != 0) {
        fprintf(stderr, "  %s or %s not found: run from the repository root\n", VALIDATOR, PYTHON);
        return false;
    }
    char path[] = "/tmp/fd_telnyx_body_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return false;
    bool is_written = write(fd, body, strlen(body)) == (ssize_t)strlen(body);
    close(fd);
    char cmdline[512];
    snprintf(cmdline, sizeof cmdline, "%s %s %s %s 2>&1", PYTHON, VALIDATOR, command, path);
    FILE *p = popen(cmdline, "r");
    char out[1024] = "";
    size_t n = p != NULL ? fread(out, 1, sizeof out - 1, p) : 0;
    out[n] = '\0';
    int status = p != NULL ? pclose(p) : -1;
    unlink(path);
    if (!is_written || status != 0) {
        fprintf(stderr, "  validator refused %s body %s:\n%s", command, body, out);
        return false;
    }
    return true;
}

/* Runs the spec validator on a request's query string (the part of uri after '?'). */
static bool query_validates(const char *operation, const char *uri)
{
    const char *query = strchr(uri, '?');
    if (query == NULL || strchr(query, '\'') != NULL)
        return false;
    char cmdline[1024];
    snprintf(cmdline, sizeof cmdline, "%s %s %s --query '%s' 2>&1", PYTHON, VALIDATOR, operation,
             query + 1);
    FILE *p = popen(cmdline, "r");
    char out[1024] = "";
    size_t n = p != NULL ? fread(out, 1, sizeof out - 1, p) : 0;
    out[n] = '\0';
    int status = p != NULL ? pclose(p) : -1;
    if (status != 0)
        fprintf(stderr, "  validator refused %s query %s:\n%s", operation, query + 1, out);
    return status == 0;
}

static bool is_telnyx_request(const struct recorded *r, const char *uri)
{
    return r->method == EVHTTP_REQ_POST && r->uri != NULL && strcmp(r->uri, uri) == 0 &&
           r->authorization != NULL && strcmp(r->authorization, "Bearer KEY_test") == 0 &&
           r->content_type != NULL && strcmp(r->content_type, "application/json") == 0 &&
           r->accept != NULL && strcmp(r->accept, "application/json") == 0;
}

/* The string at key in the recorded JSON body, copied into out ("" when absent). */
static const char *body_str(const struct recorded *r, const char *key, char *out, size_t n)
{
    json_t *root = json_loads(r->body, 0, NULL);
    copy_text(out, n, json_string_value(json_object_get(root, key)));
    json_decref(root);
    return out;
}

static bool body_has(const struct recorded *r, const char *key)
{
    json_t *root = json_loads(r->body, 0, NULL);
    bool has = json_object_get(root, key) != NULL;
    json_decref(root);
    return has;
}

/* ---- tests: every command ---- */

/* Sends command name (a validator name) with test_cmd and fixed arguments. */
static void send_named(struct telnyx_client *t, const char *name, struct done *d)
{
    static const struct telnyx_speak speak = {"Hello", "Telnyx.KokoroTTS.af", "en-US", TELNYX_SPEAK_STOP_ALL};
    if (strcmp(name, "answer") == 0)
        telnyx_client_answer(t, &test_cmd, on_telnyx_done, d);
    else if (strcmp(name, "speak") == 0)
        telnyx_client_speak(t, &test_cmd, &speak, on_telnyx_done, d);
    else if (strcmp(name, "transcription_start") == 0)
        telnyx_client_start_transcription(t, &test_cmd, "Telnyx", on_telnyx_done, d);
    else if (strcmp(name, "transcription_stop") == 0)
        telnyx_client_stop_transcription(t, &test_cmd, on_telnyx_done, d);
    else if (strcmp(name, "playback_stop") == 0)
        telnyx_client_stop_playback(t, &test_cmd, on_telnyx_done, d);
    else if (strcmp(name, "hangup") == 0)
        telnyx_client_hangup(t, &test_cmd, on_telnyx_done, d);
    else if (strcmp(name, "transfer") == 0)
        telnyx_client_transfer(t, &test_cmd, "+15551230002", "+15551230001", on_telnyx_done, d);
    else
        telnyx_client_send_message(t, "+15551230001", "+15551230003", "Your message was taken.",
                                   on_telnyx_done, d);
}

static void test_every_command_posts_escaped_path_bearer_json_and_a_valid_body(void)
{
    static const char *const names[] = {"answer", "speak", "transcription_start", "transcription_stop",
                                        "playback_stop", "hangup", "transfer", "messages.send"};
    struct fixture fx;
    fixture_start(&fx, NULL, 0, 1000);
    for (int i = 0; i < 8; i++) {
        struct done d = {0};
        send_named(fx.t, names[i], &d);
        CHECK_INT_EQ(d.calls, 0);                   /* never from inside the call */
        CHECK(run_until(fx.base, &d.calls, 1, 3000));
        CHECK_INT_EQ(d.outcome, TELNYX_OK);
        CHECK_INT_EQ(d.attempts, 1);
        CHECK_INT_EQ(fx.fake.nreqs, i + 1);
        if (fx.fake.nreqs != i + 1)
            break;
        const struct recorded *r = &fx.fake.reqs[i];
        char uri[128], text[128];
        if (i == 7)
            snprintf(uri, sizeof uri, "/v2/messages");
        else
            snprintf(uri, sizeof uri, "/v2/calls/v3%%3Aabc%%2Fdef/actions/%s", names[i]);
        CHECK(is_telnyx_request(r, uri));
        CHECK(body_validates(names[i], r->body));
        if (i < 7) {
            CHECK_STR_EQ(body_str(r, "command_id", text, sizeof text), test_cmd.command_id);
            CHECK_STR_EQ(body_str(r, "client_state", text, sizeof text), test_cmd.client_state);
            /* a transfer's new leg comes back to the same business (docs/telnyx.md §4) */
            if (strcmp(names[i], "transfer") == 0)
                CHECK_STR_EQ(body_str(r, "target_leg_client_state", text, sizeof text),
                             test_cmd.client_state);
            else
                CHECK(!body_has(r, "target_leg_client_state"));
        } else {
            CHECK(!body_has(r, "command_id"));
        }
    }
    fixture_stop(&fx);
}

static void test_speak_body_escapes_the_text_and_sets_voice_language_stop(void)
{
    static const char tricky[] = "Say \"hi\"\n\\ caf\xc3\xa9 \xe2\x9c\x93 </script>";
    struct fixture fx;
    fixture_start(&fx, NULL, 0, 1000);
    struct done d = {0};
    struct telnyx_speak speak = {tricky, "AWS.Polly.Joanna-Neural", "en-GB", TELNYX_SPEAK_STOP_CURRENT};
    telnyx_client_speak(fx.t, &test_cmd, &speak, on_telnyx_done, &d);
    CHECK(run_until(fx.base, &d.calls, 1, 3000));
    CHECK_INT_EQ(fx.fake.nreqs, 1);
    if (fx.fake.nreqs == 1) {
        const struct recorded *r = &fx.fake.reqs[0];
        char text[128];
        CHECK_STR_EQ(body_str(r, "payload", text, sizeof text), tricky);
        CHECK_STR_EQ(body_str(r, "voice", text, sizeof text), "AWS.Polly.Joanna-Neural");
        CHECK_STR_EQ(body_str(r, "language", text, sizeof text), "en-GB");
        CHECK_STR_EQ(body_str(r, "stop", text, sizeof text), "current");
        CHECK(body_validates("speak", r->body));
    }
    fixture_stop(&fx);
}

/* curl would otherwise send "Expect: 100-continue" over 1 KiB and wait for it. */
static void test_a_long_speak_is_sent_at_once_without_expect(void)
{
    static char payload[2501];
    memset(payload, 'a', sizeof payload - 1);
    struct fixture fx;
    fixture_start(&fx, NULL, 0, 1000);
    struct done d = {0};
    struct telnyx_speak speak = {payload, "Telnyx.KokoroTTS.af", "en-US", TELNYX_SPEAK_QUEUE};
    telnyx_client_speak(fx.t, &test_cmd, &speak, on_telnyx_done, &d);
    CHECK(run_until(fx.base, &d.calls, 1, 500));
    CHECK_INT_EQ(d.outcome, TELNYX_OK);
    CHECK_INT_EQ(fx.fake.nreqs, 1);
    if (fx.fake.nreqs == 1) {
        CHECK(fx.fake.reqs[0].expect == NULL);
        CHECK(strlen(fx.fake.reqs[0].body) > sizeof payload);
    }
    fixture_stop(&fx);
}

static void test_optional_fields_are_left_out_when_not_given(void)
{
    struct fixture fx;
    fixture_start(&fx, NULL, 0, 1000);
    struct done d = {0};
    struct telnyx_command bare = {.call_control_id = "v3:bare"};
    struct telnyx_speak speak = {"Hi", "Telnyx.KokoroTTS.af", NULL, TELNYX_SPEAK_QUEUE};
    telnyx_client_speak(fx.t, &bare, &speak, on_telnyx_done, &d);
    telnyx_client_transfer(fx.t, &bare, "sip:desk@example.com", NULL, on_telnyx_done, &d);
    telnyx_client_start_transcription(fx.t, &bare, NULL, on_telnyx_done, &d);
    CHECK(run_until(fx.base, &d.calls, 3, 3000));
    CHECK_INT_EQ(fx.fake.nreqs, 3);
    for (int i = 0; i < fx.fake.nreqs && i < 3; i++) {
        const struct recorded *r = &fx.fake.reqs[i];
        char text[64];
        CHECK(!body_has(r, "client_state") && !body_has(r, "command_id"));
        if (strstr(r->uri, "/speak") != NULL) {
            CHECK(!body_has(r, "language") && !body_has(r, "stop"));
            CHECK(body_validates("speak", r->body));
        } else if (strstr(r->uri, "/transfer") != NULL) {
            CHECK(!body_has(r, "from"));
            CHECK(body_validates("transfer", r->body));
        } else {
            CHECK_STR_EQ(body_str(r, "transcription_engine", text, sizeof text), "Google");
            CHECK_STR_EQ(body_str(r, "transcription_tracks", text, sizeof text), "inbound");
            CHECK(body_validates("transcription_start", r->body));
        }
    }
    fixture_stop(&fx);
}

static void test_missing_arguments_are_rejected_from_the_loop_without_a_request(void)
{
    struct fixture fx;
    fixture_start(&fx, NULL, 0, 1000);
    struct done d = {0};
    struct telnyx_command no_id = {.command_id = "x"};
    struct telnyx_speak no_voice = {"Hi", NULL, NULL, TELNYX_SPEAK_QUEUE};
    telnyx_client_hangup(fx.t, &no_id, on_telnyx_done, &d);
    telnyx_client_speak(fx.t, &test_cmd, &no_voice, on_telnyx_done, &d);
    telnyx_client_send_message(fx.t, "+15551230001", "+15551230003", "bad \xff utf-8", on_telnyx_done, &d);
    CHECK_INT_EQ(d.calls, 0);
    CHECK(run_until(fx.base, &d.calls, 3, 1000));
    CHECK_INT_EQ(d.outcome, TELNYX_REJECTED);
    CHECK_INT_EQ(d.attempts, 0);
    CHECK(d.why[0] != '\0');
    run_for(fx.base, 50);
    CHECK_INT_EQ(fx.fake.nreqs, 0);
    fixture_stop(&fx);
}

static void test_message_send_returns_the_message_id(void)
{
    static const struct step script[] = {
        {200, "{\"data\":{\"id\":\"40385f64-5717-4562-b3fc-2c963f66afa6\",\"direction\":\"outbound\"}}"},
    };
    struct fixture fx;
    fixture_start(&fx, script, 1, 1000);
    struct done d = {0};
    telnyx_client_send_message(fx.t, "+15551230001", "+15551230003", "Hi", on_telnyx_done, &d);
    CHECK(run_until(fx.base, &d.calls, 1, 3000));
    CHECK_INT_EQ(d.outcome, TELNYX_OK);
    CHECK_STR_EQ(d.message_id, "40385f64-5717-4562-b3fc-2c963f66afa6");
    fixture_stop(&fx);
}

/* ---- tests: phone numbers ---- */

#define SEARCH_ANSWER "{\"data\":[{\"phone_number\":\"+13125550101\",\"features\":[{\"name\":\"voice\"},{\"name\":\"sms\"}]}]}"
#define ORDER_ANSWER "{\"data\":{\"id\":\"12ade33a-21c0-473b-b055-b3c836e1c292\",\"status\":\"pending\"}}"

static void test_a_number_search_is_a_get_whose_query_validates_and_whose_answer_is_given(void)
{
    static const struct step script[] = {{503, ERR_503_BODY}, {200, SEARCH_ANSWER}};
    struct fixture fx;
    fixture_start(&fx, script, 2, 1000);
    struct done d = {0};
    const struct telnyx_number_search q = {.area_code = "312", .limit = 5};
    telnyx_client_search_numbers(fx.t, &q, on_telnyx_done, &d);
    CHECK(run_until(fx.base, &d.calls, 1, 3000));
    CHECK_INT_EQ(d.outcome, TELNYX_OK);
    CHECK_INT_EQ(d.attempts, 2);                    /* a search is retried like a command */
    CHECK_STR_EQ(d.body, SEARCH_ANSWER);
    CHECK_INT_EQ(fx.fake.nreqs, 2);
    if (fx.fake.nreqs >= 1) {
        const struct recorded *r = &fx.fake.reqs[0];
        CHECK_INT_EQ(r->method, EVHTTP_REQ_GET);
        CHECK(strncmp(r->uri, "/v2/available_phone_numbers?", 28) == 0);
        CHECK(r->content_type == NULL);
        CHECK_STR_EQ(r->authorization, "Bearer KEY_test");
        CHECK(query_validates("available_phone_numbers", r->uri));
    }
    fixture_stop(&fx);
}

static void test_a_number_order_posts_a_valid_body_once_even_after_a_503(void)
{
    static const struct step script[] = {{503, ERR_503_BODY}, {200, ORDER_ANSWER}};
    struct fixture fx;
    fixture_start(&fx, script, 2, 1000);
    struct done d = {0};
    const struct telnyx_number_order_spec o = {
        .phone_number = "+13125550101", .connection_id = "1494404757140276705",
        .messaging_profile_id = "abc85f64-5717-4562-b3fc-2c9600000000",
        .customer_reference = "frontdesk-request-1",
    };
    telnyx_client_order_number(fx.t, &o, 1500, on_telnyx_done, &d);
    CHECK(run_until(fx.base, &d.calls, 1, 3000));
    run_for(fx.base, 100);
    CHECK_INT_EQ(d.outcome, TELNYX_FAILED);
    CHECK_INT_EQ(d.attempts, 1);
    CHECK_INT_EQ(fx.fake.nreqs, 1);
    if (fx.fake.nreqs == 1) {
        CHECK(is_telnyx_request(&fx.fake.reqs[0], "/v2/number_orders"));
        CHECK(body_validates("number_orders.create", fx.fake.reqs[0].body));
    }
    struct done ok = {0};
    telnyx_client_order_number(fx.t, &o, 1500, on_telnyx_done, &ok);
    CHECK(run_until(fx.base, &ok.calls, 1, 3000));
    CHECK_INT_EQ(ok.outcome, TELNYX_OK);
    CHECK_STR_EQ(ok.body, ORDER_ANSWER);
    fixture_stop(&fx);
}

static void test_a_number_order_is_followed_by_its_escaped_id(void)
{
    static const struct step script[] = {{200, ORDER_ANSWER}};
    struct fixture fx;
    fixture_start(&fx, script, 1, 1000);
    struct done d = {0};
    telnyx_client_get_number_order(fx.t, "12ade33a/x y", on_telnyx_done, &d);
    CHECK(run_until(fx.base, &d.calls, 1, 3000));
    CHECK_INT_EQ(d.outcome, TELNYX_OK);
    CHECK_INT_EQ(fx.fake.nreqs, 1);
    if (fx.fake.nreqs == 1) {
        CHECK_INT_EQ(fx.fake.reqs[0].method, EVHTTP_REQ_GET);
        CHECK_STR_EQ(fx.fake.reqs[0].uri, "/v2/number_orders/12ade33a%2Fx%20y");
    }
    struct done none = {0};
    telnyx_client_get_number_order(fx.t, "", on_telnyx_done, &none);
    CHECK(run_until(fx.base, &none.calls, 1, 3000));
    CHECK_INT_EQ(none.outcome, TELNYX_REJECTED);
    CHECK_INT_EQ(none.attempts, 0);
    fixture_stop(&fx);
}

/* ---- tests: outcomes and retries ---- */


static void test_503_then_200_is_retried_with_the_same_body_and_ends_ok(void)
{
    static const struct step script[] = {{503, ERR_503}, {200, OK_BODY}};
    struct fixture fx;
    fixture_start(&fx, script, 2, 1000);
    struct done d = {0};
    struct telnyx_speak speak = {"Hello", "Telnyx.KokoroTTS.af", "en-US", TELNYX_SPEAK_QUEUE};
    telnyx_client_speak(fx.t, &test_cmd, &speak, on_telnyx_done, &d);
    CHECK(run_until(fx.base, &d.calls, 1, 3000));
    CHECK_INT_EQ(d.outcome, TELNYX_OK);
    CHECK_INT_EQ(d.attempts, 2);
    CHECK_INT_EQ(fx.fake.nreqs, 2);
    if (fx.fake.nreqs == 2) {
        char id[64];
        CHECK_STR_EQ(fx.fake.reqs[0].body, fx.fake.reqs[1].body);
        CHECK_STR_EQ(fx.fake.reqs[0].uri, fx.fake.reqs[1].uri);
        CHECK_STR_EQ(body_str(&fx.fake.reqs[1], "command_id", id, sizeof id), test_cmd.command_id);
    }
    fixture_stop(&fx);
}

static void test_four_503s_fail_after_exactly_four_attempts(void)
{
    static const struct step script[] = {{503, ERR_503}, {503, ERR_503}, {503, ERR_503},
                                         {503, ERR_503}, {200, OK_BODY}};
    struct fixture fx;
    fixture_start(&fx, script, 5, 1000);
    struct done d = {0};
    telnyx_client_answer(fx.t, &test_cmd, on_telnyx_done, &d);
    CHECK(run_until(fx.base, &d.calls, 1, 3000));
    CHECK_INT_EQ(d.outcome, TELNYX_FAILED);
    CHECK_INT_EQ(d.status, 503);
    CHECK_INT_EQ(d.attempts, 4);
    CHECK_STR_EQ(d.code, "10007");
    run_for(fx.base, 150);                  /* longer than any backoff: no fifth attempt */
    CHECK_INT_EQ(fx.fake.nreqs, 4);
    CHECK_INT_EQ(d.calls, 1);
    for (int i = 1; i < fx.fake.nreqs && i < 4; i++)
        CHECK_STR_EQ(fx.fake.reqs[i].body, fx.fake.reqs[0].body);
    fixture_stop(&fx);
}

static void test_429_is_retried(void)
{
    static const struct step script[] = {{429, "{\"errors\":[{\"code\":\"10011\",\"title\":\"Too many\"}]}"},
                                         {200, OK_BODY}};
    struct fixture fx;
    fixture_start(&fx, script, 2, 1000);
    struct done d = {0};
    telnyx_client_hangup(fx.t, &test_cmd, on_telnyx_done, &d);
    CHECK(run_until(fx.base, &d.calls, 1, 3000));
    CHECK_INT_EQ(d.outcome, TELNYX_OK);
    CHECK_INT_EQ(d.attempts, 2);
    CHECK_INT_EQ(fx.fake.nreqs, 2);
    fixture_stop(&fx);
}

static void test_422_90018_is_call_ended_without_retry(void)
{
    static const struct step script[] = {
        {422, "{\"errors\":[{\"code\":\"90018\",\"title\":\"Call has already ended\","
              "\"detail\":\"This call is no longer active and can't receive commands.\"}]}"},
    };
    struct fixture fx;
    fixture_start(&fx, script, 1, 1000);
    struct done d = {0};
    telnyx_client_stop_playback(fx.t, &test_cmd, on_telnyx_done, &d);
    CHECK(run_until(fx.base, &d.calls, 1, 3000));
    CHECK_INT_EQ(d.outcome, TELNYX_CALL_ENDED);
    CHECK_INT_EQ(d.status, 422);
    CHECK_STR_EQ(d.code, "90018");
    run_for(fx.base, 100);
    CHECK_INT_EQ(fx.fake.nreqs, 1);
    fixture_stop(&fx);
}

static void test_422_with_another_code_is_rejected_with_the_code(void)
{
    static const struct step script[] = {
        {422, "{\"errors\":[{\"code\":\"90034\",\"title\":\"Call not answered yet\","
              "\"detail\":\"The call must be answered first.\"}]}"},
    };
    struct fixture fx;
    fixture_start(&fx, script, 1, 1000);
    struct done d = {0};
    telnyx_client_start_transcription(fx.t, &test_cmd, "Google", on_telnyx_done, &d);
    CHECK(run_until(fx.base, &d.calls, 1, 3000));
    CHECK_INT_EQ(d.outcome, TELNYX_REJECTED);
    CHECK_INT_EQ(d.status, 422);
    CHECK_STR_EQ(d.code, "90034");
    CHECK_STR_EQ(d.title, "Call not answered yet");
    CHECK_STR_EQ(d.detail, "The call must be answered first.");
    run_for(fx.base, 100);
    CHECK_INT_EQ(fx.fake.nreqs, 1);
    fixture_stop(&fx);
}

static void test_4xx_without_a_telnyx_body_is_rejected(void)
{
    static const struct step script[] = {{401, "Unauthorized"}};
    struct fixture fx;
    fixture_start(&fx, script, 1, 1000);
    struct done d = {0};
    telnyx_client_answer(fx.t, &test_cmd, on_telnyx_done, &d);
    CHECK(run_until(fx.base, &d.calls, 1, 3000));
    CHECK_INT_EQ(d.outcome, TELNYX_REJECTED);
    CHECK_INT_EQ(d.status, 401);
    CHECK_STR_EQ(d.code, "");
    CHECK_INT_EQ(fx.fake.nreqs, 1);
    fixture_stop(&fx);
}

static void test_a_server_that_never_answers_fails_through_the_timeout(void)
{
    static const struct step script[] = {{SILENT, ""}, {SILENT, ""}, {SILENT, ""}, {SILENT, ""}};
    struct fixture fx;
    fixture_start(&fx, script, 4, 150);
    struct done d = {0};
    telnyx_client_hangup(fx.t, &test_cmd, on_telnyx_done, &d);
    CHECK(run_until(fx.base, &d.calls, 1, 3000));
    CHECK_INT_EQ(d.outcome, TELNYX_FAILED);
    CHECK_INT_EQ(d.status, 0);
    CHECK_INT_EQ(d.attempts, 4);
    CHECK(d.why[0] != '\0');
    CHECK_INT_EQ(fx.fake.nreqs, 4);
    struct evbuffer *out = evbuffer_new();
    telnyx_client_write_metrics(fx.t, out);
    evbuffer_add(out, "", 1);
    const char *text = (const char *)evbuffer_pullup(out, -1);
    CHECK(strstr(text, "frontdesk_telnyx_requests_total{command=\"hangup\",status=\"timeout\"} 4\n") != NULL);
    CHECK(strstr(text, "frontdesk_telnyx_retries_total{command=\"hangup\"} 3\n") != NULL);
    CHECK(strstr(text, "frontdesk_telnyx_outcomes_total{command=\"hangup\",outcome=\"failed\"} 1\n") != NULL);
    CHECK(strstr(text, "frontdesk_telnyx_request_duration_seconds_count{command=\"hangup\"} 4\n") != NULL);
    CHECK(strstr(text, "frontdesk_telnyx_requests_pending 0\n") != NULL);
    evbuffer_free(out);
    fixture_stop(&fx);
}

static void test_a_refused_connection_is_retried_then_fails(void)
{
    struct fixture fx;
    fixture_start(&fx, NULL, 0, 1000);
    /* A port nobody listens on: bind, read it, close. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sin;
    bind(fd, (struct sockaddr *)&sin, sizeof sin);
    getsockname(fd, (struct sockaddr *)&sin, &len);
    close(fd);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/v2/", ntohs(sin.sin_port));
    struct telnyx_options opt;
    telnyx_options_init(&opt);
    opt.api_url = url;
    opt.api_key = "KEY_test";
    opt.backoff_base_ms = 5;
    struct telnyx_client *t = telnyx_client_create(fx.http, fx.base, &opt);
    struct done d = {0};
    telnyx_client_answer(t, &test_cmd, on_telnyx_done, &d);
    CHECK(run_until(fx.base, &d.calls, 1, 3000));
    CHECK_INT_EQ(d.outcome, TELNYX_FAILED);
    CHECK_INT_EQ(d.status, 0);
    CHECK_INT_EQ(d.attempts, 4);
    telnyx_client_free(t);
    fixture_stop(&fx);
}

/* Retries and failures are logged with ids and status, never with the spoken text. */
static void test_logs_name_the_command_and_status_but_not_the_text(void)
{
    static const struct step script[] = {{503, ERR_503}, {422, "{\"errors\":[{\"code\":\"10004\",\"title\":\"Missing\"}]}"}};
    char path[] = "/tmp/fd_telnyx_log_XXXXXX";
    int log_fd = mkstemp(path);
    int saved = dup(STDERR_FILENO);
    dup2(log_fd, STDERR_FILENO);
    struct fixture fx;
    fixture_start(&fx, script, 2, 1000);
    struct done d = {0};
    struct telnyx_speak speak = {"my secret words", "Telnyx.KokoroTTS.af", NULL, TELNYX_SPEAK_QUEUE};
    telnyx_client_speak(fx.t, &test_cmd, &speak, on_telnyx_done, &d);
    bool is_done = run_until(fx.base, &d.calls, 1, 3000);
    fixture_stop(&fx);
    dup2(saved, STDERR_FILENO);
    close(saved);
    char text[4096] = "";
    ssize_t n = pread(log_fd, text, sizeof text - 1, 0);
    text[n > 0 ? n : 0] = '\0';
    close(log_fd);
    unlink(path);
    CHECK(is_done);
    CHECK_INT_EQ(d.outcome, TELNYX_REJECTED);
    CHECK(strstr(text, "\"msg\":\"telnyx request retried\"") != NULL);
    CHECK(strstr(text, "\"msg\":\"telnyx request rejected\"") != NULL);
    CHECK(strstr(text, "\"command\":\"speak\"") != NULL);
    CHECK(strstr(text, "\"call_control_id\":\"v3:abc/def\"") != NULL);
    CHECK(strstr(text, "\"status\":503") != NULL);
    CHECK(strstr(text, "\"telnyx_code\":\"10004\"") != NULL);
    CHECK(strstr(text, "secret") == NULL);
}

/* ---- tests: shutdown and connections ---- */

/* A callback that reacts to a failure by sending another command, as the worker may. */
struct resender {
    struct telnyx_client *t;
    struct done first, second;
};

static void on_done_then_hangup(const struct telnyx_result *res, void *arg)
{
    struct resender *s = arg;
    on_telnyx_done(res, &s->first);
    telnyx_client_hangup(s->t, &test_cmd, on_telnyx_done, &s->second);
}

static void test_telnyx_requests_end_once_when_either_client_is_freed_first(void)
{
    static const struct step script[] = {{SILENT, ""}, {503, ERR_503}, {SILENT, ""}, {SILENT, ""}};
    for (int http_first = 0; http_first < 2; http_first++) {
        struct fixture fx;
        fixture_start(&fx, script, 4, 3000);
        struct done d[2] = {{0}};
        struct resender s = {.t = fx.t};
        telnyx_client_answer(fx.t, &test_cmd, on_done_then_hangup, &s); /* stays in flight */
        CHECK(run_until(fx.base, &fx.fake.nreqs, 1, 3000));
        telnyx_client_hangup(fx.t, &test_cmd, on_telnyx_done, &d[1]);   /* 503, then backoff */
        CHECK(run_until(fx.base, &fx.fake.nreqs, 2, 3000));
        if (http_first) {
            http_client_free(fx.http);
            fx.http = NULL;
        }
        telnyx_client_free(fx.t);
        fx.t = NULL;
        d[0] = s.first;
        for (int i = 0; i < 2; i++) {
            CHECK_INT_EQ(d[i].calls, 1);
            CHECK_INT_EQ(d[i].outcome, TELNYX_FAILED);
        }
        CHECK_INT_EQ(s.second.calls, 1);        /* the command sent during shutdown */
        CHECK_INT_EQ(s.second.outcome, TELNYX_FAILED);
        CHECK_INT_EQ(s.second.attempts, 0);
        fixture_stop(&fx);
    }
}

static void test_sequential_requests_reuse_one_connection(void)
{
    struct fixture fx;
    fixture_start(&fx, NULL, 0, 1000);
    struct done d = {0};
    telnyx_client_answer(fx.t, &test_cmd, on_telnyx_done, &d);
    CHECK(run_until(fx.base, &d.calls, 1, 3000));
    telnyx_client_hangup(fx.t, &test_cmd, on_telnyx_done, &d);
    CHECK(run_until(fx.base, &d.calls, 2, 3000));
    CHECK_INT_EQ(fx.fake.nreqs, 2);
    CHECK(fx.fake.reqs[0].peer_port != 0);
    CHECK_INT_EQ(fx.fake.reqs[0].peer_port, fx.fake.reqs[1].peer_port);
    fixture_stop(&fx);
}

static void test_create_refuses_an_empty_key_or_a_bad_url(void)
{
    struct telnyx_options opt;
    telnyx_options_init(&opt);
    CHECK_STR_EQ(opt.api_url, "https://api.telnyx.com/v2");
    CHECK_INT_EQ(opt.connect_timeout_ms, 1000);
    CHECK_INT_EQ(opt.total_timeout_ms, 4000);
    CHECK_INT_EQ(opt.max_retries, 3);
    CHECK(telnyx_client_create(NULL, NULL, &opt) == NULL);          /* no key */
    opt.api_key = "k";
    opt.api_url = "ftp://x";
    CHECK(telnyx_client_create(NULL, NULL, &opt) == NULL);
    CHECK_STR_EQ(telnyx_outcome_name(TELNYX_CALL_ENDED), "call_ended");
}

int main(void)
{
    log_set_component("test");
    RUN(test_every_command_posts_escaped_path_bearer_json_and_a_valid_body);
    RUN(test_speak_body_escapes_the_text_and_sets_voice_language_stop);
    RUN(test_a_long_speak_is_sent_at_once_without_expect);
    RUN(test_optional_fields_are_left_out_when_not_given);
    RUN(test_missing_arguments_are_rejected_from_the_loop_without_a_request);
    RUN(test_message_send_returns_the_message_id);
    RUN(test_a_number_search_is_a_get_whose_query_validates_and_whose_answer_is_given);
    RUN(test_a_number_order_posts_a_valid_body_once_even_after_a_503);
    RUN(test_a_number_order_is_followed_by_its_escaped_id);
    RUN(test_503_then_200_is_retried_with_the_same_body_and_ends_ok);
    RUN(test_four_503s_fail_after_exactly_four_attempts);
    RUN(test_429_is_retried);
    RUN(test_422_90018_is_call_ended_without_retry);
    RUN(test_422_with_another_code_is_rejected_with_the_code);
    RUN(test_4xx_without_a_telnyx_body_is_rejected);
    RUN(test_a_server_that_never_answers_fails_through_the_timeout);
    RUN(test_a_refused_connection_is_retried_then_fails);
    RUN(test_logs_name_the_command_and_status_but_not_the_text);
    RUN(test_telnyx_requests_end_once_when_either_client_is_freed_first);
    RUN(test_sequential_requests_reuse_one_connection);
    RUN(test_create_refuses_an_empty_key_or_a_bad_url);
    return check_summary();
}
