/* Unit tests of lib/agent_config: every rule of the format refuses a bad document with
 * an error that names the field's path; the documented examples and the default of a
 * new business are valid; the lookups the receptionist uses. Run from the repository
 * root (the examples are read from docs/examples/). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"
#include "agent/agent_config_rules.h"
#include "check.h"
#include "example_config.h"

#define HOURS_CLOSED "\"mon\":[],\"tue\":[],\"wed\":[],\"thu\":[],\"fri\":[],\"sat\":[],\"sun\":[]"
#define HOURS_OPEN "\"mon\":[{\"open\":\"09:00\",\"close\":\"17:00\"}],\"tue\":[],\"wed\":[]," \
                   "\"thu\":[],\"fri\":[],\"sat\":[],\"sun\":[]"
#define SERVICE "{\"name\":\"Cleaning\",\"duration_minutes\":60,\"price\":\"120.00\"}"

static char doc_buf[8192];

/* A minimal valid document with extra members (",\"k\":v", or "") appended. */
static const char *doc_with(const char *extra)
{
    snprintf(doc_buf, sizeof doc_buf,
             "{\"config_version\":1,\"business_name\":\"Acme\",\"timezone\":\"America/New_York\","
             "\"hours\":{" HOURS_OPEN "}%s}", extra);
    return doc_buf;
}

/* A document whose hours are {hours}. */
static const char *doc_with_hours(const char *hours)
{
    snprintf(doc_buf, sizeof doc_buf,
             "{\"config_version\":1,\"business_name\":\"Acme\",\"timezone\":\"America/New_York\","
             "\"hours\":{%s}}", hours);
    return doc_buf;
}

/* Checks that json is refused with an error starting with why_prefix; 0 on success. */
static int refused(const char *json, const char *why_prefix)
{
    struct agent_config *c = (struct agent_config *)1;
    char why[256] = "";
    enum app_err err = agent_config_parse(json, strlen(json), &c, why, sizeof why);
    if (err != APP_EINVAL || c != NULL || strncmp(why, why_prefix, strlen(why_prefix)) != 0) {
        fprintf(stderr, "  expected '%s...', got err %d: '%s'\n", why_prefix, (int)err, why);
        agent_config_free(err == APP_OK ? c : NULL);
        return 1;
    }
    return 0;
}

static struct agent_config *parsed(const char *json)
{
    struct agent_config *c = NULL;
    char why[256] = "";
    if (agent_config_parse(json, strlen(json), &c, why, sizeof why) != APP_OK)
        fprintf(stderr, "  unexpected error: %s\n", why);
    return c;
}

/* ---- the examples and the default ---- */

static void test_dental_clinic_example_is_valid_and_finds_services_by_alias(void)
{
    struct agent_config *c = example_config("dental-clinic.json");
    CHECK(c != NULL);
    if (c == NULL)
        return;
    const struct agent_service *s = agent_config_find_service(c, "  Teeth   CLEANING ", 19);
    CHECK(s != NULL && strcmp(s->name, "Cleaning") == 0);
    CHECK(s != NULL && s->has_price && s->price_minor == 12000);
    CHECK(s != NULL && s->nupsells == 2 && strcmp(c->services[s->upsells[0]].name, "Whitening") == 0);
    CHECK(agent_config_find_service(c, "root canal", 10) == NULL);
    CHECK(c->tone == AGENT_TONE_FORMAL);
    CHECK(c->booking.is_enabled && c->booking.capacity_per_slot == 2);
    const char *reason = NULL;
    CHECK(agent_config_is_closed_on(c, 2025, 12, 25, &reason));
    CHECK_STR_EQ(reason, "Christmas Day");
    CHECK(!agent_config_is_closed_on(c, 2025, 12, 24, NULL));
    CHECK(c->notify_on == (AGENT_NOTIFY_BOOKING | AGENT_NOTIFY_MESSAGE | AGENT_NOTIFY_ESCALATION));
    CHECK(agent_config_policy(c, "cancellation") != NULL);
    CHECK(agent_config_policy(c, "refunds") == NULL);
    agent_config_free(c);
}

static void test_hair_salon_example_is_valid(void)
{
    struct agent_config *c = example_config("hair-salon.json");
    CHECK(c != NULL);
    if (c == NULL)
        return;
    CHECK_STR_EQ(c->timezone, "America/Chicago");
    CHECK(c->after_hours == AGENT_AFTER_HOURS_BOOKING_ONLY);
    CHECK(agent_config_hours(c, 1)->nranges == 0);         /* closed on Monday */
    const struct agent_service *s = agent_config_find_service(c, "wedding hair", 12);
    CHECK(s != NULL && !s->has_price && strcmp(s->price_text, "") == 0);
    CHECK(c->escalation.transfer_number == NULL);
    agent_config_free(c);
}

