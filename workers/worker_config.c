/* workers/worker_config.c: the worker's own environment, beyond lib/core/config.h's shared
 * variables. Strict like the rest: a wrong value stops the worker at start, status 2. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "core/secrets.h"
#include "telnyx/telnyx_client.h"
#include "worker.h"

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return (v != NULL && v[0] != '\0') ? v : fallback;
}

/* The value is shown only as secrets_describe_value allows: never a key, only the scheme
 * of a URL. */
static void refuse(const char *name, const char *expected, const char *value)
{
    char shown[128];
    secrets_describe_value(name, value, shown, sizeof shown);
    fprintf(stderr, "configuration error: %s: %s, got %s%s%s\n", name, expected,
            shown[0] == '(' ? "" : "'", shown, shown[0] == '(' ? "" : "'");
    exit(2);
}

static int int_var(const char *name, const char *fallback, long min, long max)
{
    const char *v = env_or(name, fallback);
    char *end = NULL;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno != 0 || end == v || *end != '\0' || n < min || n > max) {
        char what[160];
        snprintf(what, sizeof what, "expected a whole number from %ld to %ld", min, max);
        refuse(name, what, v);
    }
    return (int)n;
}

static void str_var(char *out, size_t size, const char *name, const char *fallback)
{
    const char *v = env_or(name, fallback);
    if (strlen(v) >= size)
        refuse(name, "too long", v);
    strcpy(out, v);
}

/* Model mode: FRONTDESK_LLM_URL, _API_KEY and _MODEL together, or none of them. */
static void llm_vars(struct worker_config *out)
{
    static const char *const names[] = {"FRONTDESK_LLM_URL", "FRONTDESK_LLM_API_KEY",
                                        "FRONTDESK_LLM_MODEL"};
    char *fields[] = {out->llm_url, out->llm_api_key, out->llm_model};
    size_t sizes[] = {sizeof out->llm_url, sizeof out->llm_api_key, sizeof out->llm_model};
    int nset = 0;
    for (int i = 0; i < 3; i++) {
        str_var(fields[i], sizes[i], names[i], "");
        nset += fields[i][0] != '\0';
    }
    for (int i = 0; i < 3 && nset > 0; i++)
        if (fields[i][0] == '\0')
            refuse(names[i], "required when any of FRONTDESK_LLM_URL, FRONTDESK_LLM_API_KEY "
                             "and FRONTDESK_LLM_MODEL is set (model mode needs all three)", "");
    if (nset > 0 && strncmp(out->llm_url, "https://", 8) != 0 && strncmp(out->llm_url, "http://", 7) != 0)
        refuse("FRONTDESK_LLM_URL", "expected an http(s):// URL", out->llm_url);
    if (strpbrk(out->llm_api_key, "\r\n") != NULL)
        refuse("FRONTDESK_LLM_API_KEY", "must be one line", "");
    secrets_register(out->llm_api_key);
    out->llm_budget_ms = int_var("FRONTDESK_LLM_BUDGET_MS", "2500", 100, 60000);
}

/* Number provisioning: FRONTDESK_TELNYX_CONNECTION_ID and _MESSAGING_PROFILE_ID together,
 * or none of them: a number bought without either could not take calls or texts. */
static void provisioning_vars(struct worker_config *out)
{
    static const char *const names[] = {"FRONTDESK_TELNYX_CONNECTION_ID",
                                        "FRONTDESK_TELNYX_MESSAGING_PROFILE_ID"};
    char *fields[] = {out->telnyx_connection_id, out->telnyx_messaging_profile_id};
    size_t sizes[] = {sizeof out->telnyx_connection_id, sizeof out->telnyx_messaging_profile_id};
    int nset = 0;
    for (int i = 0; i < 2; i++) {
        str_var(fields[i], sizes[i], names[i], "");
        nset += fields[i][0] != '\0';
    }
    for (int i = 0; i < 2 && nset > 0; i++)
        if (fields[i][0] == '\0')
            refuse(names[i], "required when FRONTDESK_TELNYX_CONNECTION_ID or "
                             "FRONTDESK_TELNYX_MESSAGING_PROFILE_ID is set (provisioning needs "
                             "both)", "");
    /* Orders wait at most half of it, so it must leave them time. */
    out->number_lease_ms = int_var("FRONTDESK_NUMBER_LEASE_MS", "60000", 2000, 600000);
}

