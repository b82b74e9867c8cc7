/* web/route_billing.c: GET /api/v1/billing (every user of the business): the plan, the
 * state Stripe's events left the business in, the current period and what it has billed
 * so far; POST /api/v1/billing/checkout and /portal (owners): a Stripe Checkout session
 * that subscribes the business, or a billing-portal session to change its card or plan,
 * as {"url"} to send the owner to.
 *
 * Opening a session is two stages: the first reads the business (its Stripe customer,
 * made by the worker after sign-up) and builds the request, the Stripe threads send it
 * (web_then_stripe), and the second turns Stripe's answer into ours. Stripe's failures
 * are 502 with a sentence of ours: its message, our key and its body stay in the log.
 *
 * The addresses Stripe sends the owner back to are built from FRONTDESK_PUBLIC_URL, never
 * from the request's Origin, which any client may set to an address of its choosing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "billing/stripe_form.h"
#include "calendar/wall_clock.h"
#include "core/log.h"
#include "owner/billing_query.h"
#include "routes.h"

#define BILLING_OFF_DETAIL                                                                 \
    "Billing is off on this server: no Stripe key is configured, so nothing can be paid " \
    "here yet."

void route_billing_show(PGconn *conn, const struct web_request *req,
                        const struct web_session *session, struct web_result *out)
{
    json_t *body = NULL;
    char why[512];
    (void)session;
    struct billing_view_params p = {
        .now_ms = wall_clock_now_ms(req->clock),
        .grace_days = req->stripe_config->grace_days,
        .is_billing_on = stripe_billing_is_on(req->stripe_config),
    };
    enum app_err err = billing_view_json(conn, &p, &body, why, sizeof why);
    web_answer(out, 200, err, body, why);
}

/* The second stage of both: {"url"} from Stripe's session, or 502. */
static void answer_session_url(PGconn *conn, const struct web_request *req,
                               const struct web_session *session, struct web_result *out)
{
    const struct stripe_reply *r = &req->stripe->reply;
    const char *url = stripe_reply_string(r, "url");
    (void)conn;
    (void)session;
    if (stripe_reply_is_ok(r) && url != NULL &&
        (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0)) {
        web_ok(out, 200, json_pack("{s:s}", "url", url));
        return;
    }
    if (stripe_reply_is_ok(r))
        log_msg(LOG_ERROR, "stripe answered a session without a url", "path", req->stripe->path);
    web_problem(out, 502, "Stripe did not open the page; nothing was charged. Try again in a "
                          "minute.");
}

/* The business's customer, or false with out answered: billing off (503), the database
 * failed, or the worker has not made the customer yet (409). */
static bool read_account(PGconn *conn, const struct web_request *req,
                         struct billing_account *account, struct web_result *out)
{
    char why[512];
    if (!stripe_billing_is_on(req->stripe_config)) {
        web_problem(out, 503, BILLING_OFF_DETAIL);
        return false;
    }
    enum app_err err = billing_account_get(conn, account, why, sizeof why);
    if (err != APP_OK) {
        web_fail(out, err, why);
        return false;
    }
    if (account->customer_id[0] == '\0') {
        web_problem(out, 409, "Your billing account is being set up; try again in a minute.");
        return false;
    }
    return true;
}

/* Takes the form into job; false with out answered when it does not fit. */
static bool take_form(struct stripe_form *form, struct web_stripe_job *job,
                      struct web_result *out)
{
    char *body = stripe_form_take(form);
    bool is_fit = strlen(body) < sizeof job->form;
    if (is_fit)
        memcpy(job->form, body, strlen(body) + 1);
    else
        web_fail(out, APP_EINTERNAL, "the Stripe request is larger than a stage carries");
    free(body);
    return is_fit;
}