static void test_plumber_example_forwards_after_hours_in_its_own_time_zone(void)
{
    struct agent_config *c = example_config("plumber.json");
    CHECK(c != NULL);
    if (c == NULL)
        return;
    CHECK_STR_EQ(c->timezone, "America/Los_Angeles");
    CHECK(c->after_hours == AGENT_AFTER_HOURS_FORWARD);
    CHECK_STR_EQ(c->after_hours_forward_number, "+15105550188");
    bool has_emergency = false;
    for (size_t i = 0; i < c->escalation.nkeywords; i++)
        has_emergency = has_emergency || strcmp(c->escalation.keywords[i], "emergency") == 0;
    CHECK(has_emergency);
    CHECK_STR_EQ(c->escalation.transfer_number, "+15105550142");
    size_t nfaq = 0;
    CHECK(agent_config_faq(c, &nfaq) != NULL && nfaq == 3);
    agent_config_free(c);
}

static void test_default_document_is_valid_and_names_the_business(void)
{
    char *text = agent_config_default("Joe's Café \"Uptown\"");
    CHECK(text != NULL);
    struct agent_config *c = text ? parsed(text) : NULL;
    CHECK(c != NULL);
    if (c != NULL) {
        CHECK_STR_EQ(c->business_name, "Joe's Café \"Uptown\"");
        CHECK(strstr(c->greeting, "Joe's Café \"Uptown\"") != NULL);
        CHECK_STR_EQ(c->timezone, "America/New_York");
        CHECK(!c->booking.is_enabled);
        CHECK(c->hours[1].nranges == 1 && c->hours[1].ranges[0].open_minute == 9 * 60 &&
              c->hours[1].ranges[0].close_minute == 17 * 60);
        CHECK(c->hours[0].nranges == 0 && c->hours[6].nranges == 0);
        CHECK(c->after_hours == AGENT_AFTER_HOURS_TAKE_MESSAGE);
        agent_config_free(c);
    }
    free(text);
}

static void test_default_refuses_names_a_document_cannot_hold(void)
{
    char long_name[AGENT_BUSINESS_NAME_MAX + 2];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    CHECK(agent_config_default("") == NULL);
    CHECK(agent_config_default("   ") == NULL);
    CHECK(agent_config_default("Two\nLines") == NULL);
    CHECK(agent_config_default("\xff\xfe") == NULL);
    CHECK(agent_config_default(long_name) == NULL);
    long_name[AGENT_BUSINESS_NAME_MAX] = '\0';
    char *text = agent_config_default(long_name);
    struct agent_config *c = text ? parsed(text) : NULL;
    CHECK(c != NULL);
    agent_config_free(c);
    free(text);
}

static void test_a_minimal_document_gets_the_documented_defaults(void)
{
    struct agent_config *c = parsed(doc_with(""));
    CHECK(c != NULL);
    if (c == NULL)
        return;
    CHECK_STR_EQ(c->greeting, "Thank you for calling Acme. How can I help you today?");
    CHECK_STR_EQ(c->voice, "Telnyx.KokoroTTS.af");
    CHECK_STR_EQ(c->language, "en-US");
    CHECK(c->tone == AGENT_TONE_FRIENDLY);
    CHECK_STR_EQ(c->currency, "USD");
    CHECK(!c->has_address && c->nservices == 0 && c->nfaq == 0 && c->npolicies == 0);
    CHECK(!c->booking.is_enabled && c->booking.slot_minutes == 30 &&
          c->booking.lead_time_minutes == 60 && c->booking.max_days_ahead == 30 &&
          c->booking.capacity_per_slot == 1);
    CHECK(c->escalation.on_request && c->escalation.after_misunderstood_turns == 3 &&
          c->escalation.transfer_number == NULL);
    CHECK(c->after_hours == AGENT_AFTER_HOURS_TAKE_MESSAGE && c->owner_sms == NULL &&
          c->notify_on == 0);
    agent_config_free(c);
}

static void test_null_means_the_default(void)
{
    struct agent_config *c = parsed(doc_with(",\"greeting\":null,\"booking\":null,\"faq\":null"));
    CHECK(c != NULL);
    agent_config_free(c);
}

/* ---- the document and its identity ---- */

static void test_refuses_what_is_not_a_json_object(void)
{
    CHECK(refused("{\"config_version\":1,}", "document: is not valid JSON") == 0);
    CHECK(refused("[]", "document: must be a JSON object") == 0);
    CHECK(refused("", "document: is not valid JSON") == 0);
}

static void test_refuses_a_document_over_256_kib_as_too_big(void)
{
    size_t len = AGENT_CONFIG_DOC_MAX + 1;
    char *big = malloc(len);
    memset(big, ' ', len);
    struct agent_config *c = NULL;
    char why[256];
    CHECK(agent_config_parse(big, len, &c, why, sizeof why) == APP_ETOOBIG);
    CHECK(c == NULL && strncmp(why, "document: is 262145 bytes", 25) == 0);
    free(big);
}

