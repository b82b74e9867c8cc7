/* lib/owner/list_params.h: the query values the owner API's lists and analytics take,
 * read and checked without a database: ?limit=, whole numbers in a range (?min_score=),
 * and a range of local dates (?from=, ?to=: "YYYY-MM-DD" in the business's time zone,
 * both days included). Each problem is reported through the caller's function with
 * the parameter's name as its path, so one request hears of every bad value at once. */
#ifndef FD_LIST_PARAMS_H
#define FD_LIST_PARAMS_H
#include <stdbool.h>
#include <stdint.h>

#define LIST_LIMIT_DEFAULT 50
#define LIST_LIMIT_MAX 200
#define LIST_DATE_LEN 10            /* "YYYY-MM-DD" */

/* Receives one problem: path names the parameter ("limit"), message says what is wrong. */
typedef void (*param_problem_fn)(void *arg, const char *path, const char *message);

/* ?limit=: text NULL gives LIST_LIMIT_DEFAULT; otherwise a whole number from 1 to
 * LIST_LIMIT_MAX. False (after reporting) when it is not. */
bool list_limit_parse(const char *text, int *out, param_problem_fn problem, void *arg);
/* A whole number from min to max in decimal digits (no sign, no spaces), named path.
 * False (after reporting) when text is not one; text must not be NULL. */
bool list_int_parse(const char *text, const char *path, int min, int max, int *out,
                    param_problem_fn problem, void *arg);

struct date_range {
    bool has_from, has_to;
    char from[LIST_DATE_LEN + 1];   /* "" when absent */
    char to[LIST_DATE_LEN + 1];
    int64_t from_day, to_day;       /* days since 1970-01-01 */
};

struct date_range_rules {
    bool is_required;               /* both dates must be given */
    int max_days;                   /* most days from..to may span, both included; 0: any */
};

/* Reads ?from= and ?to= (either may be NULL: absent) into *out. Dates are real
 * calendar dates of the years 2000 to 2199; from may not be after to. False (after
 * reporting each problem) when the values break the rules. */
bool date_range_parse(const char *from, const char *to, const struct date_range_rules *rules,
                      struct date_range *out, param_problem_fn problem, void *arg);

#endif