void worker_config_load_or_exit(struct worker_config *out)
{
    memset(out, 0, sizeof *out);
    char host[64] = "localhost";
    gethostname(host, sizeof host - 1);
    unsigned char nonce[4];
    randombytes_buf(nonce, sizeof nonce);
    char fallback_id[128];
    snprintf(fallback_id, sizeof fallback_id, "%s-%02x%02x%02x%02x", host, nonce[0], nonce[1],
             nonce[2], nonce[3]);
    str_var(out->worker_id, sizeof out->worker_id, "FRONTDESK_WORKER_ID", fallback_id);
    if (strchr(out->worker_id, ':') != NULL || strchr(out->worker_id, ' ') != NULL)
        refuse("FRONTDESK_WORKER_ID", "must not contain ':' or spaces", out->worker_id);

    const char *listen = env_or("FRONTDESK_WORKER_LISTEN", "127.0.0.1:9090");
    if (!config_parse_listen(listen, out->listen_host, sizeof out->listen_host, &out->listen_port))
        refuse("FRONTDESK_WORKER_LISTEN", "expected HOST:PORT (e.g. 127.0.0.1:9090)", listen);

    str_var(out->telnyx_api_url, sizeof out->telnyx_api_url, "FRONTDESK_TELNYX_API_URL",
            TELNYX_DEFAULT_API_URL);
    if (strncmp(out->telnyx_api_url, "https://", 8) != 0 && strncmp(out->telnyx_api_url, "http://", 7) != 0)
        refuse("FRONTDESK_TELNYX_API_URL", "expected an http(s):// URL", out->telnyx_api_url);
    str_var(out->telnyx_api_key, sizeof out->telnyx_api_key, "FRONTDESK_TELNYX_API_KEY", "");
    if (out->telnyx_api_key[0] == '\0')
        refuse("FRONTDESK_TELNYX_API_KEY", "required: the Telnyx API v2 key (Mission Control portal)", "");
    secrets_register(out->telnyx_api_key);
    str_var(out->transcription_engine, sizeof out->transcription_engine,
            "FRONTDESK_TRANSCRIPTION_ENGINE", "Google");
    /* how long a worker stays alive in a shard without renewing (workers/liveness.c) */
    out->liveness_ms = int_var("FRONTDESK_LIVENESS_MS", "1000", 400, 60000);
    out->quantum = int_var("FRONTDESK_QUANTUM", "32", 1, 10000);
    out->max_deliveries = int_var("FRONTDESK_MAX_DELIVERIES", "5", 1, 100);
    out->silence_ms = int_var("FRONTDESK_SILENCE_MS", "8000", 100, 600000);
    out->idle_release_ms = int_var("FRONTDESK_IDLE_RELEASE_MS", "30000", 1000, 86400000);
    out->call_state_ttl_s = int_var("FRONTDESK_CALL_STATE_TTL_S", "3600", 60, 604800);
    out->sms_idle_s = int_var("FRONTDESK_SMS_IDLE_S", "86400", 60, 2592000);
    out->sms_gather_ms = int_var("FRONTDESK_SMS_GATHER_MS", "2000", 0, 30000);
    out->sms_quiet_ms = int_var("FRONTDESK_SMS_QUIET_MS", "900000", 500, 86400000);
    out->outbox_high_water = int_var("FRONTDESK_OUTBOX_HIGH_WATER", "20000", 1, 100000000);
    out->outbox_max = int_var("FRONTDESK_OUTBOX_MAX", "200000", 0, 100000000);
    out->outbox_reserve_pct = int_var("FRONTDESK_OUTBOX_RESERVE_PCT", "20", 1, 90);
    llm_vars(out);
    provisioning_vars(out);
    /* A Stripe request waits at most a third of it (workers/billing_jobs.c). */
    out->billing_lease_ms = int_var("FRONTDESK_BILLING_LEASE_MS", "60000", 3000, 600000);
    out->retention_days = int_var("FRONTDESK_RETENTION_DAYS", "365", 0, 36500);
}
