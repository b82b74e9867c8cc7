/* lib/store/migrations.h: the numbered, forward-only SQL migrations of schema/ and the pure
 * logic of deciding which to apply. Files are named NNNN_name.sql (four digits, then
 * lowercase letters, digits and '_'); the number is the version recorded in
 * schema_migrations once the file has run.
 *
 * schema_migrations[] is generated at build time by ops/embed-sql.sh and linked only
 * into binaries that migrate (frontdesk-ctl); the functions below take the list as a
 * parameter, so libfd.a itself does not depend on it. */
#ifndef FD_MIGRATIONS_H
#define FD_MIGRATIONS_H
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define MIGRATION_NAME_MAX 64

struct migration {
    const char *file;   /* "0001_v1.sql" */
    const char *sql;    /* the file's text, NUL-terminated */
    size_t len;
};

extern const struct migration schema_migrations[];
extern const size_t schema_migration_count;

/* Parses "0001_v1.sql" into version 1 and name "v1" (name: MIGRATION_NAME_MAX + 1
 * bytes). False for any other shape, or version 0. */
bool migration_parse_file(const char *file, int *version, char *name);

/* Checks that every file name parses and versions strictly increase. On APP_EINVAL
 * why names the offending file. */
enum app_err migrations_check(const struct migration *list, size_t n, char *why, size_t why_len);

/* Which of list (already checked) to apply, given the versions the database recorded
 * (any order). Writes their indexes, in order, to pending (room for n) and their count
 * to *npending. APP_EINVAL when the database is ahead of this binary (it recorded a
 * version the list lacks) or a missing file is older than an applied one (forward-only:
 * applying it now would run it out of order); why says which. */
enum app_err migrations_plan(const struct migration *list, size_t n, const int *applied,
                             size_t napplied, size_t *pending, size_t *npending,
                             char *why, size_t why_len);

#endif