static void test_refuses_unknown_and_repeated_top_level_fields(void)
{
    CHECK(refused(doc_with(",\"servces\":[]"), "servces: unknown field") == 0);
    CHECK(refused(doc_with(",\"business_name\":\"Other\""), "business_name: appears twice") == 0);
}

static void test_refuses_a_missing_or_unsupported_config_version(void)
{
    CHECK(refused("{\"business_name\":\"Acme\"}", "config_version: is required") == 0);
    CHECK(refused("{\"config_version\":2}", "config_version: must be between 1 and 1") == 0);
    CHECK(refused("{\"config_version\":\"1\"}", "config_version: must be a whole number") == 0);
    CHECK(refused("{\"config_version\":1.0}", "config_version: must be a whole number") == 0);
}

static void test_refuses_bad_names_and_greetings(void)
{
    char name[300];
    memset(name, 'x', sizeof name);
    CHECK(refused("{\"config_version\":1}", "business_name: is required") == 0);
    CHECK(refused("{\"config_version\":1,\"business_name\":\"  \"}",
                  "business_name: must not be empty") == 0);
    CHECK(refused("{\"config_version\":1,\"business_name\":7}", "business_name: must be a string") == 0);
    snprintf(doc_buf, sizeof doc_buf, "{\"config_version\":1,\"business_name\":\"%.201s\"}", name);
    CHECK(refused(doc_buf, "business_name: is longer than 200 characters") == 0);
    CHECK(refused(doc_with(",\"greeting\":\"Hi\\nthere\""), "greeting: must not contain control") == 0);
}

static void test_refuses_bad_voice_language_tone_currency(void)
{
    CHECK(refused(doc_with(",\"voice\":\"a voice\""), "voice: must be a voice name") == 0);
    CHECK(refused(doc_with(",\"language\":\"english\""), "language: must be a language tag") == 0);
    CHECK(refused(doc_with(",\"language\":\"en_US\""), "language: must be a language tag") == 0);
    CHECK(refused(doc_with(",\"tone\":\"grumpy\""),
                  "tone: must be one of \"friendly\", \"formal\", \"brief\"") == 0);
    CHECK(refused(doc_with(",\"currency\":\"usd\""), "currency: must be an ISO 4217") == 0);
    CHECK(refused(doc_with(",\"currency\":\"XYZ\""), "currency: must be an ISO 4217") == 0);
    struct agent_config *c = parsed(doc_with(",\"language\":\"es-419\",\"currency\":\"EUR\""));
    CHECK(c != NULL);
    agent_config_free(c);
}

static void test_refuses_a_time_zone_that_does_not_exist(void)
{
    CHECK(refused("{\"config_version\":1,\"business_name\":\"A\"}", "timezone: is required") == 0);
    CHECK(refused("{\"config_version\":1,\"business_name\":\"A\",\"timezone\":\"Mars/Olympus\"}",
                  "timezone: \"Mars/Olympus\" is not an IANA time zone") == 0);
    CHECK(refused("{\"config_version\":1,\"business_name\":\"A\",\"timezone\":\"../../etc/passwd\"}",
                  "timezone: ") == 0);
}

static void test_refuses_a_bad_address(void)
{
    CHECK(refused(doc_with(",\"address\":{\"city\":\"X\"}"), "address.street: is required") == 0);
    CHECK(refused(doc_with(",\"address\":{\"street\":\"1 A St\",\"city\":\"X\",\"zip\":\"1\"}"),
                  "address.zip: unknown field") == 0);
    CHECK(refused(doc_with(",\"address\":{\"street\":\"1 A St\",\"city\":\"X\",\"country\":\"us\"}"),
                  "address.country: must be an ISO 3166") == 0);
    CHECK(refused(doc_with(",\"address\":\"1 A St\""), "address: must be an object") == 0);
}

/* ---- hours and closures ---- */

static void test_refuses_missing_and_unknown_weekdays(void)
{
    CHECK(refused("{\"config_version\":1,\"business_name\":\"A\",\"timezone\":\"UTC\"}",
                  "hours: is required") == 0);
    CHECK(refused(doc_with_hours("\"mon\":[],\"tue\":[],\"wed\":[],\"thu\":[],\"fri\":[],\"sat\":[]"),
                  "hours.sun: is required (use [] for a day") == 0);
    CHECK(refused(doc_with_hours(HOURS_CLOSED ",\"monday\":[]"), "hours.monday: unknown field") == 0);
    CHECK(refused(doc_with_hours("\"mon\":{},\"tue\":[],\"wed\":[],\"thu\":[],\"fri\":[],\"sat\":[],\"sun\":[]"), "hours.mon: must be a list") == 0);
}

