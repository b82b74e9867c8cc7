/* lib/core/err.h: the one error type every action returns; frontdesk-ctl maps each value
 * to an exit code. */
#ifndef FD_ERR_H
#define FD_ERR_H

enum app_err {
    APP_OK = 0,
    APP_EINVAL,      /* the input is malformed; *why says what */
    APP_EAUTH,       /* signature missing, malformed, wrong, or stale */
    APP_ENOTFOUND,   /* no such thing */
    APP_ECONFLICT,   /* already exists / owned by someone else */
    APP_ETOOBIG,     /* input over a size limit */
    APP_EUNAVAIL,    /* a dependency (Redis, PostgreSQL, ...) failed or timed out */
    APP_EINTERNAL,   /* a bug or an impossible state */
};

/* A short lowercase name for logs and JSON error bodies ("invalid", "unavailable"). */
const char *app_err_name(enum app_err err);

#endif
