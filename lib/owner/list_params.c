/* lib/owner/list_params.c: see list_params.h. */
#include "owner/list_params.h"

#include <stdio.h>
#include <string.h>

#include "agent/agent_config_rules.h"
#include "calendar/civil_date.h"

bool list_int_parse(const char *text, const char *path, int min, int max, int *out,
                    param_problem_fn problem, void *arg)
{
    long long v = 0;
    size_t len = strlen(text);
    bool is_number = len > 0 && len <= 9;
    for (size_t i = 0; is_number && i < len; i++) {
        is_number = text[i] >= '0' && text[i] <= '9';
        v = v * 10 + (text[i] - '0');
    }
    if (!is_number || v < min || v > max) {
        char message[96];
        snprintf(message, sizeof message, "must be a whole number from %d to %d", min, max);
        problem(arg, path, message);
        return false;
    }
    *out = (int)v;
    return true;
}

bool list_limit_parse(const char *text, int *out, param_problem_fn problem, void *arg)
{
    if (text == NULL) {
        *out = LIST_LIMIT_DEFAULT;
        return true;
    }
    return list_int_parse(text, "limit", 1, LIST_LIMIT_MAX, out, problem, arg);
}

/* One date of the range; "" and false (after reporting) when text is not a date. */
static bool read_date(const char *text, const char *path, char out[LIST_DATE_LEN + 1],
                      int64_t *day, param_problem_fn problem, void *arg)
{
    int32_t ymd = 0;
    out[0] = '\0';
    if (!agent_date_parse(text, strlen(text), &ymd)) {
        problem(arg, path, "must be a date \"YYYY-MM-DD\" (a real day of the years 2000 to 2199)");
        return false;
    }
    struct civil_date d = {ymd / 10000, ymd / 100 % 100, ymd % 100};
    memcpy(out, text, LIST_DATE_LEN + 1);
    *day = civil_days_from_date(&d);
    return true;
}

bool date_range_parse(const char *from, const char *to, const struct date_range_rules *rules,
                      struct date_range *out, param_problem_fn problem, void *arg)
{
    memset(out, 0, sizeof *out);
    bool ok = true;
    const char *const texts[2] = {from, to};
    const char *const paths[2] = {"from", "to"};
    char *const dates[2] = {out->from, out->to};
    int64_t *const days[2] = {&out->from_day, &out->to_day};
    bool *const has[2] = {&out->has_from, &out->has_to};
    for (int i = 0; i < 2; i++) {
        if (texts[i] == NULL) {
            if (rules->is_required)
                problem(arg, paths[i], "is required");
            ok = ok && !rules->is_required;
            continue;
        }
        *has[i] = read_date(texts[i], paths[i], dates[i], days[i], problem, arg);
        ok = *has[i] && ok;
    }
    if (!ok || !out->has_from || !out->has_to)
        return ok;
    if (out->from_day > out->to_day) {
        problem(arg, "to", "must not be before from");
        return false;
    }
    if (rules->max_days > 0 && out->to_day - out->from_day + 1 > rules->max_days) {
        char message[96];
        snprintf(message, sizeof message, "makes the range longer than %d days (from and to "
                 "both count)", rules->max_days);
        problem(arg, "to", message);
        return false;
    }
    return true;
}
