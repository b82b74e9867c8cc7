/* lib/store/lua_scripts.h: the Redis scripts of lua/, embedded at build time by
 * ops/embed-lua.sh with their SHA-1, so a binary calls EVALSHA without a SCRIPT LOAD
 * round trip and falls back to EVAL (which caches the script) on NOSCRIPT. */
#ifndef FD_LUA_SCRIPTS_H
#define FD_LUA_SCRIPTS_H
#include <stddef.h>

struct lua_script {
    const char *name;   /* file name without .lua, e.g. "enqueue_event" */
    const char *body;
    size_t len;
    const char *sha1;   /* 40 lowercase hex digits */
};

extern const struct lua_script lua_scripts[];
extern const size_t lua_script_count;

/* The script called name, or NULL; the result is static. */
const struct lua_script *lua_script_find(const char *name);

#endif
