/* ops/ctl/ctl.h: what the frontdesk-ctl commands share. Each command lives in its own
 * file and returns the process exit status: 0 done, 1 failed, 2 usage error. Errors go
 * to stderr; stdout carries only a command's result, so scripts can capture it. */
#ifndef FD_CTL_H
#define FD_CTL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <hiredis.h>
#include <jansson.h>
#include <libpq-fe.h>

#include "core/config.h"
#include "store/tenant_keys.h"

enum { CTL_EXIT_OK = 0, CTL_EXIT_FAIL = 1, CTL_EXIT_USAGE = 2 };

/* Commands: argv[0] is the command's own name ("migrate", "tenant", ...). */
int ctl_migrate(int argc, char **argv);
int ctl_tenant(int argc, char **argv);
int ctl_numbers(int argc, char **argv);
int ctl_status(int argc, char **argv);
int ctl_webhook(int argc, char **argv);
int ctl_dead(int argc, char **argv);
int ctl_calls(int argc, char **argv);
int ctl_call(int argc, char **argv);
int ctl_outbox(int argc, char **argv);
int ctl_unrouted(int argc, char **argv);
int ctl_agent(int argc, char **argv);
int ctl_bookings(int argc, char **argv);
int ctl_user(int argc, char **argv);
int ctl_workers(int argc, char **argv);
int ctl_billing(int argc, char **argv);
int ctl_optout(int argc, char **argv);
int ctl_retention(int argc, char **argv);
/* Subcommands, argv[0] being theirs ("list", "suspend", ...). */
int ctl_tenant_list(int argc, char **argv);
int ctl_tenant_show(int argc, char **argv);
int ctl_tenant_suspend(int argc, char **argv);     /* suspend and resume */
int ctl_tenant_export(int argc, char **argv);
int ctl_tenant_delete(int argc, char **argv);
int ctl_numbers_add(int argc, char **argv);
int ctl_numbers_remove(int argc, char **argv);
int ctl_bookings_rebuild(int argc, char **argv);

void ctl_print_usage(FILE *out);

/* Matches argv[*i] against option name ("--name"), as "--name VALUE" or "--name=VALUE".
 * On a match sets *value (borrowed from argv), advances *i past what it used and
 * returns true; a match without a value sets *value to NULL. */
bool ctl_opt(int argc, char **argv, int *i, const char *name, const char **value);
/* What a command is about, from its options. */
enum ctl_target_part { CTL_TARGET_BUSINESS = 1u << 0, CTL_TARGET_NUMBER = 1u << 1,
                       CTL_TARGET_JSON = 1u << 2 };
struct ctl_target {
    char id[FD_UUID_LEN + 1];       /* --business ID, canonical */
    const char *number;             /* --number E164 (borrowed from argv) */
    bool is_json;                   /* --json */
};
/* Reads argv[1..] of the command named what ("tenant show"): the options parts allows,
 * --business and --number required when allowed, --json optional. CTL_EXIT_OK, or a
 * usage error printed and CTL_EXIT_USAGE. */
int ctl_parse_target(int argc, char **argv, const char *what, unsigned parts,
                     struct ctl_target *out);

/* Prints "frontdesk-ctl: <message>" and a pointer to the usage; returns CTL_EXIT_USAGE. */
int ctl_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "frontdesk-ctl: <message>"; returns CTL_EXIT_FAIL. */
int ctl_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A blocking Redis connection to cfg's URL (AUTH and SELECT done), with connect and
 * command timeouts, so a dead Redis fails a command in seconds. Owned (redisFree);
 * NULL with why on failure. */
redisContext *ctl_redis_connect(const struct fd_config *cfg, char *why, size_t why_len);
/* Runs a command (argv form); returns the reply (owned: freeReplyObject), or NULL with
 * why when the connection failed or Redis answered with an error. */
redisReply *ctl_redis_command(redisContext *c, int argc, const char **argv, char *why,
                              size_t why_len);

/* After a change of fd:numbers: moves fd:numbers:version, so every api drops its cached
 * routes at once (api/number_watch.c). False with why when Redis failed. */
bool ctl_numbers_changed(redisContext *c, char *why, size_t why_len);

/* For a command that changes PostgreSQL and then Redis: connects to Redis first, so that
 * with Redis down it stops before PostgreSQL has anything to undo, then to PostgreSQL as
 * frontdesk_app. CTL_EXIT_OK with both set (owned: redisFree, PQfinish); otherwise prints
 * "<why>; <unchanged>" (e.g. "nothing created"), leaves nothing open, CTL_EXIT_FAIL. */
int ctl_connect_for_change(const struct fd_config *cfg, const char *unchanged,
                           redisContext **rc, PGconn **conn);

/* Prints value (taken) as indented JSON on stdout; CTL_EXIT_OK, or CTL_EXIT_FAIL when it
 * cannot be encoded. */
int ctl_print_json(json_t *value);

#endif
