/* Unit tests for lib/core/secrets.c: registered secrets are masked in every log line,
 * and a refused value is described without what may hold a secret. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "core/log.h"
#include "core/secrets.h"

/* What one log_msg wrote to stderr (a pipe for the call's duration). */
static void logged(const char *value, char *out, size_t out_len)
{
    int fds[2];
    if (pipe(fds) != 0)
        return;
    int saved = dup(STDERR_FILENO);
    dup2(fds[1], STDERR_FILENO);
    log_msg(LOG_ERROR, "upstream said", "detail", value);
    dup2(saved, STDERR_FILENO);
    close(saved);
    close(fds[1]);
    ssize_t n = read(fds[0], out, out_len - 1);
    out[n > 0 ? n : 0] = '\0';
    close(fds[0]);
}

static void test_a_registered_secret_never_reaches_a_log_line(void)
{
    char line[4096];
    secrets_clear();
    secrets_register("hunter2-redis");
    secrets_register("KEY0123456789");
    logged("auth failed for hunter2-redis and hunter2-redis, key KEY0123456789!", line, sizeof line);
    CHECK(strstr(line, "hunter2") == NULL);
    CHECK(strstr(line, "KEY0123456789") == NULL);
    CHECK(strstr(line, "auth failed for *** and ***, key ***!") != NULL);
    CHECK(line[strlen(line) - 1] == '\n');
    secrets_clear();
}

static void test_short_and_empty_values_are_not_registered(void)
{
    char line[4096];
    secrets_clear();
    secrets_register("");
    secrets_register("ab");
    logged("a cab", line, sizeof line);
    CHECK(strstr(line, "a cab") != NULL);
}

static void test_a_line_of_only_secrets_stays_well_formed(void)
{
    char line[4096];
    char value[1500];
    secrets_clear();
    secrets_register("s3cret");
    value[0] = '\0';
    for (int i = 0; i < 200; i++)
        strcat(value, "s3cret");
    logged(value, line, sizeof line);
    CHECK(strstr(line, "s3cret") == NULL);
    CHECK(strstr(line, "\"detail\":\"******") != NULL);
    secrets_clear();
}

static void test_describing_a_value_hides_keys_and_all_but_a_urls_scheme(void)
{
    char out[160];
    secrets_describe_value("FRONTDESK_TELNYX_API_KEY", "KEYabc", out, sizeof out);
    CHECK(strstr(out, "KEYabc") == NULL);
    secrets_describe_value("FRONTDESK_LLM_URL", "https://user:pw@llm.example/v1", out, sizeof out);
    CHECK(strncmp(out, "https://...", 11) == 0);
    CHECK(strstr(out, "pw") == NULL);
    secrets_describe_value("FRONTDESK_REDIS_URL", "redis:/:pw@host", out, sizeof out);
    CHECK(strstr(out, "pw@") == NULL);
    secrets_describe_value("FRONTDESK_WORKER_ID", "worker a", out, sizeof out);
    CHECK_STR_EQ(out, "worker a");
}

int main(void)
{
    log_set_component("test");
    RUN(test_a_registered_secret_never_reaches_a_log_line);
    RUN(test_short_and_empty_values_are_not_registered);
    RUN(test_a_line_of_only_secrets_stays_well_formed);
    RUN(test_describing_a_value_hides_keys_and_all_but_a_urls_scheme);
    return check_summary();
}
