/* web/route_booking_cancel.c: POST /api/v1/bookings/{id}/cancel (owners and staff).
 *
 * The owning worker is the only writer of a business's booking state in Redis (fenced
 * by its lease) and the only sender of its texts, so the web does not cancel by itself:
 * it asks that worker, through the business's stream, to run the cancellation a caller
 * runs by phone (workers/booking_cancel.c). In stages:
 *   1. database: the booking, in the session's business (lib/owner/booking_cancel.h):
 *      none, or another business's: 404; cancelled already: 200 with it as it is;
 *      started (on the business clock): 409; otherwise the event that asks for it;
 *   2. loop: the owner.booking_cancel event on the business's stream, de-duplicated on
 *      the booking (asked twice, it is cancelled once); Redis failing is 503, and nothing
 *      has changed;
 *   3. database, again every CANCEL_POLL_MS up to CANCEL_WAIT_MS: the worker frees the
 *      places, queues the record and the caller's text; the row reads cancelled once
 *      the outbox drains (within a second as a rule): 200 with the booking. Still
 *      booked after the wait (no worker has the business yet, PostgreSQL is slow): 202
 *      with the booking and "status": "cancelling", which it will be. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "calendar/wall_clock.h"
#include "owner/booking_cancel.h"
#include "routes.h"
#include "store/tenant_keys.h"

#define CANCEL_POLL_MS 200
#define CANCEL_WAIT_MS 2000

static const char *const no_fields[] = {NULL};

/* The booking the request names, or an answer: 404 for an id that is not a booking of
 * the session's business, whatever the reason. False when out is answered. */
static bool find_booking(PGconn *conn, const struct web_request *req,
                         const struct web_session *session, struct owner_booking *b,
                         struct web_result *out)
{
    const char *id = web_param(req, "id");
    char why[512];
    json_t *errors = json_array();
    web_body_only(req, no_fields, errors);
    if (web_reject_invalid(out, errors))
        return false;
    if (id == NULL || !uuid_is_valid(id, strlen(id))) {
        web_problem(out, 404, "No such booking.");
        return false;
    }
    enum app_err err = owner_booking_find(conn, session->business_id, id,
                                          wall_clock_now_ms(req->clock), b, why, sizeof why);
    if (err != APP_OK)
        web_fail(out, err, why);
    return err == APP_OK;
}

static void event_of(const struct owner_booking *b, struct web_event *ev)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    memset(ev, 0, sizeof *ev);
    snprintf(ev->type, sizeof ev->type, "%s", BOOKING_CANCEL_EVENT_TYPE);
    booking_cancel_event_id(ev->eid, b->event.booking_id);
    booking_cancel_event_call(ev->call, b->event.booking_id);
    strftime(ev->at, sizeof ev->at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    ev->body_len = booking_cancel_event_pack(&b->event, ev->at, ev->body, sizeof ev->body);
}

/* Stage 3: cancelled yet? */
static void cancel_wait(PGconn *conn, const struct web_request *req,
                        const struct web_session *session, struct web_result *out)
{
    struct owner_booking b;
    if (!find_booking(conn, req, session, &b, out))
        return;
    if (b.state == OWNER_BOOKING_CANCELLED) {
        web_ok(out, 200, json_incref(b.json));
    } else if (req->waits < CANCEL_WAIT_MS / CANCEL_POLL_MS) {
        web_then_wait(out, CANCEL_POLL_MS, cancel_wait);
    } else {
        json_object_set_new(b.json, "status", json_string("cancelling"));
        web_ok(out, 202, json_incref(b.json));
    }
    owner_booking_cleanup(&b);
}

/* Stage 1. */
void route_booking_cancel(PGconn *conn, const struct web_request *req,
                          const struct web_session *session, struct web_result *out)
{
    struct owner_booking b;
    struct web_event ev;
    if (!find_booking(conn, req, session, &b, out))
        return;
    switch (b.state) {
    case OWNER_BOOKING_CANCELLED:
        web_ok(out, 200, json_incref(b.json));
        break;
    case OWNER_BOOKING_STARTED:
        web_problem(out, 409, "The booking has started; only a booking still ahead can be "
                              "cancelled.");
        break;
    case OWNER_BOOKING_AHEAD:
        event_of(&b, &ev);
        if (ev.body_len == 0)
            web_fail(out, APP_EINTERNAL, "the cancellation event does not fit");
        else
            web_then_enqueue(out, &ev, cancel_wait);
        break;
    }
    owner_booking_cleanup(&b);
}
