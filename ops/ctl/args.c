/* ops/ctl/args.c: option matching and error reporting shared by the commands. */
#include <stdarg.h>
#include <string.h>

#include "ctl.h"

bool ctl_opt(int argc, char **argv, int *i, const char *name, const char **value)
{
    const char *arg = argv[*i];
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0)
        return false;
    if (arg[n] == '=') {
        *value = arg + n + 1;
        *i += 1;
        return true;
    }
    if (arg[n] != '\0')
        return false;
    *value = *i + 1 < argc ? argv[*i + 1] : NULL;
    *i += *value ? 2 : 1;
    return true;
}

__attribute__((format(printf, 1, 0)))
static void vprint_error(const char *fmt, va_list ap)
{
    fputs("frontdesk-ctl: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

int ctl_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint_error(fmt, ap);
    va_end(ap);
    fputs("run 'frontdesk-ctl help' for usage\n", stderr);
    return CTL_EXIT_USAGE;
}

int ctl_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint_error(fmt, ap);
    va_end(ap);
    return CTL_EXIT_FAIL;
}
