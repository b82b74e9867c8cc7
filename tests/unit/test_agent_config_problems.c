/* Unit tests of agent_config_validate (lib/agent/agent_config_document.c): a document
 * someone saves is answered with every problem it has, each with its path, in
 * document order; the first is the one agent_config_parse reports; what depends on a
 * part that failed is not blamed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"
#include "check.h"
#include "core/xalloc.h"

#define HOURS_OPEN "\"mon\":[{\"open\":\"09:00\",\"close\":\"17:00\"}],\"tue\":[],\"wed\":[]," \
                   "\"thu\":[],\"fri\":[],\"sat\":[],\"sun\":[]"
#define SERVICE "{\"name\":\"Cleaning\",\"duration_minutes\":60,\"price\":\"120.00\"}"

static char doc_buf[8192];

/* A document with these top-level members (each ",\"k\":v" or ""): identity, then
 * hours, then the rest. */
static const char *doc(const char *identity, const char *hours, const char *rest)
{
    snprintf(doc_buf, sizeof doc_buf,
             "{\"config_version\":1,\"business_name\":\"Acme\"%s,\"hours\":{%s}%s}",
             identity, hours, rest);
    return doc_buf;
}

/* The problems of json (owned: free), or NULL when it validated. */
static struct agent_config_problems *problems_of(const char *json)
{
    struct agent_config_problems *p = xcalloc(1, sizeof *p);
    if (agent_config_validate(json, strlen(json), NULL, p) == APP_OK) {
        CHECK(p->n == 0);
        free(p);
        return NULL;
    }
    return p;
}

static void test_a_valid_document_has_no_problems_and_gives_its_config(void)
{
    const char *json = doc(",\"timezone\":\"America/New_York\"", HOURS_OPEN,
                           ",\"services\":[" SERVICE "]");
    struct agent_config_problems p;
    struct agent_config *c = NULL;
    CHECK(agent_config_validate(json, strlen(json), &c, &p) == APP_OK);
    CHECK(p.n == 0 && !p.is_truncated);
    CHECK(c != NULL && c->nservices == 1 && c->services[0].price_minor == 12000);
    agent_config_free(c);
}

static void test_reports_a_problem_in_each_part_in_document_order(void)
{
    const char *json = doc(",\"timezone\":\"Mars/Olympus\",\"tone\":\"grumpy\"",
                           "\"mon\":[{\"open\":\"25:00\",\"close\":\"17:00\"}],\"tue\":[],"
                           "\"wed\":[],\"thu\":[],\"fri\":[],\"sat\":[]",
                           ",\"services\":[" SERVICE ",{\"name\":\"X\",\"duration_minutes\":2},"
                           "{\"name\":\"Y\",\"duration_minutes\":30,\"price\":7}]");
    struct agent_config_problems *p = problems_of(json);
    CHECK(p != NULL);
    if (p == NULL)
        return;
    CHECK_INT_EQ(p->n, 6);
    const char *paths[] = {"tone", "timezone", "hours.mon[0].open", "hours.sun",
                           "services[1].duration_minutes", "services[2].price"};
    for (size_t i = 0; i < 6 && i < p->n; i++)
        CHECK_STR_EQ(p->items[i].path, paths[i]);
    CHECK(strstr(p->items[1].message, "\"Mars/Olympus\" is not an IANA time zone") != NULL);
    CHECK(strstr(p->items[3].message, "is required") != NULL);
    free(p);
}

static void test_the_first_problem_is_what_agent_config_parse_reports(void)
{
    const char *json = doc(",\"timezone\":\"Mars/Olympus\"", HOURS_OPEN,
                           ",\"faq\":[{\"question\":\"q\"}]");
    struct agent_config_problems *p = problems_of(json);
    struct agent_config *c = NULL;
    char why[256];
    CHECK(agent_config_parse(json, strlen(json), &c, why, sizeof why) == APP_EINVAL);
    CHECK(p != NULL && p->n == 2);
    if (p != NULL && p->n > 0) {
        char first[600];
        snprintf(first, sizeof first, "%s: %s", p->items[0].path, p->items[0].message);
        CHECK_STR_EQ(first, why);
        CHECK_STR_EQ(p->items[1].path, "faq[0].answer");
    }
    free(p);
}

static void test_names_every_unknown_field_of_the_document(void)
{
    const char *json = doc(",\"timezone\":\"America/New_York\",\"escalaton\":{},\"colour\":1",
                           HOURS_OPEN, "");
    struct agent_config_problems *p = problems_of(json);
    CHECK(p != NULL && p->n == 2);
    if (p != NULL && p->n == 2) {
        CHECK_STR_EQ(p->items[0].path, "escalaton");
        CHECK_STR_EQ(p->items[1].path, "colour");
        CHECK(strstr(p->items[0].message, "unknown field") != NULL);
    }
    free(p);
}