static void test_refuses_bad_opening_ranges(void)
{
    CHECK(refused(doc_with_hours("\"mon\":[{\"open\":\"9:00\",\"close\":\"17:00\"}],"
                                 "\"tue\":[],\"wed\":[],\"thu\":[],\"fri\":[],\"sat\":[],\"sun\":[]"),
                  "hours.mon[0].open: must be a time \"HH:MM\"") == 0);
    CHECK(refused(doc_with_hours("\"tue\":[],\"wed\":[],\"thu\":[],\"fri\":[],\"sat\":[],\"sun\":[],"
                                 "\"mon\":[{\"open\":\"24:00\",\"close\":\"24:00\"}]"),
                  "hours.mon[0].open: must be a time") == 0);
    CHECK(refused(doc_with_hours("\"tue\":[],\"wed\":[],\"thu\":[],\"fri\":[],\"sat\":[],\"sun\":[],"
                                 "\"mon\":[{\"open\":\"09:00\",\"close\":\"25:00\"}]"),
                  "hours.mon[0].close: must be a time") == 0);
    CHECK(refused(doc_with_hours("\"tue\":[],\"wed\":[],\"thu\":[],\"fri\":[],\"sat\":[],\"sun\":[],"
                                 "\"mon\":[{\"open\":\"18:00\",\"close\":\"02:00\"}]"),
                  "hours.mon[0]: closes before it opens") == 0);
    CHECK(refused(doc_with_hours("\"tue\":[],\"wed\":[],\"thu\":[],\"fri\":[],\"sat\":[],\"sun\":[],"
                                 "\"mon\":[{\"open\":\"09:00\",\"close\":\"13:00\"},"
                                 "{\"open\":\"12:00\",\"close\":\"17:00\"}]"),
                  "hours.mon[1]: must start at or after the previous range closes") == 0);
    CHECK(refused(doc_with_hours("\"tue\":[],\"wed\":[],\"thu\":[],\"fri\":[],\"sat\":[],\"sun\":[],"
                                 "\"mon\":[{\"open\":\"09:00\"}]"),
                  "hours.mon[0].close: is required") == 0);
}

static void test_open_at_honours_ranges_and_closures(void)
{
    struct agent_config *c = parsed(doc_with(",\"closures\":[{\"date\":\"2026-03-02\",\"reason\":\"Inventory\"}]"));
    CHECK(c != NULL);
    if (c == NULL)
        return;
    /* 2026-02-23 and 2026-03-02 are Mondays (wday 1). */
    CHECK(agent_config_is_open_at(c, 2026, 2, 23, 1, 9 * 60));
    CHECK(agent_config_is_open_at(c, 2026, 2, 23, 1, 17 * 60 - 1));
    CHECK(!agent_config_is_open_at(c, 2026, 2, 23, 1, 17 * 60));
    CHECK(!agent_config_is_open_at(c, 2026, 2, 23, 1, 8 * 60 + 59));
    CHECK(!agent_config_is_open_at(c, 2026, 3, 2, 1, 10 * 60));
    CHECK(!agent_config_is_open_at(c, 2026, 2, 24, 2, 10 * 60));
    CHECK(agent_config_hours(c, 7) == NULL && agent_config_hours(c, -1) == NULL);
    agent_config_free(c);
}

static void test_refuses_bad_closures(void)
{
    CHECK(refused(doc_with(",\"closures\":[{\"date\":\"2025-02-29\"}]"),
                  "closures[0].date: must be a date \"YYYY-MM-DD\"") == 0);
    CHECK(refused(doc_with(",\"closures\":[{\"date\":\"2025-12-25\"},{\"date\":\"2025-12-25\"}]"),
                  "closures[1].date: 2025-12-25 is listed twice") == 0);
    CHECK(refused(doc_with(",\"closures\":[{\"reason\":\"x\"}]"), "closures[0].date: is required") == 0);
    CHECK(refused(doc_with(",\"closures\":[\"2025-12-25\"]"), "closures[0]: must be an object") == 0);
    CHECK(refused(doc_with(",\"closures\":[{\"date\":\"2025-12-25\",\"why\":\"x\"}]"),
                  "closures[0].why: unknown field") == 0);
}

static void test_closures_are_found_in_any_order(void)
{
    struct agent_config *c = parsed(doc_with(",\"closures\":[{\"date\":\"2026-12-25\"},"
                                             "{\"date\":\"2024-02-29\"},{\"date\":\"2025-07-04\"}]"));
    CHECK(c != NULL);
    if (c == NULL)
        return;
    CHECK(agent_config_is_closed_on(c, 2024, 2, 29, NULL));
    CHECK(agent_config_is_closed_on(c, 2025, 7, 4, NULL));
    CHECK(agent_config_is_closed_on(c, 2026, 12, 25, NULL));
    CHECK(!agent_config_is_closed_on(c, 2026, 12, 26, NULL));
    agent_config_free(c);
}

/* ---- services ---- */

