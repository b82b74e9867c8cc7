/* Unit tests for lib/billing/stripe_form.c: request bodies as Stripe's API decodes them. */
#include <stdlib.h>

#include "billing/stripe_form.h"
#include "check.h"

static void test_fields_are_joined_in_order_with_nesting_encoded(void)
{
    struct stripe_form f = STRIPE_FORM_INIT;
    stripe_form_add(&f, "mode", "subscription");
    stripe_form_add(&f, "line_items[0][price]", "price_123");
    stripe_form_add_int(&f, "line_items[0][quantity]", 1);
    char *body = stripe_form_take(&f);
    CHECK_STR_EQ(body, "mode=subscription&line_items%5B0%5D%5Bprice%5D=price_123"
                       "&line_items%5B0%5D%5Bquantity%5D=1");
    free(body);
}

static void test_values_that_would_break_the_form_are_escaped(void)
{
    struct stripe_form f = STRIPE_FORM_INIT;
    stripe_form_add(&f, "name", "Smith & Sons = plumbing+drains 100%");
    stripe_form_add(&f, "email", "o'neil@example.com");
    stripe_form_add(&f, "description", "caf\xc3\xa9\n");
    char *body = stripe_form_take(&f);
    CHECK_STR_EQ(body, "name=Smith%20%26%20Sons%20%3D%20plumbing%2Bdrains%20100%25"
                       "&email=o%27neil%40example.com&description=caf%C3%A9%0A");
    free(body);
}

static void test_a_missing_value_adds_nothing_and_an_empty_one_clears(void)
{
    struct stripe_form f = STRIPE_FORM_INIT;
    stripe_form_add(&f, "phone", NULL);
    char *none = stripe_form_take(&f);
    CHECK_STR_EQ(none, "");
    free(none);
    stripe_form_add(&f, "metadata[note]", "");
    stripe_form_add_int(&f, "amount", -5000);
    char *body = stripe_form_take(&f);
    CHECK_STR_EQ(body, "metadata%5Bnote%5D=&amount=-5000");
    free(body);
    stripe_form_free(&f);
}

int main(void)
{
    RUN(test_fields_are_joined_in_order_with_nesting_encoded);
    RUN(test_values_that_would_break_the_form_are_escaped);
    RUN(test_a_missing_value_adds_nothing_and_an_empty_one_clears);
    return check_summary();
}
