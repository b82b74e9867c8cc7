/* lib/core/config.c: see config.h. Parsing is strict: a typo in a deployment should stop
 * the pod at start, not surface as a confusing failure under load. */
#include "core/config.h"

#include <errno.h>
#include <limits.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "core/secrets.h"

bool config_parse_int(const char *text, long min, long max, int *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < min || v > max)
        return false;
    *out = (int)v;
    return true;
}

static bool parse_port(const char *text, int *port)
{
    return config_parse_int(text, 1, 65535, port);
}

bool config_parse_listen(const char *text, char *host, size_t host_len, int *port)
{
    const char *colon = strrchr(text, ':');
    if (colon == NULL || colon == text || (size_t)(colon - text) >= host_len)
        return false;
    const char *h = text;
    size_t hlen = (size_t)(colon - text);
    if (h[0] == '[') {                     /* [::1]:8080 */
        if (hlen < 3 || h[hlen - 1] != ']')
            return false;
        h++;
        hlen -= 2;
    }
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    return parse_port(colon + 1, port);
}

bool config_parse_redis_url(const char *text, struct fd_config *out)
{
    const char *prefix = "redis://";
    if (strncmp(text, prefix, strlen(prefix)) != 0)
        return false;
    const char *p = text + strlen(prefix);
    char buf[512];
    if (strlen(p) >= sizeof buf)
        return false;
    strcpy(buf, p);

    out->redis_db = 0;
    out->redis_user[0] = '\0';
    out->redis_password[0] = '\0';
    char *slash = strchr(buf, '/');
    if (slash != NULL) {
        *slash = '\0';
        if (slash[1] != '\0' && !config_parse_int(slash + 1, 0, 15, &out->redis_db))
            return false;
    }
    char *hostport = buf;
    char *at = strrchr(buf, '@');
    if (at != NULL) {
        *at = '\0';
        char *colon = strchr(buf, ':');     /* user:password or :password */
        const char *pw = colon ? colon + 1 : buf;
        if (strlen(pw) >= sizeof out->redis_password)
            return false;
        strcpy(out->redis_password, pw);
        if (colon != NULL) {
            *colon = '\0';
            if (strlen(buf) >= sizeof out->redis_user)
                return false;
            strcpy(out->redis_user, buf);   /* an ACL user; "" is Redis's default user */
        }
        hostport = at + 1;
    }
    out->redis_port = 6379;
    char *colon = strrchr(hostport, ':');
    if (colon != NULL) {
        *colon = '\0';
        if (!parse_port(colon + 1, &out->redis_port))
            return false;
    }
    if (hostport[0] == '\0' || strlen(hostport) >= sizeof out->redis_host)
        return false;
    strcpy(out->redis_host, hostport);
    return true;
}

bool config_parse_sentinels(const char *text, struct fd_config *out)
{
    char buf[CONFIG_MAX_SENTINELS * 272];
    if (strlen(text) >= sizeof buf)
        return false;
    strcpy(buf, text);
    out->redis_sentinel_count = 0;
    char *save = NULL;
    for (char *item = strtok_r(buf, ",", &save); item != NULL; item = strtok_r(NULL, ",", &save)) {
        while (*item == ' ')
            item++;
        for (size_t n = strlen(item); n > 0 && item[n - 1] == ' '; n--)
            item[n - 1] = '\0';
        if (out->redis_sentinel_count == CONFIG_MAX_SENTINELS)
            return false;
        struct config_sentinel *s = &out->redis_sentinels[out->redis_sentinel_count];
        if (!config_parse_listen(item, s->host, sizeof s->host, &s->port) || s->host[0] == '\0')
            return false;
        out->redis_sentinel_count++;
    }
    return out->redis_sentinel_count > 0;
}