static void test_refuses_services_without_name_or_duration(void)
{
    CHECK(refused(doc_with(",\"services\":[{\"duration_minutes\":30}]"), "services[0].name: is required") == 0);
    CHECK(refused(doc_with(",\"services\":[" SERVICE ",{\"name\":\"X\"}]"),
                  "services[1].duration_minutes: is required") == 0);
    CHECK(refused(doc_with(",\"services\":[{\"name\":\"X\",\"duration_minutes\":0}]"),
                  "services[0].duration_minutes: must be between 5 and 1440") == 0);
    CHECK(refused(doc_with(",\"services\":[{\"name\":\"X\",\"duration_minutes\":30.5}]"),
                  "services[0].duration_minutes: must be a whole number") == 0);
    CHECK(refused(doc_with(",\"services\":[{\"name\":\"X\",\"duration_minutes\":-30}]"),
                  "services[0].duration_minutes: must be between") == 0);
    CHECK(refused(doc_with(",\"services\":[{\"name\":\"X\",\"duration_minutes\":30,\"prce\":\"1\"}]"),
                  "services[0].prce: unknown field") == 0);
    CHECK(refused(doc_with(",\"services\":{}"), "services: must be a list") == 0);
}

static void test_refuses_a_service_name_over_100_characters(void)
{
    char extra[512], name[102];
    memset(name, 'n', 101);
    name[101] = '\0';
    snprintf(extra, sizeof extra, ",\"services\":[{\"name\":\"%s\",\"duration_minutes\":30}]", name);
    CHECK(refused(doc_with(extra), "services[0].name: is longer than 100 characters") == 0);
}

static void test_refuses_names_and_aliases_used_twice(void)
{
    CHECK(refused(doc_with(",\"services\":[" SERVICE ",{\"name\":\"  cleaning \",\"duration_minutes\":30}]"),
                  "services[1].name: \"cleaning\" is already the name of services[0]") == 0);
    CHECK(refused(doc_with(",\"services\":[" SERVICE ",{\"name\":\"Deep\",\"duration_minutes\":30,"
                           "\"aliases\":[\"x\",\"CLEANING\"]}]"),
                  "services[1].aliases[1]: \"CLEANING\" is already the name of services[0]") == 0);
    CHECK(refused(doc_with(",\"services\":[{\"name\":\"A\",\"duration_minutes\":30,\"aliases\":[\"b\"]},"
                           "{\"name\":\"B\",\"duration_minutes\":30}]"),
                  "services[1].name: \"B\" is already an alias of services[0]") == 0);
    CHECK(refused(doc_with(",\"services\":[{\"name\":\"A\",\"duration_minutes\":30,\"aliases\":[\"a\"]}]"),
                  "services[0].aliases[0]: \"a\" is the service's own name") == 0);
    CHECK(refused(doc_with(",\"services\":[{\"name\":\"A\",\"duration_minutes\":30,\"aliases\":[\"b\",\"B\"]}]"),
                  "services[0].aliases[1]: \"B\" is listed twice") == 0);
}

static void test_prices_are_decimal_strings_in_the_currency_minor_unit(void)
{
    CHECK(refused(doc_with(",\"services\":[" SERVICE ",{\"name\":\"X\",\"duration_minutes\":30,\"price\":120}]"),
                  "services[1].price: must be a decimal string like \"120.00\"") == 0);
    CHECK(refused(doc_with(",\"services\":[{\"name\":\"X\",\"duration_minutes\":30,\"price\":\"12.345\"}]"),
                  "services[0].price: must be a decimal string") == 0);
    CHECK(refused(doc_with(",\"services\":[{\"name\":\"X\",\"duration_minutes\":30,\"price\":\"1,200\"}]"),
                  "services[0].price: ") == 0);
    CHECK(refused(doc_with(",\"services\":[{\"name\":\"X\",\"duration_minutes\":30,\"price\":\"-5\"}]"),
                  "services[0].price: ") == 0);
    CHECK(refused(doc_with(",\"services\":[{\"name\":\"X\",\"duration_minutes\":30,\"price\":\"12.\"}]"),
                  "services[0].price: ") == 0);
    CHECK(refused(doc_with(",\"services\":[{\"name\":\"X\",\"duration_minutes\":30,\"currency\":\"JPY\","
                           "\"price\":\"50.5\"}]"),
                  "services[0].price: must be a whole amount like \"5000\" (JPY has no minor unit)") == 0);
    CHECK(refused(doc_with(",\"services\":[{\"name\":\"X\",\"duration_minutes\":30,\"currency\":\"ABC\"}]"),
                  "services[0].currency: must be an ISO 4217") == 0);
    struct agent_config *c = parsed(doc_with(
        ",\"currency\":\"EUR\",\"services\":[{\"name\":\"A\",\"duration_minutes\":30,\"price\":\"120.5\"},"
        "{\"name\":\"B\",\"duration_minutes\":30,\"price\":\"5000\",\"currency\":\"JPY\"},"
        "{\"name\":\"C\",\"duration_minutes\":30,\"price\":\"1.250\",\"currency\":\"KWD\"},"
        "{\"name\":\"D\",\"duration_minutes\":30,\"price\":\"0\"}]"));
    CHECK(c != NULL);
    if (c == NULL)
        return;
    CHECK(c->services[0].price_minor == 12050 && strcmp(c->services[0].currency, "EUR") == 0);
    CHECK_STR_EQ(c->services[0].price_text, "120.5");
    CHECK(c->services[1].price_minor == 5000 && c->services[1].currency_digits == 0);
    CHECK(c->services[2].price_minor == 1250 && c->services[2].currency_digits == 3);
    CHECK(c->services[3].has_price && c->services[3].price_minor == 0);
    agent_config_free(c);
}

