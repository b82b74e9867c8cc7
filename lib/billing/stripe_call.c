/* lib/billing/stripe_call.c: see stripe_call.h. One easy handle per attempt: the calls
 * are rare (an owner's click), so nothing is pooled, and a handle never crosses threads. */
#include "billing/stripe_call.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/log.h"
#include "core/xalloc.h"

struct attempt {
    char *body;                     /* the answer so far (owned) */
    size_t len;
    bool is_too_big;
    char should_retry[8];           /* Stripe-Should-Retry: "true", "false" or "" */
    char request_id[128];
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static bool is_curl_ready;

static void curl_start(void)
{
    is_curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
    struct attempt *a = arg;
    size_t len = size * n;
    if (a->len + len > STRIPE_CALL_ANSWER_MAX) {
        a->is_too_big = true;
        return 0;                   /* ends the transfer: nothing Stripe sends is that big */
    }
    a->body = xrealloc(a->body, a->len + len + 1);
    memcpy(a->body + a->len, data, len);
    a->len += len;
    a->body[a->len] = '\0';
    return len;
}

/* Copies the value of header "name: value\r\n" into out when line is that header. */
static void copy_header(const char *line, size_t len, const char *name, char *out,
                        size_t out_len)
{
    size_t name_len = strlen(name);
    if (len <= name_len || strncasecmp(line, name, name_len) != 0 || line[name_len] != ':')
        return;
    const char *v = line + name_len + 1;
    const char *end = line + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    snprintf(out, out_len, "%.*s", (int)(end - v), v);
}

static size_t on_header(char *line, size_t size, size_t n, void *arg)
{
    struct attempt *a = arg;
    size_t len = size * n;
    copy_header(line, len, "Request-Id", a->request_id, sizeof a->request_id);
    copy_header(line, len, "Stripe-Should-Retry", a->should_retry, sizeof a->should_retry);
    return len;
}

static struct curl_slist *request_headers(const struct stripe_config *cfg, const char *key)
{
    char line[STRIPE_KEY_MAX + 64];
    struct curl_slist *h = NULL;
    snprintf(line, sizeof line, "Authorization: Bearer %s", cfg->secret_key);
    h = curl_slist_append(h, line);
    h = curl_slist_append(h, "Stripe-Version: " STRIPE_API_VERSION);
    h = curl_slist_append(h, "Content-Type: application/x-www-form-urlencoded");
    snprintf(line, sizeof line, "Idempotency-Key: %s", key);
    h = curl_slist_append(h, line);
    h = curl_slist_append(h, "Expect:");        /* no 100-continue round trip */
    return h;
}

/* One attempt; the answer's status (0: none) with the attempt's body and headers in *a. */
static int attempt_once(const struct stripe_config *cfg, const char *url, const char *form,
                        const char *key, struct attempt *a, char *error, size_t error_len)
{
    char curl_error[CURL_ERROR_SIZE] = "";
    CURL *curl = curl_easy_init();
    if (curl == NULL) {
        snprintf(error, error_len, "libcurl could not make a handle");
        return 0;
    }
    struct curl_slist *headers = request_headers(cfg, key);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(form));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, (long)STRIPE_CALL_CONNECT_MS);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)STRIPE_CALL_TOTAL_MS);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);       /* threads: no SIGALRM for DNS */
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_error);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, a);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, a);
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    if (rc == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    else
        snprintf(error, error_len, "%s", a->is_too_big ? "the answer was too large"
                                         : curl_error[0] ? curl_error : curl_easy_strerror(rc));
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return (int)status;
}

bool stripe_call_is_retryable(int status, const char *should_retry_header)
{
    if (should_retry_header != NULL && strcmp(should_retry_header, "false") == 0)
        return false;
    if (should_retry_header != NULL && strcmp(should_retry_header, "true") == 0)
        return true;
    return status == 0 || status == 409 || status == 429 || status >= 500;
}

static void pause_before_retry(void)
{
    struct timespec ts = {STRIPE_CALL_RETRY_PAUSE_MS / 1000,
                          (STRIPE_CALL_RETRY_PAUSE_MS % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void log_attempt(const char *path, const struct stripe_reply *r)
{
    struct log_line l;
    bool is_ok = r->status >= 200 && r->status < 300;
    if (!log_begin(&l, is_ok ? LOG_INFO : LOG_WARN, "stripe request"))
        return;
    log_str(&l, "path", path);
    log_int(&l, "status", r->status);
    log_int(&l, "attempt", r->attempts);
    if (r->request_id[0])
        log_str(&l, "request_id", r->request_id);
    if (r->status == 0)
        log_str(&l, "error", r->transport_error);
    else if (!is_ok)
        log_str(&l, "stripe_error", stripe_reply_error_message(r));
    log_end(&l);
}

void stripe_call_post(const struct stripe_config *cfg, const char *path, const char *form,
                      const char *idempotency_key, struct stripe_reply *out)
{
    char url[sizeof cfg->api_url + 128];
    memset(out, 0, sizeof *out);
    pthread_once(&curl_once, curl_start);
    if (!is_curl_ready) {
        snprintf(out->transport_error, sizeof out->transport_error, "libcurl did not start");
        return;
    }
    snprintf(url, sizeof url, "%s%s", cfg->api_url, path);
    for (bool is_again = true; is_again;) {
        struct attempt a = {0};
        if (out->attempts > 0)
            pause_before_retry();
        out->attempts++;
        out->status = attempt_once(cfg, url, form, idempotency_key, &a, out->transport_error,
                                   sizeof out->transport_error);
        json_decref(out->body);
        out->body = NULL;
        if (out->status != 0 && a.body != NULL) {
            out->body = json_loadb(a.body, a.len, 0, NULL);
            if (out->body != NULL && !json_is_object(out->body)) {
                json_decref(out->body);
                out->body = NULL;
            }
        }
        memcpy(out->request_id, a.request_id, sizeof out->request_id);
        log_attempt(path, out);
        is_again = out->attempts < 2 &&
                   stripe_call_is_retryable(out->status, a.should_retry[0] ? a.should_retry : NULL);
        free(a.body);
    }
}

bool stripe_reply_is_ok(const struct stripe_reply *r)
{
    return r->status >= 200 && r->status < 300 && r->body != NULL;
}

const char *stripe_reply_error_message(const struct stripe_reply *r)
{
    const json_t *error = r->body ? json_object_get(r->body, "error") : NULL;
    return json_string_value(json_object_get(error, "message"));
}

const char *stripe_reply_string(const struct stripe_reply *r, const char *field)
{
    return r->body ? json_string_value(json_object_get(r->body, field)) : NULL;
}

void stripe_reply_cleanup(struct stripe_reply *r)
{
    json_decref(r->body);
    r->body = NULL;
}
