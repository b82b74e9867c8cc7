/* ops/ctl/webhook.c: `frontdesk-ctl webhook keygen|sign|send`, the development stand-in
 * for Telnyx's webhook signer (docs/telnyx.md §2): Ed25519 over "<timestamp>|<body>". The
 * key file holds standard base64 of libsodium's 64-byte secret key (a 32-byte seed is
 * accepted too, which is what PyNaCl's bytes(SigningKey) gives). */
#include <curl/curl.h>
#include <jansson.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "webhook_sample.h"
#include "core/xalloc.h"

#define WEBHOOK_BODY_MAX (1024 * 1024)
#define WEBHOOK_COUNT_MAX 10000000L
#define WEBHOOK_SEND_TIMEOUT_S 10L

struct webhook_opts {
    struct webhook_sample sample;
    const char *key_file, *timestamp, *body_file, *out, *url;
    long count;                 /* 0: one webhook printed as headers and body */
    bool is_forced;             /* keygen --force */
};

/* Reads a whole file into a new NUL-terminated buffer (owned); NULL with errno. */
static char *read_file(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *buf = xmalloc(max + 1);
    size_t n = fread(buf, 1, max + 1, f);
    bool is_error = ferror(f) != 0;
    fclose(f);
    if (is_error || n > max) {
        free(buf);
        errno = is_error ? EIO : EFBIG;
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int load_key(const char *path, unsigned char sk[crypto_sign_SECRETKEYBYTES])
{
    size_t len = 0;
    char *text = read_file(path, 1024, &len);
    if (text == NULL)
        return ctl_fail("cannot read key file %s: %s", path, strerror(errno));
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
        text[--len] = '\0';
    unsigned char raw[crypto_sign_SECRETKEYBYTES];
    size_t raw_len = 0;
    int rc = sodium_base642bin(raw, sizeof raw, text, len, NULL, &raw_len, NULL,
                               sodium_base64_VARIANT_ORIGINAL);
    sodium_memzero(text, len);
    free(text);
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    if (rc == 0 && raw_len == crypto_sign_SECRETKEYBYTES)
        memcpy(sk, raw, sizeof raw);
    else if (rc == 0 && raw_len == crypto_sign_SEEDBYTES)
        crypto_sign_seed_keypair(pk, sk, raw);
    sodium_memzero(raw, sizeof raw);
    if (rc != 0 || (raw_len != crypto_sign_SECRETKEYBYTES && raw_len != crypto_sign_SEEDBYTES))
        return ctl_fail("key file %s must hold base64 of a 64-byte Ed25519 secret key "
                        "(as written by 'webhook keygen')", path);
    return CTL_EXIT_OK;
}

/* Writes the base64 signature of "<timestamp>|<body>" into sig_b64. */
static void sign_body(const unsigned char *sk, const char *timestamp, const char *body,
                      size_t body_len, char sig_b64[sodium_base64_ENCODED_LEN(64, 1)])
{
    size_t ts_len = strlen(timestamp);
    unsigned char *msg = xmalloc(ts_len + 1 + body_len);
    memcpy(msg, timestamp, ts_len);
    msg[ts_len] = '|';
    memcpy(msg + ts_len + 1, body, body_len);
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, NULL, msg, ts_len + 1 + body_len, sk);
    free(msg);
    sodium_bin2base64(sig_b64, sodium_base64_ENCODED_LEN(64, 1), sig, sizeof sig,
                      sodium_base64_VARIANT_ORIGINAL);
}

static int keygen(const struct webhook_opts *o)
{
    if (o->out == NULL)
        return ctl_usage_error("webhook keygen needs --out FILE");
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    char sk_b64[sodium_base64_ENCODED_LEN(crypto_sign_SECRETKEYBYTES, 1)];
    char pk_b64[sodium_base64_ENCODED_LEN(crypto_sign_PUBLICKEYBYTES, 1)];
    crypto_sign_keypair(pk, sk);
    sodium_bin2base64(sk_b64, sizeof sk_b64, sk, sizeof sk, sodium_base64_VARIANT_ORIGINAL);
    sodium_bin2base64(pk_b64, sizeof pk_b64, pk, sizeof pk, sodium_base64_VARIANT_ORIGINAL);
    sodium_memzero(sk, sizeof sk);
    int flags = O_WRONLY | O_CREAT | (o->is_forced ? O_TRUNC : O_EXCL);
    int fd = open(o->out, flags, 0600);
    if (fd < 0) {
        sodium_memzero(sk_b64, sizeof sk_b64);
        return ctl_fail("cannot create %s: %s%s", o->out, strerror(errno),
                        errno == EEXIST ? " (use --force to replace it)" : "");
    }
    size_t len = strlen(sk_b64);
    sk_b64[len] = '\n';
    /* fchmod: an existing file replaced with --force keeps its old mode otherwise. */
    bool is_ok = fchmod(fd, 0600) == 0 && write(fd, sk_b64, len + 1) == (ssize_t)(len + 1);
    is_ok = close(fd) == 0 && is_ok;
    sodium_memzero(sk_b64, sizeof sk_b64);
    if (!is_ok)
        return ctl_fail("cannot write %s: %s", o->out, strerror(errno));
    printf("%s\n", pk_b64);
    return CTL_EXIT_OK;
}

/* The body to sign: the --body-file's bytes exactly, or a fresh sample (owned). */
static char *make_body(const struct webhook_opts *o, size_t *len)
{
    if (o->body_file != NULL) {
        char *body = read_file(o->body_file, WEBHOOK_BODY_MAX, len);
        if (body == NULL)
            ctl_fail("cannot read %s: %s", o->body_file, strerror(errno));
        return body;
    }
    char *body = webhook_sample_build(&o->sample);
    if (body == NULL)
        ctl_fail("cannot build the sample body (are the options UTF-8 text?)");
    *len = body ? strlen(body) : 0;
    return body;
}

static void timestamp_now(const struct webhook_opts *o, char out[32])
{
    if (o->timestamp != NULL)
        snprintf(out, 32, "%s", o->timestamp);
    else
        snprintf(out, 32, "%lld", (long long)time(NULL));
}

/* --count N --out FILE: N lines "timestamp<TAB>signature<TAB>body", each body with its
 * own event id (and call), for load tests that must not be de-duplicated. */
static int sign_many(const struct webhook_opts *o, const unsigned char *sk)
{
    FILE *f = fopen(o->out, "w");
    if (f == NULL)
        return ctl_fail("cannot create %s: %s", o->out, strerror(errno));
    int status = CTL_EXIT_OK;
    for (long i = 0; i < o->count && status == CTL_EXIT_OK; i++) {
        size_t len;
        char ts[32], sig[sodium_base64_ENCODED_LEN(64, 1)];
        char *body = make_body(o, &len);
        if (body == NULL) {
            status = CTL_EXIT_FAIL;
            break;
        }
        timestamp_now(o, ts);
        sign_body(sk, ts, body, len, sig);
        if (fprintf(f, "%s\t%s\t%s\n", ts, sig, body) < 0)
            status = ctl_fail("cannot write %s: %s", o->out, strerror(errno));
        free(body);
    }
    if (fclose(f) != 0 && status == CTL_EXIT_OK)
        status = ctl_fail("cannot write %s: %s", o->out, strerror(errno));
    return status;
}

static int sign_one(const struct webhook_opts *o, const unsigned char *sk)
{
    size_t len;
    char ts[32], sig[sodium_base64_ENCODED_LEN(64, 1)];
    char *body = make_body(o, &len);
    if (body == NULL)
        return CTL_EXIT_FAIL;
    timestamp_now(o, ts);
    sign_body(sk, ts, body, len, sig);
    printf("telnyx-timestamp: %s\ntelnyx-signature-ed25519: %s\n", ts, sig);
    fwrite(body, 1, len, stdout);
    if (len == 0 || body[len - 1] != '\n')
        putchar('\n');
    free(body);
    return CTL_EXIT_OK;
}

static size_t collect_response(char *data, size_t size, size_t n, void *arg)
{
    FILE *out = arg;
    return fwrite(data, size, n, out) * size;
}

/* POSTs body as JSON with the extra headers; on success *status_out is the HTTP status
 * and *resp (owned, free()) the response body. Returns false with why on a transport
 * failure. */
static bool post_json(const char *url, const char *const *extra_headers, size_t nheaders,
                      const char *body, size_t len, long *status_out, char **resp,
                      size_t *resp_len, char *why, size_t why_len)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *curl = curl_easy_init();
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    for (size_t i = 0; i < nheaders; i++)
        headers = curl_slist_append(headers, extra_headers[i]);
    FILE *resp_f = open_memstream(resp, resp_len);
    bool is_ok = false;
    if (curl == NULL || headers == NULL || resp_f == NULL) {
        snprintf(why, why_len, "cannot set up the HTTP request");
    } else {
        curl_easy_setopt(curl, CURLOPT_URL, url);
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, WEBHOOK_SEND_TIMEOUT_S);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_response);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, resp_f);
        CURLcode rc = curl_easy_perform(curl);
        if (rc != CURLE_OK)
            snprintf(why, why_len, "POST %s failed: %s", url, curl_easy_strerror(rc));
        is_ok = rc == CURLE_OK;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status_out);
    }
    if (resp_f != NULL)
        fclose(resp_f);     /* sets *resp and *resp_len */
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    curl_global_cleanup();
    return is_ok;
}

