/* Unit tests for lib/billing/stripe_config.c: billing's settings from the environment. */
#include <stdlib.h>
#include <string.h>

#include "billing/stripe_config.h"
#include "check.h"

static void clear_env(void)
{
    const char *names[] = {"FRONTDESK_STRIPE_API_URL", "FRONTDESK_STRIPE_SECRET_KEY",
                           "FRONTDESK_STRIPE_WEBHOOK_SECRET", "FRONTDESK_STRIPE_PRICE_MONTHLY",
                           "FRONTDESK_STRIPE_PRICE_BOOKING", "FRONTDESK_STRIPE_METER_EVENT",
                           "FRONTDESK_BILLING_GRACE_DAYS"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        unsetenv(names[i]);
}

static void test_nothing_set_is_billing_off_with_stripes_defaults(void)
{
    struct stripe_config c;
    char why[256] = "";
    clear_env();
    CHECK(stripe_config_load(&c, why, sizeof why) == APP_OK);
    CHECK(!stripe_billing_is_on(&c));
    CHECK_STR_EQ(c.api_url, "https://api.stripe.com");
    CHECK_STR_EQ(c.meter_event, "ai_booking");
    CHECK_STR_EQ(c.webhook_secret, "");
    CHECK_INT_EQ(c.grace_days, 7);
}

static void test_everything_set_is_read_and_the_url_loses_its_slash(void)
{
    struct stripe_config c;
    char why[256] = "";
    clear_env();
    setenv("FRONTDESK_STRIPE_API_URL", "http://127.0.0.1:12111/", 1);
    setenv("FRONTDESK_STRIPE_SECRET_KEY", "sk_test_abc", 1);
    setenv("FRONTDESK_STRIPE_WEBHOOK_SECRET", "whsec_xyz", 1);
    setenv("FRONTDESK_STRIPE_PRICE_MONTHLY", "price_month", 1);
    setenv("FRONTDESK_STRIPE_PRICE_BOOKING", "price_booking", 1);
    setenv("FRONTDESK_STRIPE_METER_EVENT", "bookings", 1);
    setenv("FRONTDESK_BILLING_GRACE_DAYS", "0", 1);
    CHECK(stripe_config_load(&c, why, sizeof why) == APP_OK);
    CHECK(stripe_billing_is_on(&c));
    CHECK_STR_EQ(c.api_url, "http://127.0.0.1:12111");
    CHECK_STR_EQ(c.secret_key, "sk_test_abc");
    CHECK_STR_EQ(c.webhook_secret, "whsec_xyz");
    CHECK_STR_EQ(c.price_monthly, "price_month");
    CHECK_STR_EQ(c.price_booking, "price_booking");
    CHECK_STR_EQ(c.meter_event, "bookings");
    CHECK_INT_EQ(c.grace_days, 0);
    clear_env();
}

/* Each refusal names its variable and never echoes a key. */
static void test_bad_values_are_refused_by_name_without_the_secret(void)
{
    static const struct {
        const char *name, *value;
    } bad[] = {
        {"FRONTDESK_STRIPE_API_URL", "ftp://stripe"},
        {"FRONTDESK_STRIPE_API_URL", "https://"},
        {"FRONTDESK_STRIPE_API_URL", "https://user:hunter22@api.stripe.com/v 1"},
        {"FRONTDESK_STRIPE_SECRET_KEY", "pk_test_hunter22"},
        {"FRONTDESK_STRIPE_SECRET_KEY", "sk_test_hunter22 x"},
        {"FRONTDESK_STRIPE_WEBHOOK_SECRET", "whsec_hunter22\n"},
        {"FRONTDESK_STRIPE_METER_EVENT", "ai booking"},
        {"FRONTDESK_BILLING_GRACE_DAYS", "91"},
        {"FRONTDESK_BILLING_GRACE_DAYS", "seven"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct stripe_config c;
        char why[256] = "";
        clear_env();
        setenv(bad[i].name, bad[i].value, 1);
        CHECK(stripe_config_load(&c, why, sizeof why) == APP_EINVAL);
        CHECK(strncmp(why, bad[i].name, strlen(bad[i].name)) == 0);
        CHECK(strstr(why, "hunter22") == NULL);
    }
    clear_env();
}

int main(void)
{
    RUN(test_nothing_set_is_billing_off_with_stripes_defaults);
    RUN(test_everything_set_is_read_and_the_url_loses_its_slash);
    RUN(test_bad_values_are_refused_by_name_without_the_secret);
    return check_summary();
}
