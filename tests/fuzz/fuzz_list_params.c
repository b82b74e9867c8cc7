/* tests/fuzz/fuzz_list_params.c: libFuzzer target for the query values every list of the
 * owner API reads from outside (lib/owner/list_cursor.c, lib/owner/list_params.c):
 * ?cursor=, ?limit=, ?min_score=, ?from= and ?to=. Any bytes must be read or refused
 * with a problem named by its parameter, never crash; a cursor that is accepted reads
 * back to itself, and no bytes but a cursor made for the scope pass as one. Built by
 * `make fuzz`; tests/run-all.sh runs it on tests/fuzz/corpus/list_params/. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "owner/list_cursor.h"
#include "owner/list_params.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SCOPE "calls|4c1e8a2e-7d5b-4e8f-9a1b-2c3d4e5f6a7b|10:2026-03-01|0:|0:|0:"

static void count_problem(void *arg, const char *path, const char *message)
{
    int *n = arg;
    if (path == NULL || message == NULL || message[0] == '\0')
        abort();
    (*n)++;
}

/* Each value with its own rule: false and no problem, or a problem and false, never both. */
static void read_values(const char *text, size_t len)
{
    int n = 0, limit = 0, score = 0;
    if (list_limit_parse(text, &limit, count_problem, &n) != (n == 0) || limit > LIST_LIMIT_MAX)
        abort();
    n = 0;
    if (list_int_parse(text, "min_score", 0, 100, &score, count_problem, &n) != (n == 0))
        abort();
    struct date_range range;
    struct date_range_rules rules = {.is_required = true, .max_days = 366};
    const char *half = text + len / 2;
    n = 0;
    if (date_range_parse(text, half, &rules, &range, count_problem, &n) != (n == 0))
        abort();
    if (n == 0 && (range.to_day < range.from_day || range.to_day - range.from_day >= 366))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    size_t len = strlen(text);
    read_values(text, len);
    struct list_position pos;
    if (list_cursor_decode(text, SCOPE, &pos)) {
        char again[LIST_CURSOR_LEN + 1];
        if (!list_cursor_encode(&pos, SCOPE, again) || strcmp(again, text) != 0)
            abort();
    }
    free(text);
    return 0;
}
