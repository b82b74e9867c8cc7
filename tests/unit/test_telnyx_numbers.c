/* tests/unit/test_telnyx_numbers.c: lib/telnyx/telnyx_numbers.c: the number search's query,
 * the order's body, and the answers read back, from bodies shaped as the spec's examples. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "telnyx/telnyx_numbers.h"

static void test_the_search_asks_for_local_us_numbers_with_voice_and_sms_in_the_area_code(void)
{
    const struct telnyx_number_search q = {.area_code = "312", .limit = 5};
    char *query = telnyx_numbers_search_query(&q);
    CHECK_STR_EQ(query, "filter[country_code]=US&filter[national_destination_code]=312"
                        "&filter[phone_number_type]=local&filter[features][]=voice"
                        "&filter[features][]=sms&filter[limit]=5");
    free(query);
}

static void test_a_search_without_an_area_code_has_no_area_filter(void)
{
    const struct telnyx_number_search q = {.area_code = NULL, .limit = 10};
    char *query = telnyx_numbers_search_query(&q);
    CHECK(query != NULL && strstr(query, "national_destination_code") == NULL);
    CHECK(query != NULL && strstr(query, "filter[limit]=10") != NULL);
    free(query);
}

static void test_a_search_refuses_what_is_no_area_code_or_a_bad_limit(void)
{
    static const char *const bad[] = {"12", "1234", "112", "31a", "", "3 2"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const struct telnyx_number_search q = {.area_code = bad[i], .limit = 5};
        CHECK(telnyx_numbers_search_query(&q) == NULL);
    }
    const struct telnyx_number_search zero = {.area_code = "312", .limit = 0};
    const struct telnyx_number_search many = {.area_code = "312", .limit = 101};
    CHECK(telnyx_numbers_search_query(&zero) == NULL);
    CHECK(telnyx_numbers_search_query(&many) == NULL);
}

static void test_the_order_body_names_the_number_the_ids_and_the_reference(void)
{
    const struct telnyx_number_order_spec o = {
        .phone_number = "+13125550123", .connection_id = "1494404757140276705",
        .messaging_profile_id = "abc85f64-5717-4562-b3fc-2c9600000000",
        .customer_reference = "frontdesk-request-6f1c",
    };
    const char *why = NULL;
    char *body = telnyx_numbers_order_body(&o, &why);
    json_t *root = json_loads(body != NULL ? body : "", 0, NULL);
    CHECK(root != NULL);
    CHECK_STR_EQ(json_string_value(json_object_get(json_array_get(json_object_get(root, "phone_numbers"), 0),
                                                   "phone_number")), "+13125550123");
    CHECK_INT_EQ(json_array_size(json_object_get(root, "phone_numbers")), 1);
    CHECK_STR_EQ(json_string_value(json_object_get(root, "connection_id")), "1494404757140276705");
    CHECK_STR_EQ(json_string_value(json_object_get(root, "messaging_profile_id")),
                 "abc85f64-5717-4562-b3fc-2c9600000000");
    CHECK_STR_EQ(json_string_value(json_object_get(root, "customer_reference")), "frontdesk-request-6f1c");
    json_decref(root);
    free(body);
}

static void test_an_order_leaves_out_ids_not_given_and_refuses_a_bad_number(void)
{
    struct telnyx_number_order_spec o = {.phone_number = "+13125550123", .connection_id = "",
                                         .customer_reference = "r"};
    const char *why = NULL;
    char *body = telnyx_numbers_order_body(&o, &why);
    CHECK(body != NULL && strstr(body, "connection_id") == NULL);
    CHECK(body != NULL && strstr(body, "messaging_profile_id") == NULL);
    free(body);
    o.phone_number = "3125550123";
    CHECK(telnyx_numbers_order_body(&o, &why) == NULL);
    CHECK(why != NULL && strstr(why, "E.164") != NULL);
    o.phone_number = "+13125550123";
    o.customer_reference = NULL;
    CHECK(telnyx_numbers_order_body(&o, &why) == NULL);
    o.customer_reference = "\xff\xfe";
    CHECK(telnyx_numbers_order_body(&o, &why) == NULL);
}

#define SEARCH_ANSWER                                                                     \
    "{\"data\":["                                                                         \
    "{\"phone_number\":\"+13125550101\",\"record_type\":\"available_phone_number\","      \
    "\"features\":[{\"name\":\"sms\"},{\"name\":\"voice\"}]},"                              \
    "{\"phone_number\":\"+13125550102\",\"features\":[{\"name\":\"voice\"}]},"             \
    "{\"phone_number\":\"3125550103\",\"features\":[{\"name\":\"sms\"},{\"name\":\"voice\"}]}," \
    "{\"phone_number\":\"+13125550104\"},"                                                \
    "{\"phone_number\":\"+13125550105\",\"features\":[{\"name\":\"voice\"},{\"name\":\"sms\"},{\"name\":\"mms\"}]}" \
    "],\"meta\":{\"total_results\":5,\"best_effort_results\":0}}"

static void test_a_search_answer_gives_the_e164_numbers_with_voice_and_sms_in_order(void)
{
    char found[8][TELNYX_NUMBER_MAX];
    int n = telnyx_numbers_read_search(SEARCH_ANSWER, strlen(SEARCH_ANSWER), found, 8);
    CHECK_INT_EQ(n, 3);
    if (n == 3) {
        CHECK_STR_EQ(found[0], "+13125550101");
        CHECK_STR_EQ(found[1], "+13125550104");     /* no features: the filter's word */
        CHECK_STR_EQ(found[2], "+13125550105");
    }
    CHECK_INT_EQ(telnyx_numbers_read_search(SEARCH_ANSWER, strlen(SEARCH_ANSWER), found, 1), 1);
}