/* The refusal of any field: these routes take no body (an empty object is fine). */
static bool has_no_fields(const struct web_request *req, struct web_result *out)
{
    static const char *const none[] = {NULL};
    json_t *errors = json_array();
    web_body_only(req, none, errors);
    return !web_reject_invalid(out, errors);
}

/* Checkout's Idempotency-Key: one per business and minute, so a double click (or a
 * retry of ours) gets the same session back instead of a second one the owner could
 * also complete, which would make a second subscription. Its parameters never change
 * within the minute, as Stripe requires of a reused key. Real time, not the business
 * clock: Stripe keeps keys by its own. */
static void checkout_key(const char *business_id, char *out, size_t out_len)
{
    snprintf(out, out_len, "checkout-%s-%lld", business_id, (long long)(time(NULL) / 60));
}

void route_billing_checkout(PGconn *conn, const struct web_request *req,
                            const struct web_session *session, struct web_result *out)
{
    const struct stripe_config *cfg = req->stripe_config;
    struct billing_account account;
    struct web_stripe_job job = {.path = "/v1/checkout/sessions"};
    char url[sizeof req->config->public_url + 64];
    if (!has_no_fields(req, out) || !read_account(conn, req, &account, out))
        return;
    if (cfg->price_monthly[0] == '\0' || cfg->price_booking[0] == '\0') {
        log_msg(LOG_ERROR, "billing is on without its prices", "missing",
                "FRONTDESK_STRIPE_PRICE_MONTHLY or FRONTDESK_STRIPE_PRICE_BOOKING");
        web_problem(out, 503, "Billing is not fully configured on this server; try again "
                              "later.");
        return;
    }
    if (billing_account_has_live_subscription(&account)) {
        web_problem(out, 409, "The business already has a subscription; change it or its "
                              "card in the billing portal.");
        return;
    }
    struct stripe_form form = STRIPE_FORM_INIT;
    stripe_form_add(&form, "mode", "subscription");
    stripe_form_add(&form, "customer", account.customer_id);
    stripe_form_add(&form, "line_items[0][price]", cfg->price_monthly);
    stripe_form_add_int(&form, "line_items[0][quantity]", 1);
    stripe_form_add(&form, "line_items[1][price]", cfg->price_booking);
    snprintf(url, sizeof url, "%s/billing?checkout=success", req->config->public_url);
    stripe_form_add(&form, "success_url", url);
    snprintf(url, sizeof url, "%s/billing?checkout=canceled", req->config->public_url);
    stripe_form_add(&form, "cancel_url", url);
    stripe_form_add(&form, "client_reference_id", session->business_id);
    stripe_form_add(&form, "metadata[business_id]", session->business_id);
    stripe_form_add(&form, "subscription_data[metadata][business_id]", session->business_id);
    if (!take_form(&form, &job, out))
        return;
    checkout_key(session->business_id, job.idempotency_key, sizeof job.idempotency_key);
    web_then_stripe(out, &job, answer_session_url);
}

void route_billing_portal(PGconn *conn, const struct web_request *req,
                          const struct web_session *session, struct web_result *out)
{
    struct billing_account account;
    struct web_stripe_job job = {.path = "/v1/billing_portal/sessions"};
    char url[sizeof req->config->public_url + 64];
    char click[FD_UUID_LEN + 1];
    (void)session;
    if (!has_no_fields(req, out) || !read_account(conn, req, &account, out))
        return;
    struct stripe_form form = STRIPE_FORM_INIT;
    stripe_form_add(&form, "customer", account.customer_id);
    snprintf(url, sizeof url, "%s/billing", req->config->public_url);
    stripe_form_add(&form, "return_url", url);
    if (!take_form(&form, &job, out))
        return;
    /* A portal session charges nothing and is short-lived: each click gets a fresh one
     * (the key only makes our own retry of this click safe). */
    uuid_generate(click);
    snprintf(job.idempotency_key, sizeof job.idempotency_key, "portal-%s", click);
    web_then_stripe(out, &job, answer_session_url);
}