static int send_one(const struct webhook_opts *o, const unsigned char *sk)
{
    size_t len, resp_len = 0;
    char ts[32], sig[sodium_base64_ENCODED_LEN(64, 1)], h_ts[64], h_sig[128], why[512];
    char *body = make_body(o, &len);
    if (body == NULL)
        return CTL_EXIT_FAIL;
    timestamp_now(o, ts);
    sign_body(sk, ts, body, len, sig);
    snprintf(h_ts, sizeof h_ts, "telnyx-timestamp: %s", ts);
    snprintf(h_sig, sizeof h_sig, "telnyx-signature-ed25519: %s", sig);
    const char *headers[] = {h_ts, h_sig};
    char *resp = NULL;
    long http_status = 0;
    int status;
    if (!post_json(o->url, headers, 2, body, len, &http_status, &resp, &resp_len, why,
                   sizeof why)) {
        status = ctl_fail("%s", why);
    } else {
        printf("HTTP %ld\n%.*s%s", http_status, (int)resp_len, resp ? resp : "",
               resp_len > 0 && resp[resp_len - 1] != '\n' ? "\n" : "");
        status = http_status >= 200 && http_status < 300 ? CTL_EXIT_OK : CTL_EXIT_FAIL;
    }
    free(resp);
    free(body);
    return status;
}