static void test_booking_is_not_blamed_for_services_that_failed(void)
{
    const char *json = doc(",\"timezone\":\"America/New_York\"", HOURS_OPEN,
                           ",\"services\":[{\"name\":\"Cleaning\"}],\"booking\":{\"enabled\":true},"
                           "\"after_hours\":{\"action\":\"booking_only\"}");
    struct agent_config_problems *p = problems_of(json);
    CHECK(p != NULL && p->n == 1);
    if (p != NULL && p->n == 1)
        CHECK_STR_EQ(p->items[0].path, "services[0].duration_minutes");
    free(p);
}

static void test_booking_only_is_still_refused_when_booking_is_off(void)
{
    const char *json = doc(",\"timezone\":\"America/New_York\"", HOURS_OPEN,
                           ",\"after_hours\":{\"action\":\"booking_only\"}");
    struct agent_config_problems *p = problems_of(json);
    CHECK(p != NULL && p->n == 1);
    if (p != NULL && p->n == 1)
        CHECK_STR_EQ(p->items[0].path, "after_hours.action");
    free(p);
}

static void test_a_name_refused_does_not_trip_the_next_services_check(void)
{
    const char *json = doc(",\"timezone\":\"America/New_York\"", HOURS_OPEN,
                           ",\"services\":[{\"name\":\"\",\"duration_minutes\":30},"
                           "{\"name\":\"Cut\",\"duration_minutes\":30},"
                           "{\"name\":\"cut\",\"duration_minutes\":30}]");
    struct agent_config_problems *p = problems_of(json);
    CHECK(p != NULL && p->n == 2);
    if (p != NULL && p->n == 2) {
        CHECK_STR_EQ(p->items[0].path, "services[0].name");
        CHECK_STR_EQ(p->items[1].path, "services[2].name");
        CHECK(strstr(p->items[1].message, "already the name of services[1]") != NULL);
    }
    free(p);
}

static void test_the_document_itself_has_the_empty_path(void)
{
    struct agent_config_problems *p = problems_of("{\"config_version\": 1,");
    CHECK(p != NULL && p->n == 1);
    if (p != NULL && p->n == 1) {
        CHECK_STR_EQ(p->items[0].path, "");
        CHECK(strncmp(p->items[0].message, "is not valid JSON", 17) == 0);
    }
    free(p);
    p = problems_of("[1]");
    CHECK(p != NULL && p->n == 1 && strcmp(p->items[0].path, "") == 0);
    free(p);
    const char nul[] = "{\"config_version\":1}\0";
    struct agent_config_problems q;
    CHECK(agent_config_validate(nul, sizeof nul - 1, NULL, &q) == APP_EINVAL);
    CHECK(q.n == 1 && strcmp(q.items[0].message, "contains a NUL byte") == 0);
}

static void test_stops_counting_at_the_limit_and_says_so(void)
{
    static char json[16384];
    size_t used = (size_t)snprintf(json, sizeof json, "{\"config_version\":1,"
                                   "\"business_name\":\"Acme\",\"timezone\":\"UTC\","
                                   "\"hours\":{" HOURS_OPEN "},\"faq\":[");
    for (int i = 0; i < AGENT_CONFIG_PROBLEMS_MAX + 5; i++)
        used += (size_t)snprintf(json + used, sizeof json - used, "%s{}", i ? "," : "");
    snprintf(json + used, sizeof json - used, "]}");
    struct agent_config_problems *p = problems_of(json);
    CHECK(p != NULL && p->n == AGENT_CONFIG_PROBLEMS_MAX && p->is_truncated);
    free(p);
}

int main(void)
{
    RUN(test_a_valid_document_has_no_problems_and_gives_its_config);
    RUN(test_reports_a_problem_in_each_part_in_document_order);
    RUN(test_the_first_problem_is_what_agent_config_parse_reports);
    RUN(test_names_every_unknown_field_of_the_document);
    RUN(test_booking_is_not_blamed_for_services_that_failed);
    RUN(test_booking_only_is_still_refused_when_booking_is_off);
    RUN(test_a_name_refused_does_not_trip_the_next_services_check);
    RUN(test_the_document_itself_has_the_empty_path);
    RUN(test_stops_counting_at_the_limit_and_says_so);
    return check_summary();
}
