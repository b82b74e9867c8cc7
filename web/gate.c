/* web/gate.c: the rate limits of logging in and signing up, kept in Redis so every
 * instance shares them (lua/auth_gate.lua, lua/auth_failed.lua): at most
 * GATE_ADDRESS_LIMIT attempts per client address per minute, and no login for an email
 * after GATE_FAILURE_LIMIT failures within 15 minutes; a refusal is 429 with
 * Retry-After. Emails are keyed by their SHA-256, so Redis holds no address. When
 * Redis does not answer the attempt is refused with 503: an unchecked login would let
 * guessing run unbounded. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "store/lua_args.h"
#include "store/redis_conn.h"
#include "web.h"

#define GATE_ADDRESS_LIMIT "30"
#define GATE_ADDRESS_WINDOW_MS "60000"
#define GATE_FAILURE_LIMIT "5"
#define GATE_FAILURE_WINDOW_MS "900000"
#define GATE_KEY_MAX 160

static void failure_key(char out[GATE_KEY_MAX], const char *email)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    crypto_hash_sha256(digest, (const unsigned char *)email, strlen(email));
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    snprintf(out, GATE_KEY_MAX, "fd:{auth}:fail:%s", hex);
}

static void on_gate_reply(const redisReply *reply, enum app_err err, void *arg)
{
    struct web_exchange *x = arg;
    bool is_answer = err == APP_OK && reply != NULL && reply->type == REDIS_REPLY_ARRAY &&
                     reply->elements == 2 && reply->element[0]->type == REDIS_REPLY_INTEGER &&
                     reply->element[1]->type == REDIS_REPLY_INTEGER;
    if (!is_answer) {
        log_msg(LOG_WARN, "rate limit check failed", "script", "auth_gate");
        web_reply_problem(x, 503, "Sign-in is unavailable for a moment; try again.");
        return;
    }
    if (reply->element[0]->integer == 1) {
        web_exchange_continue(x);
        return;
    }
    long long ms = reply->element[1]->integer;
    x->result.retry_after_s = (int)((ms + 999) / 1000);
    web_reply_problem(x, 429, "Too many attempts; try again after Retry-After seconds.");
}

/* The normalised email of a login's body, into out; false when it has none. */
static bool login_email(const struct web_exchange *x, char out[ACCOUNT_EMAIL_MAX + 1])
{
    const json_t *v = x->body ? json_object_get(x->body, "email") : NULL;
    const char *why;
    return x->route->gate == WEB_GATE_LOGIN && json_is_string(v) &&
           account_email_normalize(json_string_value(v), json_string_length(v), out, &why);
}

void web_gate_check(struct web_exchange *x)
{
    char address_key[GATE_KEY_MAX], fail_key[GATE_KEY_MAX];
    snprintf(address_key, sizeof address_key, "fd:{auth}:addr:%s", x->client_address);
    bool has_email = login_email(x, x->gate_email);
    if (!has_email)
        x->gate_email[0] = '\0';
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key(&a, address_key);
    if (has_email) {
        failure_key(fail_key, x->gate_email);
        lua_args_key(&a, fail_key);
    }
    lua_args_arg(&a, GATE_ADDRESS_LIMIT);
    lua_args_arg(&a, GATE_ADDRESS_WINDOW_MS);
    if (has_email)
        lua_args_arg(&a, GATE_FAILURE_LIMIT);
    lua_args_send(&a, x->web->redis, x->web->gate_script, WEB_REDIS_BUDGET_MS, on_gate_reply, x);
}

static void on_noted(const redisReply *reply, enum app_err err, void *arg)
{
    (void)reply;
    (void)arg;
    if (err != APP_OK)
        log_msg(LOG_WARN, "login outcome not recorded in Redis", NULL, NULL);
}

void web_gate_note(struct web *web, const struct web_exchange *x)
{
    enum web_auth_event event = x->result.auth_event;
    if (x->gate_email[0] == '\0' ||
        (event != WEB_AUTH_LOGIN_OK && event != WEB_AUTH_LOGIN_FAILED))
        return;
    char key[GATE_KEY_MAX];
    failure_key(key, x->gate_email);
    if (event == WEB_AUTH_LOGIN_OK) {       /* the owner is back: forget the failures */
        const char *argv[] = {"DEL", key};
        size_t lens[] = {3, strlen(key)};
        redis_conn_command(web->redis, WEB_REDIS_BUDGET_MS, on_noted, NULL, 2, argv, lens);
        return;
    }
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key(&a, key);
    lua_args_arg(&a, GATE_FAILURE_WINDOW_MS);
    lua_args_send(&a, web->redis, web->fail_script, WEB_REDIS_BUDGET_MS, on_noted, NULL);
}
