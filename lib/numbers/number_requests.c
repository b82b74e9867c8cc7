/* lib/numbers/number_requests.c: see number_requests.h. One statement (or two, for STORE) per
 * step, each run by pg_conn_transaction under the request's tenant; the transaction's last
 * statement answers whether the write matched. */
#include "numbers/number_requests.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "store/pg_conn.h"

static const char claim_sql[] =
    "SELECT id, business_id, status, area_code, phone_number, order_id, order_attempts, "
    "attempts FROM number_request_claim($1, $2::integer)";

static const char choose_sql[] =
    "UPDATE number_requests SET status = 'ordering', phone_number = $3, order_attempts = 0, "
    "attempts = 0, last_error = NULL, "
    "lease_until = now() + $4::integer * interval '1 millisecond', updated_at = now() "
    "WHERE id = $1::uuid AND claimed_by = $2 AND status = 'pending' RETURNING id";

/* The order count goes up only for the number chosen, before its order is sent. */
static const char count_sql[] =
    "UPDATE number_requests SET order_attempts = order_attempts + 1, "
    "lease_until = now() + $4::integer * interval '1 millisecond', updated_at = now() "
    "WHERE id = $1::uuid AND claimed_by = $2 AND status = 'ordering' AND order_id IS NULL "
    "AND phone_number = $3 RETURNING order_attempts";

/* Not guarded by the claim: an order id Telnyx gave for the request's own number is worth
 * keeping even when a newer claim has the row. The answer says whether it is still ours. */
static const char keep_order_sql[] =
    "UPDATE number_requests SET order_id = $4, attempts = 0, last_error = NULL, "
    "lease_until = CASE WHEN claimed_by = $2 THEN now() + $5::integer * interval '1 millisecond' "
    "ELSE lease_until END, updated_at = now() "
    "WHERE id = $1::uuid AND status = 'ordering' AND order_id IS NULL AND phone_number = $3 "
    "RETURNING coalesce(claimed_by = $2, false)";

/* Under the tenant's policies the count sees only the business's own numbers: 0 means
 * the number is another business's (the insert did nothing). */
static const char store_sql[] =
    "INSERT INTO phone_numbers (business_id, number) VALUES ($1::uuid, $2) "
    "ON CONFLICT (number) DO NOTHING";
static const char store_check_sql[] = "SELECT count(*) FROM phone_numbers WHERE number = $1";

static const char activate_sql[] =
    "UPDATE number_requests SET status = 'active', attempts = 0, last_error = NULL, "
    "failure_reason = NULL, claimed_by = NULL, lease_until = NULL, completed_at = now(), "
    "updated_at = now() WHERE id = $1::uuid AND claimed_by = $2 AND status = 'ordering' "
    "RETURNING id";

static const char forget_sql[] =
    "UPDATE number_requests SET status = 'pending', phone_number = NULL, order_attempts = 0, "
    "attempts = $3::integer, next_attempt_at = now() + $4::integer * interval '1 millisecond', "
    "last_error = NULLIF($5, ''), claimed_by = NULL, lease_until = NULL, updated_at = now() "
    "WHERE id = $1::uuid AND claimed_by = $2 RETURNING id";

static const char wait_sql[] =
    "UPDATE number_requests SET attempts = $3::integer, "
    "next_attempt_at = now() + $4::integer * interval '1 millisecond', "
    "last_error = NULLIF($5, ''), claimed_by = NULL, lease_until = NULL, updated_at = now() "
    "WHERE id = $1::uuid AND claimed_by = $2 RETURNING id";

static const char fail_sql[] =
    "UPDATE number_requests SET status = 'failed', failure_reason = $3, "
    "last_error = NULLIF($4, ''), claimed_by = NULL, lease_until = NULL, completed_at = now(), "
    "updated_at = now() WHERE id = $1::uuid AND claimed_by = $2 RETURNING id";

/* ---- claiming ---- */

struct claim {
    number_claimed_fn cb;
    void *arg;
};

static const char *column(const PGresult *res, const char *name)
{
    int col = PQfnumber(res, name);
    return col < 0 || PQgetisnull(res, 0, col) ? NULL : PQgetvalue(res, 0, col);
}

static void on_claimed(PGresult *res, enum app_err err, const char *why, void *arg)
{
    struct claim *c = arg;
    struct number_order o;
    if (err != APP_OK || PQntuples(res) != 1) {
        c->cb(NULL, err, why, c->arg);
    } else if (!number_order_from_row(&o, column(res, "id"), column(res, "business_id"),
                                      column(res, "status"), column(res, "area_code"),
                                      column(res, "phone_number"), column(res, "order_id"),
                                      atoi(column(res, "order_attempts")),
                                      atoi(column(res, "attempts")))) {
        c->cb(NULL, APP_EINTERNAL, "a claimed number request does not read", c->arg);
    } else {
        c->cb(&o, APP_OK, "", c->arg);
    }
    free(c);
}

