/* lib/owner/agent_versions.c: see agent_versions.h. */
#include "owner/agent_versions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"
#include "core/xalloc.h"
#include "owner/owner_query.h"

/* Two changes of one business take turns; APP_ENOTFOUND when it is not visible. */
static enum app_err lock_business(PGconn *conn, const char *business_id, char *why,
                                  size_t why_len)
{
    const char *params[] = {business_id};
    PGresult *res = NULL;
    enum app_err err = owner_query(conn, "SELECT 1 FROM businesses WHERE id = $1::uuid FOR UPDATE",
                                   1, params, &res, why, why_len);
    if (err == APP_OK && PQntuples(res) != 1) {
        snprintf(why, why_len, "no business %s", business_id);
        err = APP_ENOTFOUND;
    }
    PQclear(res);
    return err;
}

/* The business's zone becomes the active configuration's, and the transaction's
 * TimeZone with it, unless PostgreSQL does not know the zone (its list may lag the
 * files the configuration was checked against): then both stay. */
static enum app_err follow_timezone(PGconn *conn, const char *business_id, char *why,
                                    size_t why_len)
{
    const char *params[] = {business_id};
    enum app_err err = owner_exec(
        conn, "UPDATE businesses b SET timezone = a.config->>'timezone' FROM ai_agents a "
        "WHERE b.id = $1::uuid AND a.business_id = b.id AND a.is_active "
        "AND b.timezone IS DISTINCT FROM a.config->>'timezone' "
        "AND EXISTS (SELECT 1 FROM pg_timezone_names z WHERE z.name = a.config->>'timezone')",
        1, params, why, why_len);
    if (err == APP_OK)
        err = owner_exec(conn, "SELECT set_config('TimeZone', timezone, true) FROM businesses "
                         "WHERE id = $1::uuid", 1, params, why, why_len);
    return err;
}

enum app_err agent_versions_save(PGconn *conn, const char *business_id, const char *config_json,
                                 int *version, char *why, size_t why_len)
{
    const char *id[] = {business_id};
    enum app_err err = lock_business(conn, business_id, why, why_len);
    if (err == APP_OK)
        err = owner_exec(conn, "UPDATE ai_agents SET is_active = false "
                         "WHERE business_id = $1::uuid AND is_active", 1, id, why, why_len);
    if (err != APP_OK)
        return err;
    const char *insert[] = {business_id, config_json};
    PGresult *res = NULL;
    err = owner_query(conn, "INSERT INTO ai_agents (business_id, version, is_active, config) "
                      "SELECT $1::uuid, coalesce(max(version), 0) + 1, true, $2::jsonb "
                      "FROM ai_agents WHERE business_id = $1::uuid RETURNING version", 2, insert,
                      &res, why, why_len);
    if (err == APP_OK)
        *version = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return err == APP_OK ? follow_timezone(conn, business_id, why, why_len) : err;
}

enum app_err agent_versions_activate(PGconn *conn, const char *business_id, int version,
                                     char *why, size_t why_len)
{
    char number[16];
    snprintf(number, sizeof number, "%d", version);
    const char *params[] = {business_id, number};
    enum app_err err = lock_business(conn, business_id, why, why_len);
    PGresult *res = NULL;
    if (err == APP_OK)
        err = owner_query(conn, "SELECT 1 FROM ai_agents WHERE business_id = $1::uuid "
                          "AND version = $2::integer", 2, params, &res, why, why_len);
    if (err == APP_OK && PQntuples(res) != 1) {
        snprintf(why, why_len, "no version %d", version);
        err = APP_ENOTFOUND;
    }
    PQclear(res);
    /* Two statements: the one-active index is checked row by row, so the old version
     * must be off before the new one is on. */
    if (err == APP_OK)
        err = owner_exec(conn, "UPDATE ai_agents SET is_active = false WHERE business_id = $1::uuid "
                         "AND is_active AND version <> $2::integer", 2, params, why, why_len);
    if (err == APP_OK)
        err = owner_exec(conn, "UPDATE ai_agents SET is_active = true WHERE business_id = $1::uuid "
                         "AND version = $2::integer AND NOT is_active", 2, params, why, why_len);
    return err == APP_OK ? follow_timezone(conn, business_id, why, why_len) : err;
}

enum app_err agent_versions_fetch(PGconn *conn, const char *business_id, int version,
                                  struct agent_version *out, char *why, size_t why_len)
{
    char number[16];
    snprintf(number, sizeof number, "%d", version);
    const char *params[] = {business_id, version > 0 ? number : NULL};
    PGresult *res = NULL;
    memset(out, 0, sizeof *out);
    enum app_err err = owner_query(
        conn, "SELECT version, is_active, config::text FROM ai_agents WHERE business_id = $1::uuid "
        "AND CASE WHEN $2::integer IS NULL THEN is_active ELSE version = $2::integer END",
        2, params, &res, why, why_len);
    if (err == APP_OK && PQntuples(res) == 1) {
        out->version = atoi(PQgetvalue(res, 0, 0));
        out->is_active = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
        out->config = xstrdup(PQgetvalue(res, 0, 2));
    } else if (err == APP_OK) {
        err = APP_ENOTFOUND;
    }
    PQclear(res);
    return err;
}

enum app_err agent_versions_get_json(PGconn *conn, const char *business_id, int version,
                                     json_t **out, char *why, size_t why_len)
{
    char number[16];
    snprintf(number, sizeof number, "%d", version);
    const char *params[] = {business_id, version > 0 ? number : NULL};
    enum app_err err = owner_query_json(
        conn, "SELECT json_build_object('version', version, 'is_active', is_active, "
        "'created_at', created_at, 'config', config::text) FROM ai_agents "
        "WHERE business_id = $1::uuid "
        "AND CASE WHEN $2::integer IS NULL THEN is_active ELSE version = $2::integer END",
        2, params, out, why, why_len);
    if (err != APP_OK)
        return err;
    /* jsonb keeps keys in its own order; people read them in the documented one */
    const char *stored = json_string_value(json_object_get(*out, "config"));
    char *pretty = stored ? agent_config_pretty(stored, strlen(stored)) : NULL;
    json_t *config = pretty ? json_loads(pretty, 0, NULL) : NULL;
    free(pretty);
    if (config == NULL) {
        json_decref(*out);
        *out = NULL;
        snprintf(why, why_len, "version %d's document is not JSON", version);
        return APP_EINTERNAL;
    }
    json_object_set_new(*out, "config", config);
    return APP_OK;
}

enum app_err agent_versions_list_json(PGconn *conn, const char *business_id,
                                      const struct owner_page *page, json_t **out, char *why,
                                      size_t why_len)
{
    const char *filters[] = {business_id};
    return owner_list_json(
        conn, "SELECT json_build_object('version', version, 'is_active', is_active, "
        "'created_at', created_at)::text, version, id FROM ai_agents "
        "WHERE business_id = $1::uuid AND ($2::bigint IS NULL OR (version, id) < ($2::bigint, $3::uuid)) "
        "ORDER BY version DESC, id DESC LIMIT $4::integer", 1, filters, page, out, why, why_len);
}
