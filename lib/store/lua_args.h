/* lib/store/lua_args.h: the arguments of one Redis script call, appended in order so
 * that no caller counts indexes or lengths: the script's keys first (lua_args_key), then
 * its ARGV (lua_args_arg, lua_args_argf, lua_args_int). The result goes to
 * redis_conn_script through lua_args_send, or, as a whole EVAL / EVALSHA command, to
 * hiredis' redisCommandArgv (lua_args_command).
 *
 * The builder lives in the caller's storage (a stack variable, about 4.5 KiB) and
 * allocates nothing, so it serves the api's hot path. Strings are borrowed: they must
 * stay valid until the command is sent (redis_conn copies them then). Numbers and
 * formatted arguments are copied into the builder's own room. A builder that was asked
 * for more than it holds, or for a key after an argument, is incomplete: it keeps what
 * fitted, and lua_args_send refuses it (a bug, never a caller's input). */
#ifndef FD_LUA_ARGS_H
#define FD_LUA_ARGS_H
#include <stdbool.h>
#include <stddef.h>

#include "store/lua_scripts.h"
#include "store/redis_conn.h"

/* EVALSHA, the SHA-1 and the key count come first: a script call's keys and arguments
 * may use the rest of what one command carries. */
#define LUA_ARGS_MAX (REDIS_CONN_MAX_ARGS - 3)
#define LUA_ARGS_TEXT_MAX 512       /* numbers and formatted arguments, NULs included */

struct lua_args {
    /* Read these; change them only through the functions below. */
    int argc;                           /* keys and arguments */
    int nkeys;
    bool is_complete;                   /* false: something asked for did not fit */
    /* private: three slots for lua_args_command's head (EVAL or EVALSHA, the script,
     * the key count), then the keys and arguments, borrowed or in text */
    const char *slots[3 + LUA_ARGS_MAX];
    size_t slot_lens[3 + LUA_ARGS_MAX];
    char nkeys_text[16];
    char text[LUA_ARGS_TEXT_MAX];
    size_t text_used;
};

/* Empties a (the caller's storage); there is nothing to clean up. */
void lua_args_init(struct lua_args *a);

/* Appends a key (borrowed). Keys come before every argument. */
void lua_args_key(struct lua_args *a, const char *key);
void lua_args_key_len(struct lua_args *a, const char *key, size_t len);

/* Appends an argument: a string, len bytes of data (may hold NULs), the decimal form of
 * v, or printf-style text (copied). */
void lua_args_arg(struct lua_args *a, const char *s);
void lua_args_arg_len(struct lua_args *a, const char *data, size_t len);
void lua_args_int(struct lua_args *a, long long v);
void lua_args_argf(struct lua_args *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The keys and arguments (argc of them) and their lengths; they point into a. */
const char **lua_args_argv(struct lua_args *a);
const size_t *lua_args_lens(struct lua_args *a);

/* Calls script with a's keys and arguments, as redis_conn_script does (cb runs exactly
 * once, perhaps before this returns). An incomplete a is not sent: cb gets NULL and
 * APP_EINTERNAL at once. */
void lua_args_send(struct lua_args *a, struct redis_conn *conn, const struct lua_script *script,
                   int timeout_ms, redis_reply_fn cb, void *arg);

/* The whole command for hiredis' redisCommandArgv or redisAsyncCommandArgv: "EVALSHA"
 * <sha1> (is_by_sha) or "EVAL" <body>, the key count, the keys and the arguments.
 * Returns its count, or 0 when a is incomplete; *argv and *lens (lens may be NULL when
 * every argument is text) point into a. */
int lua_args_command(struct lua_args *a, const struct lua_script *script, bool is_by_sha,
                     const char ***argv, const size_t **lens);

#endif