static bool is_utf8(const char *s)
{
    json_t *probe = s ? json_string(s) : NULL;
    json_decref(probe);
    return s == NULL || probe != NULL;
}

static int parse_opts(int argc, char **argv, struct webhook_opts *o)
{
    struct webhook_sample *s = &o->sample;
    const struct { const char *name; const char **dest; } opts[] = {
        {"--key", &o->key_file}, {"--timestamp", &o->timestamp}, {"--body-file", &o->body_file},
        {"--out", &o->out}, {"--url", &o->url}, {"--type", &s->type}, {"--to", &s->to},
        {"--from", &s->from}, {"--id", &s->id}, {"--call-control-id", &s->call_control_id},
        {"--client-state", &s->client_state}, {"--text", &s->text},
    };
    for (int i = 2; i < argc;) {
        const char *arg = argv[i], *v = NULL;
        if (strcmp(arg, "--force") == 0) {
            o->is_forced = true;
            i++;
            continue;
        }
        bool is_known = false;
        for (size_t k = 0; k < sizeof opts / sizeof opts[0] && !is_known; k++)
            if ((is_known = ctl_opt(argc, argv, &i, opts[k].name, &v)))
                *opts[k].dest = v;
        if (!is_known && ctl_opt(argc, argv, &i, "--count", &v)) {
            char *end = NULL;
            o->count = v ? strtol(v, &end, 10) : 0;
            if (v == NULL || *end != '\0' || o->count < 1 || o->count > WEBHOOK_COUNT_MAX)
                return ctl_usage_error("--count needs a number from 1 to %ld", WEBHOOK_COUNT_MAX);
            is_known = true;
        }
        if (!is_known)
            return ctl_usage_error("webhook %s: unknown argument '%s'", argv[1], arg);
        if (v == NULL)
            return ctl_usage_error("webhook %s: %s needs a value", argv[1], arg);
    }
    if (o->timestamp != NULL &&
        (strlen(o->timestamp) == 0 || strlen(o->timestamp) > 20 ||
         strspn(o->timestamp, "0123456789") != strlen(o->timestamp)))
        return ctl_usage_error("--timestamp must be Unix seconds, like 1764324000");
    const char *texts[] = {s->type, s->to, s->from, s->id, s->call_control_id,
                           s->client_state, s->text};
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
        if (!is_utf8(texts[k]))
            return ctl_usage_error("webhook options must be UTF-8 text");
    return CTL_EXIT_OK;
}