static void test_upsells_must_name_other_services(void)
{
    CHECK(refused(doc_with(",\"services\":[{\"name\":\"A\",\"duration_minutes\":30,\"upsells\":[\"Waxing\"]}]"),
                  "services[0].upsells[0]: \"Waxing\" is not the name or alias of a service") == 0);
    CHECK(refused(doc_with(",\"services\":[{\"name\":\"A\",\"duration_minutes\":30,\"upsells\":[\"a\"]}]"),
                  "services[0].upsells[0]: a service cannot be its own upsell") == 0);
    CHECK(refused(doc_with(",\"services\":[{\"name\":\"A\",\"duration_minutes\":30,\"upsells\":[\"B\",\"bee\"]},"
                           "{\"name\":\"B\",\"duration_minutes\":30,\"aliases\":[\"bee\"]}]"),
                  "services[0].upsells[1]: \"bee\" is listed twice") == 0);
    struct agent_config *c = parsed(doc_with(
        ",\"services\":[{\"name\":\"A\",\"duration_minutes\":30,\"upsells\":[\"bee\"]},"
        "{\"name\":\"B\",\"duration_minutes\":30,\"aliases\":[\"bee\"]}]"));
    CHECK(c != NULL && c->services[0].nupsells == 1 && c->services[0].upsells[0] == 1);
    agent_config_free(c);
}

static void test_refuses_more_than_200_services(void)
{
    size_t cap = 64 * 1024;
    char *extra = malloc(cap), *json = malloc(cap + 256);
    size_t used = (size_t)snprintf(extra, cap, ",\"services\":[");
    for (int i = 0; i <= AGENT_SERVICES_MAX; i++)
        used += (size_t)snprintf(extra + used, cap - used, "%s{\"name\":\"S%d\",\"duration_minutes\":30}",
                                 i ? "," : "", i);
    snprintf(extra + used, cap - used, "]");
    snprintf(json, cap + 256, "{\"config_version\":1,\"business_name\":\"A\",\"timezone\":\"UTC\","
             "\"hours\":{" HOURS_CLOSED "}%s}", extra);
    CHECK(refused(json, "services: has 201 entries; at most 200 are allowed") == 0);
    free(extra);
    free(json);
}

/* ---- faq and policies ---- */

static void test_refuses_bad_faq_entries(void)
{
    CHECK(refused(doc_with(",\"faq\":[{\"question\":\"Q?\",\"answer\":\"A.\"}]"),
                  "faq[0].keywords: is required") == 0);
    CHECK(refused(doc_with(",\"faq\":[{\"question\":\"Q?\",\"answer\":\"A.\",\"keywords\":[]}]"),
                  "faq[0].keywords: needs at least 1 entry") == 0);
    CHECK(refused(doc_with(",\"faq\":[{\"question\":\"Q?\",\"keywords\":[\"q\"]}]"),
                  "faq[0].answer: is required") == 0);
    CHECK(refused(doc_with(",\"faq\":[{\"question\":\"Q?\",\"answer\":\"A\",\"keywords\":[\"\"]}]"),
                  "faq[0].keywords[0]: must not be empty") == 0);
    struct agent_config *c = parsed(doc_with(",\"faq\":[{\"question\":\"Q?\",\"answer\":\"Line one.\\nLine two.\","
                                             "\"keywords\":[\"Parking\"]}]"));
    CHECK(c != NULL && strcmp(c->faq[0].keywords[0], "parking") == 0);
    agent_config_free(c);
}

static void test_refuses_more_than_500_faq_entries(void)
{
    size_t cap = 64 * 1024;
    char *extra = malloc(cap);
    size_t used = (size_t)snprintf(extra, cap, ",\"faq\":[");
    for (int i = 0; i <= AGENT_FAQ_MAX; i++)
        used += (size_t)snprintf(extra + used, cap - used,
                                 "%s{\"question\":\"q\",\"answer\":\"a\",\"keywords\":[\"k\"]}", i ? "," : "");
    snprintf(extra + used, cap - used, "]");
    char *json = malloc(cap + 256);
    snprintf(json, cap + 256, "{\"config_version\":1,\"business_name\":\"A\",\"timezone\":\"UTC\","
             "\"hours\":{" HOURS_CLOSED "}%s}", extra);
    CHECK(refused(json, "faq: has 501 entries; at most 500 are allowed") == 0);
    free(extra);
    free(json);
}

