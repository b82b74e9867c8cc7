/* lib/owner/analytics.c: see analytics.h. Two statements: the configuration versions
 * in force during the range (their service prices are read by lib/agent, so a price
 * means what the receptionist quoted), then one query that counts each kind of record
 * per local day, joining bookings to those prices. Totals are added up here. */
#include "owner/analytics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"
#include "owner/owner_query.h"

/* The figures of a day that are counts, added up for the total. */
static const char *const counted[] = {"calls", "answered", "missed", "transferred", "bookings",
                                      "messages", "booked_value_cents", "billable_bookings",
                                      NULL};

/* Appends the priced services of one version (valid from..until) to prices, those in
 * the version's own currency; the active version's currency goes to currency. */
static void add_prices(json_t *prices, const PGresult *res, int row, char currency[4])
{
    struct agent_config *cfg = NULL;
    char why[256];
    const char *doc = PQgetvalue(res, row, 0);
    if (agent_config_parse(doc, strlen(doc), &cfg, why, sizeof why) != APP_OK)
        return;     /* saved before validation existed: its services count 0 */
    if (strcmp(PQgetvalue(res, row, 3), "t") == 0)
        memcpy(currency, cfg->currency, 4);
    json_t *until = PQgetisnull(res, row, 2) ? json_null() : json_string(PQgetvalue(res, row, 2));
    for (size_t i = 0; i < cfg->nservices; i++) {
        const struct agent_service *s = &cfg->services[i];
        if (s->has_price && strcmp(s->currency, cfg->currency) == 0)
            json_array_append_new(prices, json_pack("{s:s, s:O, s:s, s:I}", "valid_from",
                                                    PQgetvalue(res, row, 1), "valid_until", until,
                                                    "service", s->name, "price_minor",
                                                    (json_int_t)s->price_minor));
    }
    json_decref(until);
    agent_config_free(cfg);
}

/* The prices of every version in force at some time of the range, each with when it
 * was in force, as JSON text (owned); and the business's currency (the active
 * version's). */
static enum app_err read_prices(PGconn *conn, const char *business_id,
                                const struct date_range *range, char **prices_json,
                                char currency[4], char *why, size_t why_len)
{
    const char *params[] = {business_id, range->from, range->to};
    PGresult *res = NULL;
    enum app_err err = owner_query(
        conn, "SELECT a.config::text, a.created_at::text, a.until::text, a.is_active FROM "
        "(SELECT config, created_at, is_active, lead(created_at) OVER (ORDER BY version) AS until "
        "FROM ai_agents WHERE business_id = $1::uuid) a "
        "WHERE a.is_active OR (a.created_at < ($3::date + 1)::timestamptz "
        "AND (a.until IS NULL OR a.until > $2::date::timestamptz))",
        3, params, &res, why, why_len);
    if (err != APP_OK)
        return err;
    json_t *prices = json_array();
    memcpy(currency, "USD", 4);
    for (int i = 0; i < PQntuples(res); i++)
        add_prices(prices, res, i, currency);
    PQclear(res);
    *prices_json = json_dumps(prices, JSON_COMPACT);
    json_decref(prices);
    return APP_OK;
}

/* A row of the range: from the first day's local midnight to the one after the last
 * day (constants for the planner, so each table's (business, time) index bounds it). */
#define IN_RANGE(col) " " col " >= $1::date::timestamptz AND " col " < ($2::date + 1)::timestamptz "

/* The days of the range with their counts, plus each day's score_sum and scored (the
 * sum and number of the lead scores recorded that day) for the averages. */
