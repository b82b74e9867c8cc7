/* Unit tests for lib/owner/business_create.c, its parts that need no database: the
 * default receptionist of a new business, in the zone it asked for, and what refuses
 * a name or a zone; area codes of number requests. */
#include <stdlib.h>

#include "check.h"
#include "agent/agent_config.h"
#include "owner/business_create.h"

static void test_the_default_receptionist_is_in_the_business_zone(void)
{
    struct business_new b = {.id = "x", .name = "Corner Dental", .timezone = "Europe/Paris"};
    char *doc = NULL, why[256];
    const char *field = NULL;
    CHECK(business_default_agent(&b, &doc, &field, why, sizeof why) == APP_OK);
    struct agent_config *cfg = NULL;
    CHECK(doc != NULL && agent_config_parse(doc, strlen(doc), &cfg, why, sizeof why) == APP_OK);
    CHECK(cfg != NULL && strcmp(cfg->timezone, "Europe/Paris") == 0);
    CHECK(cfg != NULL && strcmp(cfg->business_name, "Corner Dental") == 0);
    agent_config_free(cfg);
    free(doc);
}

static void test_without_a_zone_it_is_new_york(void)
{
    struct business_new b = {.id = "x", .name = "Corner Dental"};
    char *doc = NULL, why[256];
    const char *field = NULL;
    CHECK(business_default_agent(&b, &doc, &field, why, sizeof why) == APP_OK);
    CHECK(doc != NULL && strstr(doc, "\"America/New_York\"") != NULL);
    free(doc);
}

static void test_a_zone_that_does_not_exist_names_the_timezone_field(void)
{
    const char *zones[] = {"Mars/Olympus_Mons", "../../etc/passwd", "Europe/Paris\n", "Été/Paris"};
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
        struct business_new b = {.id = "x", .name = "Corner Dental", .timezone = zones[i]};
        char *doc = NULL, why[256] = "";
        const char *field = NULL;
        CHECK(business_default_agent(&b, &doc, &field, why, sizeof why) == APP_EINVAL);
        CHECK_STR_EQ(field, "timezone");
        CHECK(doc == NULL && why[0] != '\0');
    }
}

static void test_a_name_a_receptionist_cannot_say_names_the_name_field(void)
{
    const char *names[] = {"", "   ", "Two\nLines"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct business_new b = {.id = "x", .name = names[i]};
        char *doc = NULL, why[256] = "";
        const char *field = NULL;
        CHECK(business_default_agent(&b, &doc, &field, why, sizeof why) == APP_EINVAL);
        CHECK_STR_EQ(field, "business_name");
        CHECK(doc == NULL);
    }
}

static void test_area_codes_are_three_digits_not_starting_with_0_or_1(void)
{
    CHECK(business_area_code_is_valid("415"));
    CHECK(business_area_code_is_valid("212"));
    CHECK(!business_area_code_is_valid("015"));
    CHECK(!business_area_code_is_valid("115"));
    CHECK(!business_area_code_is_valid("41"));
    CHECK(!business_area_code_is_valid("4155"));
    CHECK(!business_area_code_is_valid("4a5"));
    CHECK(!business_area_code_is_valid(""));
}

int main(void)
{
    RUN(test_the_default_receptionist_is_in_the_business_zone);
    RUN(test_without_a_zone_it_is_new_york);
    RUN(test_a_zone_that_does_not_exist_names_the_timezone_field);
    RUN(test_a_name_a_receptionist_cannot_say_names_the_name_field);
    RUN(test_area_codes_are_three_digits_not_starting_with_0_or_1);
    return check_summary();
}
