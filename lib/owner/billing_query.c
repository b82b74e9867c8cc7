/* lib/owner/billing_query.c: see billing_query.h. One statement reads the business's
 * billing columns and counts its usage events in the current period; the figures the
 * plan implies are worked out here. */
#include "owner/billing_query.h"

#include <stdio.h>
#include <string.h>

#include "owner/owner_query.h"

/* The period: Stripe's (from the subscription's events) when both ends are known, else
 * the calendar month of now in the business's time zone. $1: now (ms since 1970, the
 * business clock); $2: the grace in days. */
#define NOW_SQL "to_timestamp($1::bigint / 1000.0)"
static const char view_sql[] =
    "WITH b AS ("
    "  SELECT id, billing_state, stripe_customer_id IS NOT NULL AS has_customer,"
    "         past_due_since + make_interval(days => $2::int) AS grace_ends_at,"
    "         timezone,"
    "         CASE WHEN billing_period_start IS NOT NULL AND billing_period_end IS NOT NULL"
    "              THEN billing_period_start"
    "              ELSE date_trunc('month', " NOW_SQL " AT TIME ZONE timezone)"
    "                   AT TIME ZONE timezone END AS period_start,"
    "         CASE WHEN billing_period_start IS NOT NULL AND billing_period_end IS NOT NULL"
    "              THEN billing_period_end"
    "              ELSE (date_trunc('month', " NOW_SQL " AT TIME ZONE timezone)"
    "                    + interval '1 month') AT TIME ZONE timezone END AS period_end"
    "    FROM businesses"
    "   WHERE id = NULLIF(current_setting('app.business_id', true), '')::uuid), "
    "u AS ("
    "  SELECT count(*) AS billed, count(e.reported_at) AS reported"
    "    FROM usage_events e, b"
    "   WHERE e.business_id = b.id"
    "     AND e.occurred_at >= b.period_start AND e.occurred_at < b.period_end) "
    "SELECT json_build_object("
    "  'state', b.billing_state,"
    "  'grace_ends_at', CASE WHEN b.billing_state = 'past_due' THEN b.grace_ends_at END,"
    "  'grace_ends_on', CASE WHEN b.billing_state = 'past_due'"
    "       THEN to_char(b.grace_ends_at AT TIME ZONE b.timezone, 'FMMonth FMDD, YYYY') END,"
    "  'is_grace_over', b.billing_state = 'past_due' AND b.grace_ends_at <= " NOW_SQL ","
    "  'period', json_build_object('start', b.period_start, 'end', b.period_end),"
    "  'bookings_billed', u.billed,"
    "  'reported', u.reported,"
    "  'customer', b.has_customer)"
    "  FROM b, u";

static const char account_sql[] =
    "SELECT COALESCE(stripe_customer_id, ''), billing_state,"
    "       stripe_subscription_id IS NOT NULL FROM businesses"
    " WHERE id = NULLIF(current_setting('app.business_id', true), '')::uuid";

bool billing_state_is_subscribed(const char *state)
{
    return strcmp(state, "active") == 0 || strcmp(state, "past_due") == 0 ||
           strcmp(state, "unpaid") == 0;
}

bool billing_account_has_live_subscription(const struct billing_account *a)
{
    /* A completed Checkout binds the subscription before its first invoice's event
     * moves the state: still "none", it is already paying. */
    return billing_state_is_subscribed(a->state) ||
           (a->has_subscription && strcmp(a->state, "none") == 0);
}

const char *billing_banner(const char *state, bool is_grace_over, const char *grace_ends_on,
                           char *out, size_t out_len)
{
    if (strcmp(state, "past_due") == 0 && !is_grace_over)
        snprintf(out, out_len, "Your last payment failed. Update your card by %s to keep "
                 "your receptionist booking appointments.", grace_ends_on ? grace_ends_on
                 : "the end of the grace period");
    else if (strcmp(state, "past_due") == 0)
        snprintf(out, out_len, "Your payment is overdue: your receptionist still answers "
                 "calls and takes messages but no longer books appointments. Update your "
                 "card to resume bookings.");
    else if (strcmp(state, "unpaid") == 0)
        snprintf(out, out_len, "Your invoices are unpaid: your receptionist still answers "
                 "calls and takes messages but no longer books appointments. Update your "
                 "card to resume bookings.");
    else if (strcmp(state, "canceled") == 0)
        snprintf(out, out_len, "Your subscription is canceled: your receptionist still "
                 "answers calls and takes messages but no longer books appointments. "
                 "Subscribe again to resume bookings.");
    else
        return NULL;
    return out;
}

/* Adds what the plan implies to the row's document, and drops the helper fields. */
static void add_figures(json_t *doc, const struct billing_view_params *p)
{
    const char *state = json_string_value(json_object_get(doc, "state"));
    json_int_t billed = json_integer_value(json_object_get(doc, "bookings_billed"));
    bool is_grace_over = json_is_true(json_object_get(doc, "is_grace_over"));
    const char *ends_on = json_string_value(json_object_get(doc, "grace_ends_on"));
    char banner[320];
    const char *text = billing_banner(state ? state : "none", is_grace_over, ends_on, banner,
                                      sizeof banner);
    json_object_set_new(doc, "billing", json_string(p->is_billing_on ? "on" : "off"));
    json_object_set_new(doc, "plan", json_pack("{s:i, s:i, s:s}",
                                               "monthly_cents", BILLING_MONTHLY_CENTS,
                                               "per_booking_cents", BILLING_PER_BOOKING_CENTS,
                                               "currency", BILLING_CURRENCY));
    json_object_set_new(doc, "banner", text ? json_string(text) : json_null());
    json_object_set_new(doc, "bookings_amount_cents",
                        json_integer(billed * BILLING_PER_BOOKING_CENTS));
    json_object_set_new(doc, "next_invoice_estimate_cents",
                        state && billing_state_is_subscribed(state)
                            ? json_integer(BILLING_MONTHLY_CENTS + billed * BILLING_PER_BOOKING_CENTS)
                            : json_null());
    json_object_del(doc, "is_grace_over");
    json_object_del(doc, "grace_ends_on");
}

enum app_err billing_view_json(PGconn *conn, const struct billing_view_params *p, json_t **out,
                               char *why, size_t why_len)
{
    char now_ms[32], grace_days[16];
    snprintf(now_ms, sizeof now_ms, "%lld", (long long)p->now_ms);
    snprintf(grace_days, sizeof grace_days, "%d", p->grace_days);
    const char *params[] = {now_ms, grace_days};
    enum app_err err = owner_query_json(conn, view_sql, 2, params, out, why, why_len);
    if (err == APP_OK)
        add_figures(*out, p);
    return err;
}

enum app_err billing_account_get(PGconn *conn, struct billing_account *out, char *why,
                                 size_t why_len)
{
    PGresult *res = NULL;
    memset(out, 0, sizeof *out);
    enum app_err err = owner_query(conn, account_sql, 0, NULL, &res, why, why_len);
    if (err != APP_OK)
        return err;
    if (PQntuples(res) != 1) {
        snprintf(why, why_len, "no business in scope");
        err = APP_ENOTFOUND;
    } else if (!owner_copy_text(out->customer_id, sizeof out->customer_id, res, 0) ||
               !owner_copy_text(out->state, sizeof out->state, res, 1)) {
        snprintf(why, why_len, "the business's billing columns do not fit");
        err = APP_EINTERNAL;
    } else {
        out->has_subscription = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
    }
    PQclear(res);
    return err;
}
