/* lib/owner/business_create.c: see business_create.h. */
#include "owner/business_create.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"
#include "owner/owner_query.h"

enum app_err business_default_agent(const struct business_new *b, char **agent_config,
                                    const char **field, char *why, size_t why_len)
{
    const char *timezone = b->timezone ? b->timezone : AGENT_DEFAULT_TIMEZONE;
    *agent_config = NULL;
    char *doc = agent_config_default(b->name);      /* NULL: the name cannot be one */
    if (doc == NULL) {
        *field = "business_name";
        snprintf(why, why_len, "must be 1 to %d characters of text without control characters",
                 AGENT_BUSINESS_NAME_MAX);
        return APP_EINVAL;
    }
    free(doc);
    doc = agent_config_default_in(b->name, timezone);
    struct agent_config *parsed = NULL;
    char reason[256] = "is not a time zone";
    if (doc == NULL ||
        agent_config_parse(doc, strlen(doc), &parsed, reason, sizeof reason) != APP_OK) {
        /* The name passed above, so what the parser refuses is the zone. */
        free(doc);
        *field = "timezone";
        const char *colon = strstr(reason, ": ");
        snprintf(why, why_len, "%s", colon ? colon + 2 : reason);
        return APP_EINVAL;
    }
    agent_config_free(parsed);
    *agent_config = doc;
    return APP_OK;
}

enum app_err business_create(PGconn *conn, const struct business_new *b,
                             const char *agent_config, char *why, size_t why_len)
{
    const char *timezone = b->timezone ? b->timezone : AGENT_DEFAULT_TIMEZONE;
    const char *business[] = {b->id, b->name, b->fallback_number, timezone};
    enum app_err err = owner_exec(conn, "INSERT INTO businesses (id, name, fallback_number, "
                                  "timezone) VALUES ($1, $2, $3, $4)", 4, business, why, why_len);
    if (err != APP_OK)
        return err;
    const char *agent[] = {b->id, agent_config};
    return owner_exec(conn, "INSERT INTO ai_agents (business_id, version, is_active, config) "
                      "VALUES ($1, 1, true, $2::jsonb)", 2, agent, why, why_len);
}

bool business_area_code_is_valid(const char *area_code)
{
    return strlen(area_code) == 3 && area_code[0] >= '2' && area_code[0] <= '9' &&
           area_code[1] >= '0' && area_code[1] <= '9' && area_code[2] >= '0' && area_code[2] <= '9';
}

enum app_err business_request_number(PGconn *conn, const char *business_id,
                                     const char *area_code, char *why, size_t why_len)
{
    const char *params[] = {business_id, area_code};
    return owner_exec(conn, "INSERT INTO number_requests (business_id, area_code) VALUES ($1, $2)",
                      2, params, why, why_len);
}
