/* tests/unit/test_llm_prompt.c: the model's system prompt and tools hold one business's
 * facts, all of them that a caller may ask about, and nothing of another business.
 * Run from the repository root (the examples are read from docs/examples/). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"
#include "check.h"
#include "example_config.h"
#include "llm/llm_prompt.h"

#define NOW "Tuesday 2026-03-03 10:15"

static int contains(const char *hay, const char *needle)
{
    int found = strstr(hay, needle) != NULL;
    if (!found)
        fprintf(stderr, "  missing: %s\n", needle);
    return found;
}

static int lacks(const char *hay, const char *needle)
{
    int absent = strstr(hay, needle) == NULL;
    if (!absent)
        fprintf(stderr, "  leaked: %s\n", needle);
    return absent;
}

static void test_prompt_holds_the_business_facts_a_caller_asks_about(void)
{
    struct agent_config *c = example_config("dental-clinic.json");
    CHECK(c != NULL);
    if (c == NULL)
        return;
    char *p = llm_prompt_system(c, NOW);
    CHECK(contains(p, "receptionist of Bright Smile Dental"));
    CHECK(contains(p, NOW " (time zone America/New_York)"));
    CHECK(contains(p, "- Cleaning (also called: teeth cleaning, hygiene visit, checkup and "
                      "cleaning): 60 minutes, 120.00 USD."));
    CHECK(contains(p, "Goes well with: Whitening, X-rays."));
    CHECK(contains(p, "- Whitening (also called: teeth whitening, bleaching): 90 minutes, 350.00 USD."));
    CHECK(contains(p, "- Monday: 08:00-12:00, 13:00-17:00\n"));
    CHECK(contains(p, "- Friday: 08:00-14:00\n"));
    CHECK(contains(p, "- Saturday: closed\n"));
    CHECK(contains(p, "- 2025-12-25: Christmas Day\n"));
    CHECK(contains(p, "Address: 120 Main Street, Suite 4, Springfield, NJ 07081, US\n"));
    CHECK(contains(p, "A: Yes. We are in network with Delta Dental, Cigna and Aetna"));
    CHECK(contains(p, "- cancellation: Please give us 24 hours' notice"));
    CHECK(contains(p, "every 30 minutes from the opening time, at least 120 minutes from now "
                      "and at most 60 days ahead"));
    CHECK(contains(p, "mentions: \"bleeding\", \"swelling\", \"emergency\", \"severe pain\", "
                      "\"knocked out tooth\", \"abscess\"."));
    CHECK(contains(p, "Be formal and polite. Reply in the language en-US."));
    CHECK(contains(p, "Never invent services, prices"));
    CHECK(contains(p, "Never tell the caller an appointment is booked"));
    free(p);
    agent_config_free(c);
}

static void test_prompt_holds_nothing_of_another_business(void)
{
    struct agent_config *dental = example_config("dental-clinic.json");
    struct agent_config *salon = example_config("hair-salon.json");
    CHECK(dental != NULL && salon != NULL);
    if (dental == NULL || salon == NULL)
        goto out;
    char *p = llm_prompt_system(dental, NOW);
    const char *salon_facts[] = {"Studio Nine", "haircut", "65.00", "Beard trim", "140.00",
                                 "America/Chicago", "Lake Street", "Thanksgiving", "Chicago"};
    for (size_t i = 0; i < sizeof salon_facts / sizeof salon_facts[0]; i++)
        CHECK(lacks(p, salon_facts[i]));
    free(p);
    p = llm_prompt_system(salon, NOW);
    const char *dental_facts[] = {"Bright Smile", "Cleaning", "120.00", "Whitening",
                                  "America/New_York", "Main Street", "Delta Dental"};
    for (size_t i = 0; i < sizeof dental_facts / sizeof dental_facts[0]; i++)
        CHECK(lacks(p, dental_facts[i]));
    CHECK(contains(p, "- Monday: closed\n"));
    CHECK(contains(p, "Women's haircut"));
    free(p);
out:
    agent_config_free(dental);
    agent_config_free(salon);
}

static void test_prompt_names_no_phone_number(void)
{
    struct agent_config *c = example_config("dental-clinic.json");
    CHECK(c != NULL);
    if (c == NULL)
        return;
    char *p = llm_prompt_system(c, NOW);
    CHECK(lacks(p, "+12015550143"));    /* transfer number: the worker's business */
    CHECK(lacks(p, "+12015550199"));    /* the owner's own phone */
    free(p);
    agent_config_free(c);
}

