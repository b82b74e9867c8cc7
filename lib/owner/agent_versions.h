/* lib/owner/agent_versions.h: a business's receptionist configurations (ai_agents,
 * schema/0001_v1.sql). Every save is a new version (1, 2, ...) and exactly one version
 * is active: the one the next call uses. Shared by `frontdesk-ctl agent` and the owner
 * API (GET/PUT /api/v1/agent, its versions and their activation).
 *
 * Each call runs in the caller's transaction as frontdesk_app in business_id's RLS
 * scope (named again in every statement, so a mistyped id finds nothing). Saving and
 * activating lock the business's row, so concurrent changes take turns, and make the
 * business's time zone (businesses.timezone, what the owner API shows times in) the
 * active configuration's, when PostgreSQL knows that zone; the transaction's TimeZone
 * follows. Neither touches the worker's cached copy in Redis: the caller drops it
 * after COMMIT (fd:{sNNN}:t:B:agent), and the worker reloads at the next call. */
#ifndef FD_AGENT_VERSIONS_H
#define FD_AGENT_VERSIONS_H
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "core/err.h"
#include "owner/owner_list.h"

struct agent_version {
    int version;
    bool is_active;
    char *config;               /* the document as JSON text; owned (free) */
};

/* Saves config_json (a document agent_config_validate accepted) as business_id's next
 * version and makes it the active one; its number in *version. APP_ENOTFOUND when the
 * business is not visible (none such, or another's). */
enum app_err agent_versions_save(PGconn *conn, const char *business_id, const char *config_json,
                                 int *version, char *why, size_t why_len);

/* Makes version the active one (already active: nothing changes but the time zone).
 * APP_ENOTFOUND when business_id has no such version. */
enum app_err agent_versions_activate(PGconn *conn, const char *business_id, int version,
                                     char *why, size_t why_len);

/* Version version (0: the active one) into *out; the caller frees out->config.
 * APP_ENOTFOUND when there is none. */
enum app_err agent_versions_fetch(PGconn *conn, const char *business_id, int version,
                                  struct agent_version *out, char *why, size_t why_len);

/* {"version", "is_active", "created_at", "config"} of version (0: the active one), the
 * document's keys in the order of docs/agent-config.md (new reference). APP_ENOTFOUND
 * when there is none. */
enum app_err agent_versions_get_json(PGconn *conn, const char *business_id, int version,
                                     json_t **out, char *why, size_t why_len);

/* A page of the versions, newest first: {"items": [{"version", "is_active",
 * "created_at"}], "next_cursor"} (new reference). */
enum app_err agent_versions_list_json(PGconn *conn, const char *business_id,
                                      const struct owner_page *page, json_t **out, char *why,
                                      size_t why_len);

#endif
