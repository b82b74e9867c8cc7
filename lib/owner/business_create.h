/* lib/owner/business_create.h: a new business ready to take calls: its row and an
 * active receptionist with the default configuration, inserted in the caller's
 * transaction. `frontdesk-ctl tenant create` adds its numbers around it; sign-up adds
 * the owner, a number request and a session. */
#ifndef FD_BUSINESS_CREATE_H
#define FD_BUSINESS_CREATE_H
#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "core/err.h"

struct business_new {
    const char *id;                 /* canonical UUID, the transaction's tenant */
    const char *name;               /* 1 to AGENT_BUSINESS_NAME_MAX characters */
    const char *timezone;           /* IANA name; NULL: AGENT_DEFAULT_TIMEZONE */
    const char *fallback_number;    /* E.164, or NULL: none */
};

/* The default receptionist's document for b (owned JSON text: free), checked as
 * `agent set` checks a document. On APP_EINVAL *field is "business_name" or "timezone"
 * and why says what is wrong with it. */
enum app_err business_default_agent(const struct business_new *b, char **agent_config,
                                    const char **field, char *why, size_t why_len);

/* Inserts the business and its receptionist (version 1, active, agent_config: a
 * document from business_default_agent). conn must be in a transaction whose tenant is
 * b->id. APP_ECONFLICT when the id is taken; why holds the server's message. */
enum app_err business_create(PGconn *conn, const struct business_new *b,
                             const char *agent_config, char *why, size_t why_len);

/* True for a US area code: three digits, the first 2 to 9 (the number_requests check). */
bool business_area_code_is_valid(const char *area_code);
/* What a refused area code is told, the same wherever one is asked for. */
#define BUSINESS_AREA_CODE_RULE "must be a US area code: three digits, the first 2 to 9"

/* Leaves a request for a phone number for business_id (the transaction's tenant), in
 * area_code when it is not NULL; the provisioning job orders it through Telnyx. */
enum app_err business_request_number(PGconn *conn, const char *business_id,
                                     const char *area_code, char *why, size_t why_len);

#endif