static void test_refuses_bad_policies(void)
{
    CHECK(refused(doc_with(",\"policies\":{\"Cancellation Policy\":\"24h\"}"),
                  "policies.Cancellation Policy: a policy name is 1 to 40 of a-z") == 0);
    CHECK(refused(doc_with(",\"policies\":{\"payment\":5}"), "policies.payment: must be a string") == 0);
    CHECK(refused(doc_with(",\"policies\":{\"payment\":\"a\",\"payment\":\"b\"}"),
                  "policies.payment: appears twice") == 0);
    CHECK(refused(doc_with(",\"policies\":[]"), "policies: must be an object") == 0);
}

/* ---- booking, escalation, after hours, notifications ---- */

static void test_refuses_bad_booking_rules(void)
{
    CHECK(refused(doc_with(",\"booking\":{\"slot_minutes\":3}"), "booking.slot_minutes: must be between 5 and 480") == 0);
    CHECK(refused(doc_with(",\"booking\":{\"enabled\":\"yes\"}"), "booking.enabled: must be true or false") == 0);
    CHECK(refused(doc_with(",\"booking\":{\"enabled\":true}"),
                  "booking.enabled: booking needs at least one service") == 0);
    CHECK(refused(doc_with(",\"booking\":{\"capacity\":2}"), "booking.capacity: unknown field") == 0);
    CHECK(refused(doc_with(",\"booking\":{\"max_days_ahead\":400}"), "booking.max_days_ahead: must be between 1 and 365") == 0);
    CHECK(refused(doc_with(",\"booking\":{\"capacity_per_slot\":0}"), "booking.capacity_per_slot: must be between 1 and 100") == 0);
}

static void test_refuses_bad_escalation_rules(void)
{
    CHECK(refused(doc_with(",\"escalation\":{\"transfer_number\":\"555-1234\"}"),
                  "escalation.transfer_number: must be an E.164 phone number") == 0);
    CHECK(refused(doc_with(",\"escalation\":{\"after_misunderstood_turns\":11}"),
                  "escalation.after_misunderstood_turns: must be between 0 and 10") == 0);
    CHECK(refused(doc_with(",\"escalation\":{\"keywords\":[\"Emergency\",\"emergency\"]}"),
                  "escalation.keywords[1]: \"emergency\" is listed twice") == 0);
    CHECK(refused(doc_with(",\"escalation\":{\"on_request\":1}"), "escalation.on_request: must be true or false") == 0);
}

static void test_refuses_bad_after_hours_rules(void)
{
    CHECK(refused(doc_with(",\"after_hours\":{\"action\":\"voicemail\"}"),
                  "after_hours.action: must be one of \"take_message\", \"forward\", \"booking_only\"") == 0);
    CHECK(refused(doc_with(",\"after_hours\":{\"action\":\"forward\"}"),
                  "after_hours.forward_number: is required when action is \"forward\"") == 0);
    CHECK(refused(doc_with(",\"after_hours\":{\"action\":\"booking_only\"}"),
                  "after_hours.action: \"booking_only\" needs booking.enabled = true") == 0);
    CHECK(refused(doc_with(",\"after_hours\":\"forward\""), "after_hours: must be an object") == 0);
}

static void test_refuses_bad_notifications(void)
{
    CHECK(refused(doc_with(",\"notifications\":{\"owner_sms\":\"+15550100\",\"on\":[\"sms\"]}"),
                  "notifications.on[0]: must be one of \"booking\", \"message\", \"escalation\"") == 0);
    CHECK(refused(doc_with(",\"notifications\":{\"on\":[\"booking\"]}"),
                  "notifications.owner_sms: is required when notifications.on is not empty") == 0);
    CHECK(refused(doc_with(",\"notifications\":{\"owner_sms\":\"+15550100\",\"on\":[\"booking\",\"booking\"]}"),
                  "notifications.on[1]: \"booking\" is listed twice") == 0);
    CHECK(refused(doc_with(",\"notifications\":{\"owner_sms\":\"12\"}"),
                  "notifications.owner_sms: must be an E.164") == 0);
}

/* ---- rules and helpers ---- */

