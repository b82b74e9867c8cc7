/* lib/core/config.h: the environment every frontdesk binary reads, with the same names and
 * defaults everywhere. A missing or malformed value is refused with a message that
 * names the variable and says what is expected; the binaries exit with status 2. */
#ifndef FD_CONFIG_H
#define FD_CONFIG_H
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "core/log.h"

#define CONFIG_MAX_SENTINELS 8

struct fd_config {
    char listen_host[64];           /* FRONTDESK_LISTEN, default 127.0.0.1:8080 */
    int listen_port;
    char redis_host[256];           /* FRONTDESK_REDIS_URL, default redis://127.0.0.1:6379/0 */
    int redis_port;
    int redis_db;
    char redis_user[128];           /* ACL user (redis://USER:PASSWORD@...); "" for the default user */
    char redis_password[256];       /* "" when the URL has none */
    /* FRONTDESK_REDIS_SENTINELS: HOST:PORT,... When set, the services ask these Sentinels
     * for the master's address (redis_host/redis_port are then unused; the URL still
     * gives user, password and database). */
    struct config_sentinel {
        char host[256];
        int port;
    } redis_sentinels[CONFIG_MAX_SENTINELS];
    int redis_sentinel_count;       /* 0: connect to the URL's host directly */
    char redis_master[128];         /* FRONTDESK_REDIS_MASTER, default "mymaster" */
    char redis_sentinel_password[256]; /* FRONTDESK_REDIS_SENTINEL_PASSWORD, "" for none */
    int redis_wait_replicas;        /* FRONTDESK_REDIS_WAIT_REPLICAS, default 0: the api
                                       acknowledges an event once this many replicas hold it */
    int redis_wait_ms;              /* FRONTDESK_REDIS_WAIT_MS, default 100: how long it waits */
    char database_url[1024];        /* FRONTDESK_DATABASE_URL, a libpq URI */
    unsigned char telnyx_public_key[32]; /* FRONTDESK_TELNYX_PUBLIC_KEY, base64 Ed25519 */
    bool has_telnyx_public_key;
    int webhook_tolerance_s;        /* FRONTDESK_WEBHOOK_TOLERANCE_S, default 300 */
    int shards;                     /* FRONTDESK_SHARDS, default 64, 1..1000 */
    enum log_level log_level;       /* FRONTDESK_LOG_LEVEL, default info */
    int http_client_timeout_s;      /* FRONTDESK_HTTP_CLIENT_TIMEOUT_S, default 10: time a
                                       client has to deliver each whole request */
    int pg_statement_timeout_ms;    /* FRONTDESK_PG_STATEMENT_TIMEOUT_MS, default 10000, 0 = none:
                                       the services' PostgreSQL sessions (docs/design.md) */
    int pg_lock_timeout_ms;         /* FRONTDESK_PG_LOCK_TIMEOUT_MS, default 2000, 0 = none */
};

/* What a binary cannot run without (beyond what has a default). */
enum config_need {
    CONFIG_NEED_PUBLIC_KEY = 1u << 0,
};

#define CONFIG_DEFAULT_DATABASE_URL "postgresql://127.0.0.1:5432/frontdesk"

/* Fills *out from the environment. On APP_EINVAL, why holds "FRONTDESK_X: ..." */
enum app_err config_load(struct fd_config *out, unsigned needs, char *why, size_t why_len);
/* config_load, or print the reason to stderr and exit(2). */
void config_load_or_exit(struct fd_config *out, unsigned needs);

/* Parsers shared with the CLI and tests; each returns false on malformed input. */
bool config_parse_listen(const char *text, char *host, size_t host_len, int *port);
bool config_parse_redis_url(const char *text, struct fd_config *out);
/* HOST:PORT[,HOST:PORT...] ([::1]:26379 for IPv6), at most CONFIG_MAX_SENTINELS. */
bool config_parse_sentinels(const char *text, struct fd_config *out);
bool config_parse_public_key(const char *text, unsigned char key[32]);
/* A whole decimal number from min to max, nothing else. */
bool config_parse_int(const char *text, long min, long max, int *out);
/* The variable's value, or fallback when it is unset or empty. */
const char *config_env_or(const char *name, const char *fallback);
/* Writes why (printf-style, "FRONTDESK_X: ...") and returns APP_EINVAL: how a loader
 * refuses a variable. */
enum app_err config_refuse(char *why, size_t why_len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
