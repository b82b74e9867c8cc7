/* Unit tests for lib/core/web_config.c: frontdesk-web's own variables, their defaults,
 * and refusals that name the variable. */
#include <stdlib.h>

#include "check.h"
#include "core/web_config.h"

static const char *const names[] = {
    "FRONTDESK_WEB_LISTEN", "FRONTDESK_PUBLIC_URL", "FRONTDESK_SESSION_IDLE_S",
    "FRONTDESK_SESSION_MAX_S", "FRONTDESK_TELNYX_CONNECTION_ID",
    "FRONTDESK_TELNYX_MESSAGING_PROFILE_ID",
};

static void clear_env(void)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        unsetenv(names[i]);
}

static void test_defaults_apply_when_nothing_is_set(void)
{
    struct web_config c;
    char why[256] = "";
    clear_env();
    CHECK(web_config_load(&c, why, sizeof why) == APP_OK);
    CHECK_STR_EQ(c.listen_host, "127.0.0.1");
    CHECK_INT_EQ(c.listen_port, 8081);
    CHECK_STR_EQ(c.public_url, "http://127.0.0.1:8081");
    CHECK(!c.is_public_https);
    CHECK_INT_EQ(c.session_idle_s, 86400);
    CHECK_INT_EQ(c.session_max_s, 2592000);
    CHECK_STR_EQ(c.telnyx_connection_id, "");
    CHECK_STR_EQ(c.telnyx_messaging_profile_id, "");
}

static void test_an_https_public_url_makes_cookies_secure(void)
{
    struct web_config c;
    char why[256] = "";
    clear_env();
    setenv("FRONTDESK_PUBLIC_URL", "https://app.example.com/", 1);
    setenv("FRONTDESK_TELNYX_CONNECTION_ID", "1494404757140276705", 1);
    setenv("FRONTDESK_TELNYX_MESSAGING_PROFILE_ID", "40017f8e-49bd-4f16-9e3d-ef103f916228", 1);
    CHECK(web_config_load(&c, why, sizeof why) == APP_OK);
    CHECK_STR_EQ(c.public_url, "https://app.example.com");
    CHECK(c.is_public_https);
    CHECK_STR_EQ(c.telnyx_connection_id, "1494404757140276705");
    CHECK_STR_EQ(c.telnyx_messaging_profile_id, "40017f8e-49bd-4f16-9e3d-ef103f916228");
    clear_env();
}

static void test_malformed_values_name_their_variable(void)
{
    struct {
        const char *name, *value;
    } cases[] = {
        {"FRONTDESK_WEB_LISTEN", "8081"},
        {"FRONTDESK_WEB_LISTEN", "127.0.0.1:0"},
        {"FRONTDESK_PUBLIC_URL", "app.example.com"},
        {"FRONTDESK_PUBLIC_URL", "https://"},
        {"FRONTDESK_PUBLIC_URL", "https://app example.com"},
        {"FRONTDESK_SESSION_IDLE_S", "0"},
        {"FRONTDESK_SESSION_IDLE_S", "1h"},
        {"FRONTDESK_SESSION_MAX_S", "-5"},
        {"FRONTDESK_TELNYX_CONNECTION_ID", "has space"},
        {"FRONTDESK_TELNYX_MESSAGING_PROFILE_ID", "a/b"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct web_config c;
        char why[256] = "";
        clear_env();
        setenv(cases[i].name, cases[i].value, 1);
        CHECK(web_config_load(&c, why, sizeof why) == APP_EINVAL);
        CHECK(strncmp(why, cases[i].name, strlen(cases[i].name)) == 0);
        CHECK(why[strlen(cases[i].name)] == ':');
    }
    clear_env();
}

int main(void)
{
    RUN(test_defaults_apply_when_nothing_is_set);
    RUN(test_an_https_public_url_makes_cookies_secure);
    RUN(test_malformed_values_name_their_variable);
    return check_summary();
}