bool config_parse_public_key(const char *text, unsigned char key[32])
{
    size_t len = 0;
    if (sodium_init() < 0)
        return false;
    if (sodium_base642bin(key, 32, text, strlen(text), NULL, &len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return false;
    return len == 32;
}

/* A libpq URI, whose password (if any) is registered as a secret: libpq's messages can
 * echo parts of the URL. The error text of a failed parse is dropped for the same reason. */
static bool is_libpq_uri(const char *text)
{
    if (strncmp(text, "postgresql://", 13) != 0 && strncmp(text, "postgres://", 11) != 0)
        return false;
    char *err = NULL;
    PQconninfoOption *opts = PQconninfoParse(text, &err);
    PQfreemem(err);
    if (opts == NULL)
        return false;
    for (PQconninfoOption *o = opts; o->keyword != NULL; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val != NULL)
            secrets_register(o->val);
    PQconninfoFree(opts);
    return true;
}

const char *config_env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return (v != NULL && v[0] != '\0') ? v : fallback;
}

enum app_err config_load(struct fd_config *out, unsigned needs, char *why, size_t why_len)
{
    memset(out, 0, sizeof *out);
#define REFUSE(...)                              \
    do {                                         \
        snprintf(why, why_len, __VA_ARGS__);     \
        return APP_EINVAL;                       \
    } while (0)

    const char *v = config_env_or("FRONTDESK_LISTEN", "127.0.0.1:8080");
    if (!config_parse_listen(v, out->listen_host, sizeof out->listen_host, &out->listen_port))
        REFUSE("FRONTDESK_LISTEN: expected HOST:PORT (e.g. 127.0.0.1:8080), got '%s'", v);

    /* Never echoed: a malformed URL may still hold its password anywhere. */
    v = config_env_or("FRONTDESK_REDIS_URL", "redis://127.0.0.1:6379/0");
    if (!config_parse_redis_url(v, out))
        REFUSE("FRONTDESK_REDIS_URL: expected redis://[[USER]:PASSWORD@]HOST[:PORT][/DB] with a port "
               "from 1 to 65535, a database from 0 to 15 and a password under 256 characters "
               "(the value is not shown: it may hold a password)");
    secrets_register(out->redis_password);

    v = getenv("FRONTDESK_REDIS_SENTINELS");
    if (v != NULL && v[0] != '\0' && !config_parse_sentinels(v, out))
        REFUSE("FRONTDESK_REDIS_SENTINELS: expected HOST:PORT[,HOST:PORT...] (at most %d, "
               "e.g. sentinel-0:26379,sentinel-1:26379), got '%s'", CONFIG_MAX_SENTINELS, v);
    v = config_env_or("FRONTDESK_REDIS_MASTER", "mymaster");
    if (strlen(v) >= sizeof out->redis_master || strchr(v, ' ') != NULL)
        REFUSE("FRONTDESK_REDIS_MASTER: expected the master's name in the Sentinels' "
               "configuration (under 128 characters, no spaces)");
    strcpy(out->redis_master, v);
    v = config_env_or("FRONTDESK_REDIS_SENTINEL_PASSWORD", "");
    if (strlen(v) >= sizeof out->redis_sentinel_password)
        REFUSE("FRONTDESK_REDIS_SENTINEL_PASSWORD: expected under 256 characters");
    strcpy(out->redis_sentinel_password, v);
    secrets_register(out->redis_sentinel_password);
    v = config_env_or("FRONTDESK_REDIS_WAIT_REPLICAS", "0");
    if (!config_parse_int(v, 0, 16, &out->redis_wait_replicas))
        REFUSE("FRONTDESK_REDIS_WAIT_REPLICAS: expected a whole number of replicas from 0 to 16, "
               "got '%s'", v);
    v = config_env_or("FRONTDESK_REDIS_WAIT_MS", "100");
    if (!config_parse_int(v, 1, 1500, &out->redis_wait_ms))
        REFUSE("FRONTDESK_REDIS_WAIT_MS: expected whole milliseconds from 1 to 1500, got '%s'", v);

    v = config_env_or("FRONTDESK_DATABASE_URL", CONFIG_DEFAULT_DATABASE_URL);
    if (strlen(v) >= sizeof out->database_url || !is_libpq_uri(v))
        REFUSE("FRONTDESK_DATABASE_URL: expected a libpq URI such as "
               "postgresql://USER@HOST:PORT/DBNAME");
    strcpy(out->database_url, v);

    v = getenv("FRONTDESK_TELNYX_PUBLIC_KEY");
    if (v != NULL && v[0] != '\0') {
        if (!config_parse_public_key(v, out->telnyx_public_key))
            REFUSE("FRONTDESK_TELNYX_PUBLIC_KEY: expected the base64 Ed25519 public key "
                   "(32 bytes) shown in the Telnyx portal");
        out->has_telnyx_public_key = true;
    } else if (needs & CONFIG_NEED_PUBLIC_KEY) {
        REFUSE("FRONTDESK_TELNYX_PUBLIC_KEY: required: the base64 Ed25519 public key that "
               "signs Telnyx webhooks (Mission Control portal, Keys & Credentials)");
    }

    v = config_env_or("FRONTDESK_WEBHOOK_TOLERANCE_S", "300");
    if (!config_parse_int(v, 1, 86400, &out->webhook_tolerance_s))
        REFUSE("FRONTDESK_WEBHOOK_TOLERANCE_S: expected whole seconds from 1 to 86400, got '%s'", v);

    v = config_env_or("FRONTDESK_SHARDS", "64");
    if (!config_parse_int(v, 1, 1000, &out->shards))
        REFUSE("FRONTDESK_SHARDS: expected a whole number from 1 to 1000, got '%s'", v);

    v = config_env_or("FRONTDESK_HTTP_CLIENT_TIMEOUT_S", "10");
    if (!config_parse_int(v, 1, 600, &out->http_client_timeout_s))
        REFUSE("FRONTDESK_HTTP_CLIENT_TIMEOUT_S: expected whole seconds from 1 to 600, got '%s'", v);

    v = config_env_or("FRONTDESK_PG_STATEMENT_TIMEOUT_MS", "10000");
    if (!config_parse_int(v, 0, 3600000, &out->pg_statement_timeout_ms))
        REFUSE("FRONTDESK_PG_STATEMENT_TIMEOUT_MS: expected milliseconds from 0 (none) to "
               "3600000, got '%s'", v);

    v = config_env_or("FRONTDESK_PG_LOCK_TIMEOUT_MS", "2000");
    if (!config_parse_int(v, 0, 3600000, &out->pg_lock_timeout_ms))
        REFUSE("FRONTDESK_PG_LOCK_TIMEOUT_MS: expected milliseconds from 0 (none) to 3600000, "
               "got '%s'", v);

    v = config_env_or("FRONTDESK_LOG_LEVEL", "info");
    if (!log_level_parse(v, &out->log_level))
        REFUSE("FRONTDESK_LOG_LEVEL: expected debug, info, warn or error, got '%s'", v);
#undef REFUSE
    return APP_OK;
}

void config_load_or_exit(struct fd_config *out, unsigned needs)
{
    char why[512];
    if (config_load(out, needs, why, sizeof why) != APP_OK) {
        fprintf(stderr, "configuration error: %s\n", why);
        exit(2);
    }
    log_set_level(out->log_level);
}

enum app_err config_refuse(char *why, size_t why_len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, why_len, fmt, ap);
    va_end(ap);
    return APP_EINVAL;
}
