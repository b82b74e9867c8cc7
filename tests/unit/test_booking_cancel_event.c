/* tests/unit/test_booking_cancel_event.c: the event by which the owner API asks the owning
 * worker to cancel a booking (lib/booking/booking_cancel_event.c): its ids, its body as
 * the worker reads it back, and as the call runner's common decoder reads it. */
#include "check.h"

#include "booking/booking_cancel_event.h"
#include "call/call_event.h"

#define BOOKING "5F1D7C0E-0000-4000-8000-000000000001"
#define BOOKING_LOWER "5f1d7c0e-0000-4000-8000-000000000001"
#define OTHER "5f1d7c0e-0000-4000-8000-000000000002"
#define AT "2026-03-03T15:00:00Z"

static struct booking_cancel_event cleaning(void)
{
    struct booking_cancel_event e = {.start_ms = 1772636400000, .end_ms = 1772640000000};
    snprintf(e.booking_id, sizeof e.booking_id, "%s", BOOKING_LOWER);
    snprintf(e.service, sizeof e.service, "Cleaning");
    snprintf(e.caller, sizeof e.caller, "+15550003001");
    snprintf(e.business_number, sizeof e.business_number, "+12125550100");
    return e;
}

static void test_the_event_id_is_the_bookings_alone(void)
{
    char a[37], b[37], c[37], call[BOOKING_CANCEL_CALL_MAX];
    booking_cancel_event_id(a, BOOKING_LOWER);
    booking_cancel_event_id(b, BOOKING_LOWER);
    booking_cancel_event_id(c, OTHER);
    CHECK_STR_EQ(a, b);                 /* asked twice: de-duplicated */
    CHECK(strcmp(a, c) != 0);
    CHECK_INT_EQ(strlen(a), 36);
    booking_cancel_event_call(call, BOOKING_LOWER);
    CHECK_STR_EQ(call, "owner:" BOOKING_LOWER);
}

static void test_a_body_reads_back_as_it_was_packed(void)
{
    struct booking_cancel_event e = cleaning(), back;
    char body[BOOKING_CANCEL_BODY_MAX];
    const char *why = NULL;
    size_t len = booking_cancel_event_pack(&e, AT, body, sizeof body);
    CHECK(len > 0);
    CHECK_INT_EQ(booking_cancel_event_decode(body, len, &back, &why), APP_OK);
    CHECK_STR_EQ(back.booking_id, BOOKING_LOWER);
    CHECK_STR_EQ(back.service, "Cleaning");
    CHECK_INT_EQ(back.start_ms, 1772636400000);
    CHECK_INT_EQ(back.end_ms, 1772640000000);
    CHECK_STR_EQ(back.caller, "+15550003001");
    CHECK_STR_EQ(back.business_number, "+12125550100");
}

static void test_the_common_fields_are_those_of_every_event(void)
{
    struct booking_cancel_event e = cleaning();
    struct call_event ce;
    char body[BOOKING_CANCEL_BODY_MAX], eid[37];
    const char *why = NULL;
    size_t len = booking_cancel_event_pack(&e, AT, body, sizeof body);
    booking_cancel_event_id(eid, BOOKING_LOWER);
    CHECK_INT_EQ(call_event_decode(body, len, &ce, &why), APP_OK);
    CHECK_STR_EQ(ce.type, BOOKING_CANCEL_EVENT_TYPE);
    CHECK_STR_EQ(ce.eid, eid);
    CHECK_STR_EQ(ce.at, AT);
    CHECK_STR_EQ(ce.from, "+15550003001");
    CHECK_STR_EQ(ce.to, "+12125550100");     /* the number texts go from */
}

static void test_a_booking_id_in_capitals_is_made_canonical(void)
{
    struct booking_cancel_event e = cleaning(), back;
    char body[BOOKING_CANCEL_BODY_MAX];
    const char *why = NULL;
    snprintf(e.booking_id, sizeof e.booking_id, "%s", BOOKING);
    size_t len = booking_cancel_event_pack(&e, AT, body, sizeof body);
    CHECK_INT_EQ(booking_cancel_event_decode(body, len, &back, &why), APP_OK);
    CHECK_STR_EQ(back.booking_id, BOOKING_LOWER);
}

static void test_bodies_that_are_not_a_cancellation_are_refused(void)
{
    struct booking_cancel_event e = cleaning(), back;
    char body[BOOKING_CANCEL_BODY_MAX];
    const char *why = NULL;
    CHECK_INT_EQ(booking_cancel_event_decode("\xc0", 1, &back, &why), APP_EINVAL);
    CHECK_STR_EQ(why, "event body is not a MessagePack map");
    snprintf(e.booking_id, sizeof e.booking_id, "not a uuid");
    size_t len = booking_cancel_event_pack(&e, AT, body, sizeof body);
    CHECK_INT_EQ(booking_cancel_event_decode(body, len, &back, &why), APP_EINVAL);
    CHECK_STR_EQ(why, "booking cancellation without a booking id");
    e = cleaning();
    e.end_ms = e.start_ms;
    len = booking_cancel_event_pack(&e, AT, body, sizeof body);
    CHECK_INT_EQ(booking_cancel_event_decode(body, len, &back, &why), APP_EINVAL);
    CHECK_STR_EQ(why, "booking cancellation without its service or times");
    e = cleaning();
    snprintf(e.caller, sizeof e.caller, "+1555x");
    len = booking_cancel_event_pack(&e, AT, body, sizeof body);
    for (size_t i = 0; i + 6 <= len; i++)
        if (memcmp(body + i, "+1555x", 6) == 0)
            body[i + 5] = '\0';        /* "+1555\u0000" */
    CHECK_INT_EQ(booking_cancel_event_decode(body, len, &back, &why), APP_EINVAL);
    CHECK_STR_EQ(why, "booking cancellation with U+0000 in its text");
    /* a call's event is not one */
    const char call_body[] = "\x81\xa4type\xae" "call.initiated";
    CHECK_INT_EQ(booking_cancel_event_decode(call_body, sizeof call_body - 1, &back, &why),
                 APP_EINVAL);
    CHECK_STR_EQ(why, "event body is not a booking cancellation");
}

static void test_a_body_asking_for_more_than_it_holds_is_refused_unread(void)
{
    struct booking_cancel_event back;
    const char *why = NULL;
    CHECK_INT_EQ(booking_cancel_event_decode("\xdd\xff\xff\xff\xff", 5, &back, &why), APP_EINVAL);
    CHECK_STR_EQ(why, "event body is not a MessagePack map");
}

static void test_a_body_that_does_not_fit_is_not_packed(void)
{
    struct booking_cancel_event e = cleaning();
    char body[16];
    CHECK_INT_EQ(booking_cancel_event_pack(&e, AT, body, sizeof body), 0);
}

int main(void)
{
    RUN(test_the_event_id_is_the_bookings_alone);
    RUN(test_a_body_reads_back_as_it_was_packed);
    RUN(test_the_common_fields_are_those_of_every_event);
    RUN(test_a_booking_id_in_capitals_is_made_canonical);
    RUN(test_bodies_that_are_not_a_cancellation_are_refused);
    RUN(test_a_body_asking_for_more_than_it_holds_is_refused_unread);
    RUN(test_a_body_that_does_not_fit_is_not_packed);
    return check_summary();
}