static void test_prompt_is_deterministic(void)
{
    struct agent_config *a = example_config("plumber.json");
    struct agent_config *b = example_config("plumber.json");
    CHECK(a != NULL && b != NULL);
    if (a != NULL && b != NULL) {
        char *p1 = llm_prompt_system(a, NOW);
        char *p2 = llm_prompt_system(b, NOW);
        CHECK_STR_EQ(p1, p2);
        free(p1);
        free(p2);
        json_t *t1 = llm_prompt_tools(a), *t2 = llm_prompt_tools(b);
        char *s1 = json_dumps(t1, JSON_COMPACT), *s2 = json_dumps(t2, JSON_COMPACT);
        CHECK_STR_EQ(s1, s2);
        free(s1);
        free(s2);
        json_decref(t1);
        json_decref(t2);
    }
    agent_config_free(a);
    agent_config_free(b);
}

static void test_prompt_without_now_or_booking_says_so(void)
{
    char *doc = agent_config_default("Corner Shop");
    struct agent_config *c = NULL;
    char why[256];
    CHECK(agent_config_parse(doc, strlen(doc), &c, why, sizeof why) == APP_OK);
    if (c != NULL) {
        char *p = llm_prompt_system(c, NULL);
        CHECK(lacks(p, "current local date"));
        CHECK(contains(p, "does not take bookings by phone"));
        CHECK(contains(p, "- none listed\n"));
        CHECK(lacks(p, "Address:"));
        free(p);
    }
    agent_config_free(c);
    free(doc);
}

/* A business whose billing stops bookings (docs/billing.md, "States"): the model hears
 * booking is off today and what to offer instead; the rest of the prompt is the same. */
static void test_prompt_of_a_business_whose_bookings_are_paused_says_so(void)
{
    struct agent_config *c = example_config("dental-clinic.json");
    CHECK(c != NULL);
    if (c == NULL)
        return;
    char *paused = llm_prompt_system_bookings_paused(c, NOW);
    char *usual = llm_prompt_system(c, NOW);
    CHECK(contains(paused, "cannot take new bookings today; do not call check_availability or book."));
    CHECK(contains(paused, "offer to take a message"));
    CHECK(lacks(paused, "appointments start every"));
    CHECK(contains(usual, "appointments start every"));
    CHECK(contains(paused, "- Cleaning (also called:"));
    free(paused);
    free(usual);
    agent_config_free(c);
}

static const char *tool_name(json_t *tools, size_t i)
{
    return json_string_value(json_object_get(json_object_get(json_array_get(tools, i),
                                                              "function"), "name"));
}

static void test_tools_are_the_six_functions_in_enum_order(void)
{
    struct agent_config *c = example_config("dental-clinic.json");
    CHECK(c != NULL);
    if (c == NULL)
        return;
    json_t *tools = llm_prompt_tools(c);
    const char *names[] = {"check_availability", "book", "cancel_booking", "transfer",
                           "take_message", "end_call"};
    CHECK_INT_EQ(json_array_size(tools), 6);
    for (size_t i = 0; i < 6; i++) {
        CHECK_STR_EQ(tool_name(tools, i), names[i]);
        CHECK_STR_EQ(json_string_value(json_object_get(json_array_get(tools, i), "type")), "function");
    }
    json_t *book = json_object_get(json_object_get(json_array_get(tools, 1), "function"), "parameters");
    char *req = json_dumps(json_object_get(book, "required"), JSON_COMPACT);
    CHECK_STR_EQ(req, "[\"service\",\"day\",\"time\",\"caller_name\"]");
    free(req);
    char *services = json_dumps(json_object_get(json_object_get(json_object_get(book, "properties"),
                                                                "service"), "enum"), JSON_COMPACT);
    CHECK_STR_EQ(services, "[\"Cleaning\",\"X-rays\",\"Whitening\",\"Filling\",\"Emergency visit\"]");
    free(services);
    json_decref(tools);
    agent_config_free(c);
}

int main(void)
{
    RUN(test_prompt_holds_the_business_facts_a_caller_asks_about);
    RUN(test_prompt_holds_nothing_of_another_business);
    RUN(test_prompt_names_no_phone_number);
    RUN(test_prompt_is_deterministic);
    RUN(test_prompt_without_now_or_booking_says_so);
    RUN(test_prompt_of_a_business_whose_bookings_are_paused_says_so);
    RUN(test_tools_are_the_six_functions_in_enum_order);
    return check_summary();
}
