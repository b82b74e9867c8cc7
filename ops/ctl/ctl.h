/* ops/ctl/ctl.h: what the frontdesk-ctl commands share. Each command lives in its own
 * file and returns the process exit status: 0 done, 1 failed, 2 usage error. Errors go
 * to stderr; stdout carries only a command's result, so scripts can capture it. */
#ifndef FD_CTL_H
#define FD_CTL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <hiredis.h>

#include "core/config.h"

enum { CTL_EXIT_OK = 0, CTL_EXIT_FAIL = 1, CTL_EXIT_USAGE = 2 };

/* Commands: argv[0] is the command's own name ("migrate", "tenant", ...). */
int ctl_migrate(int argc, char **argv);
int ctl_tenant(int argc, char **argv);
int ctl_numbers(int argc, char **argv);
int ctl_status(int argc, char **argv);
int ctl_webhook(int argc, char **argv);
int ctl_dead(int argc, char **argv);
int ctl_calls(int argc, char **argv);
int ctl_agent(int argc, char **argv);
int ctl_bookings(int argc, char **argv);
int ctl_user(int argc, char **argv);

void ctl_print_usage(FILE *out);

/* Matches argv[*i] against option name ("--name"), as "--name VALUE" or "--name=VALUE".
 * On a match sets *value (borrowed from argv), advances *i past what it used and
 * returns true; a match without a value sets *value to NULL. */
bool ctl_opt(int argc, char **argv, int *i, const char *name, const char **value);
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

#endif