/* Which options each subcommand refuses, so a typo is not silently ignored. */
static int check_combination(const char *cmd, const struct webhook_opts *o)
{
    bool has_sample = o->sample.type || o->sample.to || o->sample.from || o->sample.id ||
                      o->sample.call_control_id || o->sample.client_state || o->sample.text;
    if (strcmp(cmd, "keygen") == 0) {
        if (has_sample || o->key_file || o->timestamp || o->body_file || o->url || o->count)
            return ctl_usage_error("webhook keygen takes only --out FILE [--force]");
        return CTL_EXIT_OK;
    }
    if (o->is_forced)
        return ctl_usage_error("--force is for webhook keygen");
    if (o->key_file == NULL || o->key_file[0] == '\0')
        return ctl_usage_error("webhook %s needs --key FILE (or FRONTDESK_DEV_SIGNING_KEY_FILE)", cmd);
    if (o->body_file && has_sample)
        return ctl_usage_error("--body-file replaces the sample: drop --type, --to, --from, ...");
    if (strcmp(cmd, "send") == 0 && (o->url == NULL || o->out || o->count))
        return ctl_usage_error("webhook send needs --url URL and takes no --out or --count");
    if (strcmp(cmd, "sign") == 0 && o->url)
        return ctl_usage_error("--url is for webhook send");
    if (o->count && (o->out == NULL || o->body_file || o->sample.id))
        return ctl_usage_error("--count N needs --out FILE, and builds samples with unique ids "
                               "(no --body-file or --id)");
    return CTL_EXIT_OK;
}

int ctl_webhook(int argc, char **argv)
{
    const char *cmd = argc >= 2 ? argv[1] : "";
    if (strcmp(cmd, "keygen") != 0 && strcmp(cmd, "sign") != 0 && strcmp(cmd, "send") != 0)
        return ctl_usage_error("usage: webhook keygen|sign|send [OPTIONS]");
    if (sodium_init() < 0)
        return ctl_fail("libsodium failed to initialise");
    struct webhook_opts o = {0};
    int status = parse_opts(argc, argv, &o);
    if (strcmp(cmd, "keygen") != 0 && o.key_file == NULL)
        o.key_file = getenv("FRONTDESK_DEV_SIGNING_KEY_FILE");
    if (status == CTL_EXIT_OK)
        status = check_combination(cmd, &o);
    if (status != CTL_EXIT_OK)
        return status;
    if (strcmp(cmd, "keygen") == 0)
        return keygen(&o);
    if (o.out != NULL && o.count == 0)
        o.count = 1;
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    status = load_key(o.key_file, sk);
    if (status == CTL_EXIT_OK) {
        if (strcmp(cmd, "send") == 0)
            status = send_one(&o, sk);
        else
            status = o.count ? sign_many(&o, sk) : sign_one(&o, sk);
    }
    sodium_memzero(sk, sizeof sk);
    return status;
}
