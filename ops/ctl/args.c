/* ops/ctl/args.c: option matching, error reporting and JSON output shared by the commands. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/e164.h"
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

int ctl_parse_target(int argc, char **argv, const char *what, unsigned parts,
                     struct ctl_target *out)
{
    const char *business = NULL;
    memset(out, 0, sizeof *out);
    for (int i = 1; i < argc;) {
        const char *arg = argv[i], *v = NULL;
        if ((parts & CTL_TARGET_JSON) && strcmp(arg, "--json") == 0) {
            out->is_json = true;    /* a flag: ctl_opt would take the next word */
            i++;
            continue;
        }
        if ((parts & CTL_TARGET_BUSINESS) && ctl_opt(argc, argv, &i, "--business", &v))
            business = v;
        else if ((parts & CTL_TARGET_NUMBER) && ctl_opt(argc, argv, &i, "--number", &v))
            out->number = v;
        else
            return ctl_usage_error("%s: unknown argument '%s'", what, arg);
        if (v == NULL)
            return ctl_usage_error("%s: %s needs a value", what, arg);
    }
    if ((parts & CTL_TARGET_BUSINESS) &&
        (business == NULL || !uuid_canonical(business, strlen(business), out->id)))
        return ctl_usage_error("%s needs --business ID (the business id, a UUID)", what);
    if ((parts & CTL_TARGET_NUMBER) &&
        (out->number == NULL || !e164_is_valid(out->number, strlen(out->number))))
        return ctl_usage_error("%s needs --number E164 (like +13125550100)", what);
    return CTL_EXIT_OK;
}

int ctl_print_json(json_t *value)
{
    char *text = json_dumps(value, JSON_INDENT(2));
    json_decref(value);
    if (text == NULL)
        return ctl_fail("cannot encode the answer as JSON");
    printf("%s\n", text);
    free(text);
    return CTL_EXIT_OK;
}
