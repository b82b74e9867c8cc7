/* lib/core/err.c: names of enum app_err for logs and error bodies. */
#include "core/err.h"

const char *app_err_name(enum app_err err)
{
    switch (err) {
    case APP_OK: return "ok";
    case APP_EINVAL: return "invalid";
    case APP_EAUTH: return "unauthorized";
    case APP_ENOTFOUND: return "not_found";
    case APP_ECONFLICT: return "conflict";
    case APP_ETOOBIG: return "too_large";
    case APP_EUNAVAIL: return "unavailable";
    case APP_EINTERNAL: return "internal";
    }
    return "internal";
}