static const char days_sql[] =
    "WITH calls AS (SELECT c.started_at::date AS day, count(*) AS calls, "
    " count(*) FILTER (WHERE c.outcome = 'answered_by_agent') AS answered, "
    " count(*) FILTER (WHERE c.outcome IN ('missed', 'rejected_no_agent')) AS missed, "
    " count(*) FILTER (WHERE c.outcome = 'forwarded') AS transferred "
    " FROM call_logs c WHERE" IN_RANGE("c.started_at") "GROUP BY 1), "
    "scored AS (SELECT l.created_at::date AS day, sum(l.score) AS score_sum, count(*) AS scored "
    " FROM lead_scores l WHERE" IN_RANGE("l.created_at") "GROUP BY 1), "
    "booked AS (SELECT b.created_at::date AS day, count(*) AS bookings, "
    " coalesce(sum(p.price_minor), 0) AS value FROM bookings b "
    " LEFT JOIN json_to_recordset($3::json) AS p(valid_from timestamptz, "
    " valid_until timestamptz, service text, price_minor bigint) ON p.service = b.service "
    " AND b.created_at >= p.valid_from AND (p.valid_until IS NULL OR b.created_at < p.valid_until) "
    " WHERE b.status = 'booked' AND" IN_RANGE("b.created_at") "GROUP BY 1), "
    "taken AS (SELECT m.taken_at::date AS day, count(*) AS messages FROM messages m "
    " WHERE" IN_RANGE("m.taken_at") "GROUP BY 1), "
    "billed AS (SELECT u.occurred_at::date AS day, count(*) AS billable FROM usage_events u "
    " WHERE" IN_RANGE("u.occurred_at") "GROUP BY 1) "
    "SELECT json_agg(json_build_object('date', d.day, 'calls', coalesce(c.calls, 0), "
    " 'answered', coalesce(c.answered, 0), 'missed', coalesce(c.missed, 0), "
    " 'transferred', coalesce(c.transferred, 0), 'bookings', coalesce(b.bookings, 0), "
    " 'messages', coalesce(t.messages, 0), 'booked_value_cents', coalesce(b.value, 0), "
    " 'billable_bookings', coalesce(u.billable, 0), 'score_sum', coalesce(s.score_sum, 0), "
    " 'scored', coalesce(s.scored, 0)) ORDER BY d.day) "
    "FROM (SELECT g::date AS day FROM generate_series($1::date, $2::date, interval '1 day') g) d "
    "LEFT JOIN calls c ON c.day = d.day LEFT JOIN scored s ON s.day = d.day "
    "LEFT JOIN booked b ON b.day = d.day LEFT JOIN taken t ON t.day = d.day "
    "LEFT JOIN billed u ON u.day = d.day";

static json_t *average(json_int_t sum, json_int_t n)
{
    return n > 0 ? json_real(round((double)sum * 10.0 / (double)n) / 10.0) : json_null();
}

/* Replaces each day's score_sum and scored by its average_lead_score, and adds the
 * day into total. */
static void settle_day(json_t *day, json_t *total, json_int_t *score_sum, json_int_t *scored)
{
    json_int_t sum = json_integer_value(json_object_get(day, "score_sum"));
    json_int_t n = json_integer_value(json_object_get(day, "scored"));
    *score_sum += sum;
    *scored += n;
    json_object_del(day, "score_sum");
    json_object_del(day, "scored");
    json_object_set_new(day, "average_lead_score", average(sum, n));
    for (size_t i = 0; counted[i] != NULL; i++) {
        json_int_t so_far = json_integer_value(json_object_get(total, counted[i]));
        json_object_set_new(total, counted[i], json_integer(
            so_far + json_integer_value(json_object_get(day, counted[i]))));
    }
}

enum app_err analytics_json(PGconn *conn, const char *business_id, const struct date_range *range,
                            json_t **out, char *why, size_t why_len)
{
    char *prices = NULL, currency[4];
    json_t *days = NULL;
    *out = NULL;
    enum app_err err = read_prices(conn, business_id, range, &prices, currency, why, why_len);
    if (err != APP_OK)
        return err;
    const char *params[] = {range->from, range->to, prices};
    /* The planner's guesses for grouping by day are the input's size, which makes a
     * long range look costly enough for JIT: compiling costs more than the query. */
    err = owner_exec(conn, "SELECT set_config('jit', 'off', true)", 0, NULL, why, why_len);
    if (err == APP_OK)
        err = owner_query_json(conn, days_sql, 3, params, &days, why, why_len);
    free(prices);
    if (err != APP_OK)
        return err;
    json_t *total = json_object();
    json_int_t score_sum = 0, scored = 0;
    size_t i;
    json_t *day;
    for (i = 0; counted[i] != NULL; i++)
        json_object_set_new(total, counted[i], json_integer(0));
    json_array_foreach(days, i, day)
        settle_day(day, total, &score_sum, &scored);
    json_object_set_new(total, "average_lead_score", average(score_sum, scored));
    json_t *zone = NULL;
    err = owner_query_json(conn, "SELECT to_json(current_setting('TimeZone'))", 0, NULL, &zone,
                           why, why_len);
    if (err != APP_OK) {
        json_decref(days);
        json_decref(total);
        return err;
    }
    *out = json_pack("{s:s, s:s, s:o, s:s, s:o, s:o}", "from", range->from, "to", range->to,
                     "timezone", zone, "currency", currency, "days", days, "total", total);
    return APP_OK;
}
