/* lib/store/migrations.c: see migrations.h. A handful of files, checked once per migrate:
 * clarity over speed. */
#include "store/migrations.h"

#include <stdio.h>
#include <string.h>

bool migration_parse_file(const char *file, int *version, char *name)
{
    size_t len = strlen(file);
    const char *ext = ".sql";
    if (len < 4 + 1 + 1 + 4 || strcmp(file + len - 4, ext) != 0)
        return false;
    int v = 0;
    for (int i = 0; i < 4; i++) {
        if (file[i] < '0' || file[i] > '9')
            return false;
        v = v * 10 + (file[i] - '0');
    }
    if (v == 0 || file[4] != '_')
        return false;
    size_t name_len = len - 4 - 1 - 4;
    if (name_len > MIGRATION_NAME_MAX)
        return false;
    for (size_t i = 0; i < name_len; i++) {
        char c = file[5 + i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    }
    memcpy(name, file + 5, name_len);
    name[name_len] = '\0';
    *version = v;
    return true;
}

enum app_err migrations_check(const struct migration *list, size_t n, char *why, size_t why_len)
{
    int prev = 0;
    char name[MIGRATION_NAME_MAX + 1];
    for (size_t i = 0; i < n; i++) {
        int v;
        if (!migration_parse_file(list[i].file, &v, name)) {
            snprintf(why, why_len, "migration file %s is not named NNNN_name.sql", list[i].file);
            return APP_EINVAL;
        }
        if (v <= prev) {
            snprintf(why, why_len, "migration %s: version %d does not follow %d", list[i].file,
                     v, prev);
            return APP_EINVAL;
        }
        prev = v;
    }
    return APP_OK;
}

static int version_of(const struct migration *m)
{
    int v = 0;
    char name[MIGRATION_NAME_MAX + 1];
    return migration_parse_file(m->file, &v, name) ? v : 0;
}

static bool list_has_version(const struct migration *list, size_t n, int version)
{
    for (size_t i = 0; i < n; i++)
        if (version_of(&list[i]) == version)
            return true;
    return false;
}

enum app_err migrations_plan(const struct migration *list, size_t n, const int *applied,
                             size_t napplied, size_t *pending, size_t *npending,
                             char *why, size_t why_len)
{
    int max_applied = 0;
    *npending = 0;
    for (size_t i = 0; i < napplied; i++) {
        if (!list_has_version(list, n, applied[i])) {
            snprintf(why, why_len, "the database has migration %04d, which this binary does "
                     "not know: use a newer frontdesk-ctl", applied[i]);
            return APP_EINVAL;
        }
        if (applied[i] > max_applied)
            max_applied = applied[i];
    }
    for (size_t i = 0; i < n; i++) {
        int v = version_of(&list[i]);
        bool is_applied = false;
        for (size_t j = 0; j < napplied && !is_applied; j++)
            is_applied = applied[j] == v;
        if (is_applied)
            continue;
        if (v < max_applied) {
            snprintf(why, why_len, "migration %s is missing but %04d is already applied: "
                     "migrations are forward-only, renumber it after %04d", list[i].file,
                     max_applied, max_applied);
            return APP_EINVAL;
        }
        pending[(*npending)++] = i;
    }
    return APP_OK;
}