void number_requests_claim(struct pg_conn *pg, const char *claimant, int lease_ms,
                           int timeout_ms, number_claimed_fn cb, void *arg)
{
    struct claim *c = xcalloc(1, sizeof *c);
    c->cb = cb;
    c->arg = arg;
    char lease[24];
    snprintf(lease, sizeof lease, "%d", lease_ms);
    const char *params[] = {claimant, lease};
    pg_conn_query(pg, claim_sql, 2, params, timeout_ms, on_claimed, c);
}

/* ---- writes ---- */

struct write {
    enum number_step step;
    number_written_fn cb;
    void *arg;
};

bool number_requests_is_write(enum number_step step)
{
    switch (step) {
    case NUMBER_CHOOSE:
    case NUMBER_COUNT:
    case NUMBER_KEEP_ORDER:
    case NUMBER_STORE:
    case NUMBER_ACTIVATE:
    case NUMBER_FORGET:
    case NUMBER_WAIT:
    case NUMBER_FAIL:
        return true;
    default:
        return false;
    }
}

/* The outcome of a committed write, from its last statement's rows. */
static enum number_outcome outcome_of(enum number_step step, const PGresult *res)
{
    bool has_row = PQntuples(res) == 1;
    switch (step) {
    case NUMBER_STORE:
        return has_row && atoi(PQgetvalue(res, 0, 0)) > 0 ? NUMBER_OK : NUMBER_TAKEN;
    case NUMBER_KEEP_ORDER:
        return has_row && strcmp(PQgetvalue(res, 0, 0), "t") == 0 ? NUMBER_OK : NUMBER_LOST;
    default:
        return has_row ? NUMBER_OK : NUMBER_LOST;
    }
}

static void on_written(PGresult *res, enum app_err err, const char *why, void *arg)
{
    struct write *w = arg;
    struct number_result r = {.outcome = NUMBER_UNAVAILABLE, .detail = why};
    if (err == APP_OK)
        r = (struct number_result){.outcome = outcome_of(w->step, res)};
    w->cb(&r, w->arg);
    free(w);
}

/* The texts a step's statements bind, alive until pg_conn_transaction has copied them. */
struct write_params {
    char lease[24], attempts[24], wait[24];
    const char *v[5];
};

/* Fills stmts with the statements of o's step; returns how many (1 or 2). */
static int statements_of(const struct number_order *o, const char *claimant, int lease_ms,
                         struct write_params *p, struct pg_stmt stmts[2])
{
    snprintf(p->lease, sizeof p->lease, "%d", lease_ms);
    snprintf(p->attempts, sizeof p->attempts, "%d", o->attempts);
    snprintf(p->wait, sizeof p->wait, "%lld", o->wait_ms);
    const char *const later[] = {o->request_id, claimant, p->attempts, p->wait, o->last_error};
    memcpy(p->v, later, sizeof later);      /* WAIT and FORGET; the others change it */
    const char *sql = o->step == NUMBER_FORGET ? forget_sql : wait_sql;
    int n = 5;
    switch (o->step) {
    case NUMBER_CHOOSE:
    case NUMBER_COUNT:
        p->v[2] = o->phone_number;
        p->v[3] = p->lease;
        sql = o->step == NUMBER_CHOOSE ? choose_sql : count_sql;
        n = 4;
        break;
    case NUMBER_KEEP_ORDER:
        p->v[2] = o->phone_number;
        p->v[3] = o->order_id;
        p->v[4] = p->lease;
        sql = keep_order_sql;
        break;
    case NUMBER_STORE:      /* (business, number), then (number) */
        p->v[0] = o->business_id;
        p->v[1] = o->phone_number;
        stmts[0] = (struct pg_stmt){store_sql, 2, p->v};
        stmts[1] = (struct pg_stmt){store_check_sql, 1, p->v + 1};
        return 2;
    case NUMBER_ACTIVATE:
        sql = activate_sql;
        n = 2;
        break;
    case NUMBER_FAIL:
        p->v[2] = o->failure_reason;
        p->v[3] = o->last_error;
        sql = fail_sql;
        n = 4;
        break;
    default:                /* WAIT, FORGET: the job writes no other step */
        break;
    }
    stmts[0] = (struct pg_stmt){sql, n, p->v};
    return 1;
}

void number_requests_write(struct pg_conn *pg, const struct number_order *o,
                           const char *claimant, int lease_ms, int timeout_ms,
                           number_written_fn cb, void *arg)
{
    struct write_params params;
    struct pg_stmt stmts[2];
    int n = statements_of(o, claimant, lease_ms, &params, stmts);
    struct write *w = xcalloc(1, sizeof *w);
    w->step = o->step;
    w->cb = cb;
    w->arg = arg;
    pg_conn_transaction(pg, o->business_id, stmts, n, timeout_ms, on_written, w);
}