static void test_an_empty_search_answer_is_zero_and_a_strange_one_is_minus_one(void)
{
    char found[2][TELNYX_NUMBER_MAX];
    const char *empty = "{\"data\":[],\"meta\":{\"total_results\":0}}";
    CHECK_INT_EQ(telnyx_numbers_read_search(empty, strlen(empty), found, 2), 0);
    CHECK_INT_EQ(telnyx_numbers_read_search("{}", 2, found, 2), -1);
    CHECK_INT_EQ(telnyx_numbers_read_search("nope", 4, found, 2), -1);
}

static void test_an_order_answer_gives_its_id_status_and_number(void)
{
    const char *body = "{\"data\":{\"id\":\"12ade33a-21c0-473b-b055-b3c836e1c292\",\"status\":\"pending\","
                       "\"record_type\":\"number_order\",\"phone_numbers_count\":1,"
                       "\"phone_numbers\":[{\"id\":\"dc8e4d67-33a0-4cbb-af74-7b58f05bd494\","
                       "\"phone_number\":\"+13125550101\",\"status\":\"pending\"}]}}";
    struct telnyx_number_order o;
    CHECK(telnyx_numbers_read_order(body, strlen(body), &o));
    CHECK_STR_EQ(o.id, "12ade33a-21c0-473b-b055-b3c836e1c292");
    CHECK_INT_EQ(o.status, TELNYX_ORDER_PENDING);
    CHECK_STR_EQ(o.phone_number, "+13125550101");
    const char *done = "{\"data\":{\"id\":\"x\",\"status\":\"success\"}}";
    CHECK(telnyx_numbers_read_order(done, strlen(done), &o));
    CHECK_INT_EQ(o.status, TELNYX_ORDER_SUCCESS);
    CHECK_STR_EQ(o.phone_number, "");
    const char *failed = "{\"data\":{\"id\":\"x\",\"status\":\"failure\"}}";
    CHECK(telnyx_numbers_read_order(failed, strlen(failed), &o));
    CHECK_INT_EQ(o.status, TELNYX_ORDER_FAILURE);
}

static void test_an_order_answer_without_id_or_with_an_unknown_status_is_refused(void)
{
    static const char *const bad[] = {
        "{\"data\":{\"status\":\"pending\"}}",
        "{\"data\":{\"id\":\"\",\"status\":\"pending\"}}",
        "{\"data\":{\"id\":\"x\",\"status\":\"done\"}}",
        "{\"data\":{\"id\":\"x\"}}",
        "{\"errors\":[{\"code\":\"10007\",\"title\":\"Unexpected error\"}]}",
        "",
    };
    struct telnyx_number_order o;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(!telnyx_numbers_read_order(bad[i], strlen(bad[i]), &o));
}

int main(void)
{
    RUN(test_the_search_asks_for_local_us_numbers_with_voice_and_sms_in_the_area_code);
    RUN(test_a_search_without_an_area_code_has_no_area_filter);
    RUN(test_a_search_refuses_what_is_no_area_code_or_a_bad_limit);
    RUN(test_the_order_body_names_the_number_the_ids_and_the_reference);
    RUN(test_an_order_leaves_out_ids_not_given_and_refuses_a_bad_number);
    RUN(test_a_search_answer_gives_the_e164_numbers_with_voice_and_sms_in_order);
    RUN(test_an_empty_search_answer_is_zero_and_a_strange_one_is_minus_one);
    RUN(test_an_order_answer_gives_its_id_status_and_number);
    RUN(test_an_order_answer_without_id_or_with_an_unknown_status_is_refused);
    return check_summary();
}
