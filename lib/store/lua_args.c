/* lib/store/lua_args.c: see lua_args.h. Keys and arguments are kept from slot 3 on, so
 * that lua_args_command puts its three words in front without copying them. */
#include "store/lua_args.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void lua_args_init(struct lua_args *a)
{
    /* Not memset: the arrays are written as they fill, and the api builds one of these
     * per webhook. */
    a->argc = 0;
    a->nkeys = 0;
    a->is_complete = true;
    a->text_used = 0;
}

static void append(struct lua_args *a, const char *s, size_t len)
{
    if (a->argc == LUA_ARGS_MAX) {
        a->is_complete = false;
        return;
    }
    a->slots[3 + a->argc] = s;
    a->slot_lens[3 + a->argc] = len;
    a->argc++;
}

void lua_args_key_len(struct lua_args *a, const char *key, size_t len)
{
    if (a->argc > a->nkeys) {          /* a key after an argument would be taken for one */
        a->is_complete = false;
        return;
    }
    append(a, key, len);
    if (a->argc > a->nkeys)
        a->nkeys = a->argc;
}

void lua_args_key(struct lua_args *a, const char *key)
{
    lua_args_key_len(a, key, strlen(key));
}

void lua_args_arg_len(struct lua_args *a, const char *data, size_t len)
{
    append(a, data, len);
}

void lua_args_arg(struct lua_args *a, const char *s)
{
    append(a, s, strlen(s));
}

/* Room for len bytes and a NUL in a's text, or NULL (and a incomplete). */
static char *text_room(struct lua_args *a, size_t len)
{
    if (len >= sizeof a->text - a->text_used) {
        a->is_complete = false;
        return NULL;
    }
    char *p = a->text + a->text_used;
    a->text_used += len + 1;
    return p;
}

void lua_args_int(struct lua_args *a, long long v)
{
    /* by hand: snprintf's format parsing showed in the api's profile */
    char digits[24];
    size_t n = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        digits[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0);
    if (v < 0)
        digits[n++] = '-';
    char *p = text_room(a, n);
    if (p == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        p[i] = digits[n - 1 - i];
    p[n] = '\0';
    append(a, p, n);
}

void lua_args_argf(struct lua_args *a, const char *fmt, ...)
{
    size_t room = sizeof a->text - a->text_used;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(a->text + a->text_used, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        a->is_complete = false;
        return;
    }
    char *p = text_room(a, (size_t)n);   /* what vsnprintf wrote, if it fitted */
    if (p != NULL)
        append(a, p, (size_t)n);
}

const char **lua_args_argv(struct lua_args *a)
{
    return a->slots + 3;
}

const size_t *lua_args_lens(struct lua_args *a)
{
    return a->slot_lens + 3;
}

void lua_args_send(struct lua_args *a, struct redis_conn *conn, const struct lua_script *script,
                   int timeout_ms, redis_reply_fn cb, void *arg)
{
    if (!a->is_complete) {
        cb(NULL, APP_EINTERNAL, arg);
        return;
    }
    redis_conn_script(conn, script, timeout_ms, cb, arg, a->nkeys, a->argc, lua_args_argv(a),
                      lua_args_lens(a));
}

int lua_args_command(struct lua_args *a, const struct lua_script *script, bool is_by_sha,
                     const char ***argv, const size_t **lens)
{
    if (!a->is_complete)
        return 0;
    int n = snprintf(a->nkeys_text, sizeof a->nkeys_text, "%d", a->nkeys);
    a->slots[0] = is_by_sha ? "EVALSHA" : "EVAL";
    a->slot_lens[0] = strlen(a->slots[0]);
    a->slots[1] = is_by_sha ? script->sha1 : script->body;
    a->slot_lens[1] = is_by_sha ? strlen(script->sha1) : script->len;
    a->slots[2] = a->nkeys_text;
    a->slot_lens[2] = (size_t)n;
    *argv = a->slots;
    if (lens != NULL)
        *lens = a->slot_lens;
    return 3 + a->argc;
}
