/* Unit tests for the receptionist of a business that takes no bookings now (its billing,
 * docs/billing.md "States"): the worker hands it the configuration with booking disabled
 * and a context that says bookings are paused (workers/billing_gate.c). Callers are
 * still answered and can leave a message; a booking or a move is declined kindly and
 * no tool that books is asked for. */
#include "rx_call.h"

#define PAUSED "I can't book appointments today, but I can take a message"

static struct agent_config without_bookings;

/* A call to the dental clinic on Tuesday at 10:00, its bookings paused. */
static void start_paused(struct call *c)
{
    call_start(c, DENTAL, "2026-03-03 10:00");
    without_bookings = *bizzes[DENTAL];
    without_bookings.booking.is_enabled = false;
    c->ctx.config = &without_bookings;
    c->ctx.is_booking_paused = true;
    greet(c);
}

static void test_a_booking_is_declined_with_a_message_offered(void)
{
    struct call c;
    start_paused(&c);
    const char *reply = say(&c, "I'd like to book a cleaning tomorrow at 10 in the morning");
    CHECK(strstr(reply, PAUSED) != NULL);
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
    reply = say(&c, "yes please");
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
    CHECK(c.mem.task == RX_TASK_MESSAGE);               /* the message is under way */
    CHECK(strstr(reply, "book") == NULL);
}

static void test_a_move_is_declined_and_the_booking_kept(void)
{
    struct call c;
    start_paused(&c);
    const char *reply = say(&c, "hi i need to move my appointment");
    CHECK(strstr(reply, "I can't change appointments today") != NULL);
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
    CHECK(c.mem.task == RX_TASK_NONE);
}

static void test_questions_are_still_answered_and_nothing_offers_a_booking(void)
{
    struct call c;
    start_paused(&c);
    const char *reply = say(&c, "how much is a cleaning?");
    CHECK(strstr(reply, "$") != NULL);
    CHECK(strstr(reply, "book") == NULL);                /* no "shall I book you in?" */
    CHECK(c.out.tool.tool == RX_TOOL_NONE);
}

static void test_the_same_call_unpaused_books_as_before(void)
{
    struct call c;
    call_start(&c, DENTAL, "2026-03-03 10:00");
    greet(&c);
    const char *reply = say(&c, "I'd like to book a cleaning tomorrow at 10 in the morning");
    CHECK(strstr(reply, PAUSED) == NULL);
    CHECK(c.out.tool.tool == RX_TOOL_CHECK_AVAILABILITY || c.out.tool.tool == RX_TOOL_BOOK ||
          c.mem.task == RX_TASK_BOOKING);
}

int main(void)
{
    if (!rx_load_examples())
        return 1;
    RUN(test_a_booking_is_declined_with_a_message_offered);
    RUN(test_a_move_is_declined_and_the_booking_kept);
    RUN(test_questions_are_still_answered_and_nothing_offers_a_booking);
    RUN(test_the_same_call_unpaused_books_as_before);
    rx_free_examples();
    return check_summary();
}
