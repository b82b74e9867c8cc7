/* Unit tests for the pure parts of lib/owner/billing_query.c: the sentence an owner sees
 * for each billing state (none when nothing needs doing), and which businesses a new
 * Checkout would give a second subscription. */
#include <string.h>

#include "check.h"
#include "owner/billing_query.h"

static void test_no_banner_while_nothing_needs_doing(void)
{
    char buf[320];
    CHECK(billing_banner("none", false, NULL, buf, sizeof buf) == NULL);
    CHECK(billing_banner("active", false, NULL, buf, sizeof buf) == NULL);
}

static void test_past_due_names_the_last_day_of_the_grace(void)
{
    char buf[320];
    const char *text = billing_banner("past_due", false, "December 5, 2026", buf, sizeof buf);
    CHECK(text != NULL && strstr(text, "Update your card by December 5, 2026") != NULL);
}

static void test_past_the_grace_unpaid_and_canceled_say_bookings_stopped(void)
{
    char buf[320];
    const char *over = billing_banner("past_due", true, "December 5, 2026", buf, sizeof buf);
    CHECK(over != NULL && strstr(over, "no longer books appointments") != NULL);
    const char *unpaid = billing_banner("unpaid", false, NULL, buf, sizeof buf);
    CHECK(unpaid != NULL && strstr(unpaid, "unpaid") != NULL);
    const char *canceled = billing_banner("canceled", false, NULL, buf, sizeof buf);
    CHECK(canceled != NULL && strstr(canceled, "Subscribe again") != NULL);
}

static void test_subscribed_states_are_the_ones_checkout_would_double(void)
{
    CHECK(billing_state_is_subscribed("active"));
    CHECK(billing_state_is_subscribed("past_due"));
    CHECK(billing_state_is_subscribed("unpaid"));
    CHECK(!billing_state_is_subscribed("none"));
    CHECK(!billing_state_is_subscribed("canceled"));
}

static void test_a_subscription_bound_before_its_state_moved_is_live(void)
{
    struct billing_account a = {.state = "none", .has_subscription = true};
    CHECK(billing_account_has_live_subscription(&a));
    a.has_subscription = false;
    CHECK(!billing_account_has_live_subscription(&a));
    struct billing_account ended = {.state = "canceled", .has_subscription = true};
    CHECK(!billing_account_has_live_subscription(&ended));
}

int main(void)
{
    RUN(test_no_banner_while_nothing_needs_doing);
    RUN(test_past_due_names_the_last_day_of_the_grace);
    RUN(test_past_the_grace_unpaid_and_canceled_say_bookings_stopped);
    RUN(test_subscribed_states_are_the_ones_checkout_would_double);
    RUN(test_a_subscription_bound_before_its_state_moved_is_live);
    return check_summary();
}
