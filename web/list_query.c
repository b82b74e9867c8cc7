/* web/list_query.c: see list_query.h. */
#include "list_query.h"

#include <sys/queue.h>          /* TAILQ_FOREACH over the query list; before libevent's copy */

#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <string.h>

#define LIST_PARAMS_MAX 8

static void note_problem(void *errors, const char *path, const char *message)
{
    web_error_add(errors, path, message);
}

/* An error for each query parameter that is not in allowed (NULL-terminated). */
static void query_only(const struct web_request *req, const char *const *allowed, json_t *errors)
{
    const struct evkeyval *kv;
    if (req->query == NULL)
        return;
    TAILQ_FOREACH(kv, req->query, next) {
        bool is_known = false;
        for (size_t i = 0; allowed[i] != NULL && !is_known; i++)
            is_known = strcmp(kv->key, allowed[i]) == 0;
        if (!is_known)
            web_error_add(errors, kv->key, "is not a parameter of this route");
    }
}

/* ?name= when it is one of choices, else NULL (with an error when it was given). */
static const char *query_choice(const struct web_request *req, const char *name,
                                const char *const *choices, json_t *errors)
{
    const char *value = web_query(req, name);
    if (value == NULL)
        return NULL;
    char message[256] = "must be one of";
    for (size_t i = 0; choices[i] != NULL; i++) {
        if (strcmp(value, choices[i]) == 0)
            return choices[i];
        size_t used = strlen(message);
        snprintf(message + used, sizeof message - used, "%s \"%s\"", i ? "," : "", choices[i]);
    }
    web_error_add(errors, name, message);
    return NULL;
}

/* ?limit= and ?cursor= into page, whose scope is set. */
static void query_page(const struct web_request *req, struct owner_page *page, json_t *errors)
{
    list_limit_parse(web_query(req, "limit"), &page->limit, note_problem, errors);
    const char *cursor = web_query(req, "cursor");
    if (cursor == NULL)
        return;
    page->has_after = list_cursor_decode(cursor, page->scope, &page->after);
    if (!page->has_after)
        web_error_add(errors, "cursor", "is not a next_cursor of this list with these filters; "
                                        "start again without it");
}

/* The filters q takes, as they were sent (their names in allowed as well). */
static void read_filters(const struct web_request *req, struct list_query *q,
                         const char **allowed, size_t *n, json_t *errors)
{
    static const struct date_range_rules open_range = {0};
    if (q->has_dates) {
        allowed[(*n)++] = "from";
        allowed[(*n)++] = "to";
        date_range_parse(web_query(req, "from"), web_query(req, "to"), &open_range, &q->dates,
                         note_problem, errors);
    }
    if (q->choice_name != NULL) {
        allowed[(*n)++] = q->choice_name;
        q->choice = query_choice(req, q->choice_name, q->choices, errors);
    }
    q->number = q->number_min;
    if (q->number_name != NULL) {
        allowed[(*n)++] = q->number_name;
        const char *text = web_query(req, q->number_name);
        if (text != NULL)
            list_int_parse(text, q->number_name, q->number_min, q->number_max, &q->number,
                           note_problem, errors);
    }
}

bool web_read_list(const struct web_request *req, const struct web_session *session,
                   struct list_query *q, struct web_result *out)
{
    const char *allowed[LIST_PARAMS_MAX] = {"limit", "cursor"};
    size_t n = 2;
    json_t *errors = json_array();
    read_filters(req, q, allowed, &n, errors);
    allowed[n] = NULL;
    query_only(req, allowed, errors);
    /* The cursor is good for these filters as they were sent. */
    const char *scope[] = {web_query(req, "from"), web_query(req, "to"),
                           q->choice_name ? web_query(req, q->choice_name) : NULL,
                           q->number_name ? web_query(req, q->number_name) : NULL};
    owner_page_init(&q->page, q->list, session->business_id, scope, 4);
    query_page(req, &q->page, errors);
    return !web_reject_invalid(out, errors);
}

bool web_read_dates(const struct web_request *req, const struct date_range_rules *rules,
                    struct date_range *out_range, struct web_result *out)
{
    static const char *const allowed[] = {"from", "to", NULL};
    json_t *errors = json_array();
    query_only(req, allowed, errors);
    date_range_parse(web_query(req, "from"), web_query(req, "to"), rules, out_range,
                     note_problem, errors);
    return !web_reject_invalid(out, errors);
}
