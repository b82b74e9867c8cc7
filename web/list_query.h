/* web/list_query.h: reading a list route's query string (?limit=, ?cursor=, and the
 * filters the list takes: ?from=&to= local dates, one filter of fixed values, one whole
 * number) into lib/owner's structures. Each problem is added to the request's errors
 * with the parameter's name as its path, and the route is answered 422 with all of
 * them; a parameter the list does not take is one too. */
#ifndef FD_WEB_LIST_QUERY_H
#define FD_WEB_LIST_QUERY_H
#include <stdbool.h>

#include "handler.h"
#include "owner/list_params.h"
#include "owner/owner_list.h"

/* What a list takes (in), and what the request asked for (out). */
struct list_query {
    const char *list;                   /* the list's name: its cursors are good for it only */
    bool has_dates;                     /* ?from= and ?to=, either end open */
    const char *choice_name;            /* a filter of fixed values ("outcome"), or NULL */
    const char *const *choices;         /* ...its values, NULL-terminated */
    const char *number_name;            /* a whole-number filter ("min_score"), or NULL */
    int number_min, number_max;
    /* out */
    struct date_range dates;
    const char *choice;                 /* one of choices, or NULL when not asked */
    int number;                         /* number_min when not asked */
    struct owner_page page;             /* ?limit=, ?cursor=, and the scope of its cursors */
};

/* Reads the request's query into q for the session's business. False, with out
 * answered 422 listing every problem, when anything is wrong. */
bool web_read_list(const struct web_request *req, const struct web_session *session,
                   struct list_query *q, struct web_result *out);

/* ?from= and ?to= under rules (lists not paged: analytics), and no other parameter.
 * False, with out answered 422, when anything is wrong. */
bool web_read_dates(const struct web_request *req, const struct date_range_rules *rules,
                    struct date_range *out_range, struct web_result *out);

#endif