static void test_value_rules(void)
{
    CHECK(agent_currency_digits("USD", 3) == 2 && agent_currency_digits("JPY", 3) == 0 &&
          agent_currency_digits("BHD", 3) == 3 && agent_currency_digits("XAU", 3) == -1 &&
          agent_currency_digits("US", 2) == -1);
    CHECK(agent_timezone_exists(AGENT_CONFIG_ZONEINFO_DIR, "America/Los_Angeles"));
    CHECK(agent_timezone_exists(AGENT_CONFIG_ZONEINFO_DIR, "UTC"));
    CHECK(!agent_timezone_exists(AGENT_CONFIG_ZONEINFO_DIR, "America"));      /* a folder */
    CHECK(!agent_timezone_exists(AGENT_CONFIG_ZONEINFO_DIR, "../zoneinfo/UTC"));
    CHECK(!agent_timezone_exists(AGENT_CONFIG_ZONEINFO_DIR, "/etc/localtime"));
    CHECK(!agent_timezone_exists(AGENT_CONFIG_ZONEINFO_DIR, "localtime"));
    int32_t d = 0;
    CHECK(agent_date_parse("2024-02-29", 10, &d) && d == 20240229);
    CHECK(!agent_date_parse("2100-02-29", 10, &d) && agent_date_parse("2000-02-29", 10, &d));
    CHECK(!agent_date_parse("2025-04-31", 10, &d) && !agent_date_parse("2025-4-30", 9, &d));
    unsigned m = 0;
    CHECK(agent_clock_parse("24:00", 5, true, &m) && m == 1440);
    CHECK(!agent_clock_parse("24:00", 5, false, &m) && !agent_clock_parse("12:60", 5, false, &m));
}

static void test_names_match_ignoring_case_and_spacing(void)
{
    CHECK(agent_name_equals("Teeth Whitening", 15, " teeth   WHITENING ", 19));
    CHECK(!agent_name_equals("Teeth Whitening", 15, "teethwhitening", 14));
    CHECK(!agent_name_equals("cut", 3, "cuts", 4));
    CHECK(agent_name_equals("", 0, "  ", 2));
}

static void test_pretty_prints_in_the_documented_order(void)
{
    const char *json = "{\"tone\":\"brief\",\"hours\":{\"sun\":[],\"mon\":[{\"close\":\"17:00\",\"open\":\"09:00\"}]},"
                       "\"config_version\":1}";
    char *text = agent_config_pretty(json, strlen(json));
    CHECK(text != NULL);
    if (text != NULL) {
        const char *v = strstr(text, "config_version"), *t = strstr(text, "tone"),
                   *h = strstr(text, "hours"), *mon = strstr(text, "mon"), *sun = strstr(text, "sun"),
                   *open = strstr(text, "open"), *close = strstr(text, "close");
        CHECK(v && t && h && v < t && t < h && mon < sun && open < close);
        CHECK(strstr(text, "\n  \"tone\"") != NULL);
    }
    free(text);
    CHECK(agent_config_pretty("{", 1) == NULL);
}

int main(void)
{
    RUN(test_dental_clinic_example_is_valid_and_finds_services_by_alias);
    RUN(test_hair_salon_example_is_valid);
    RUN(test_plumber_example_forwards_after_hours_in_its_own_time_zone);
    RUN(test_default_document_is_valid_and_names_the_business);
    RUN(test_default_refuses_names_a_document_cannot_hold);
    RUN(test_a_minimal_document_gets_the_documented_defaults);
    RUN(test_null_means_the_default);
    RUN(test_refuses_what_is_not_a_json_object);
    RUN(test_refuses_a_document_over_256_kib_as_too_big);
    RUN(test_refuses_unknown_and_repeated_top_level_fields);
    RUN(test_refuses_a_missing_or_unsupported_config_version);
    RUN(test_refuses_bad_names_and_greetings);
    RUN(test_refuses_bad_voice_language_tone_currency);
    RUN(test_refuses_a_time_zone_that_does_not_exist);
    RUN(test_refuses_a_bad_address);
    RUN(test_refuses_missing_and_unknown_weekdays);
    RUN(test_refuses_bad_opening_ranges);
    RUN(test_open_at_honours_ranges_and_closures);
    RUN(test_refuses_bad_closures);
    RUN(test_closures_are_found_in_any_order);
    RUN(test_refuses_services_without_name_or_duration);
    RUN(test_refuses_a_service_name_over_100_characters);
    RUN(test_refuses_names_and_aliases_used_twice);
    RUN(test_prices_are_decimal_strings_in_the_currency_minor_unit);
    RUN(test_upsells_must_name_other_services);
    RUN(test_refuses_more_than_200_services);
    RUN(test_refuses_bad_faq_entries);
    RUN(test_refuses_more_than_500_faq_entries);
    RUN(test_refuses_bad_policies);
    RUN(test_refuses_bad_booking_rules);
    RUN(test_refuses_bad_escalation_rules);
    RUN(test_refuses_bad_after_hours_rules);
    RUN(test_refuses_bad_notifications);
    RUN(test_value_rules);
    RUN(test_names_match_ignoring_case_and_spacing);
    RUN(test_pretty_prints_in_the_documented_order);
    return check_summary();
}
