/* lib/core/web_config.h: the environment of frontdesk-web beyond config.h's shared
 * variables, strict like them: a missing or malformed value is refused with a message
 * that names the variable, and the binary exits with status 2. */
#ifndef FD_WEB_CONFIG_H
#define FD_WEB_CONFIG_H
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define WEB_CONFIG_ID_MAX 64        /* characters of a Telnyx connection or profile id */

struct web_config {
    char listen_host[64];           /* FRONTDESK_WEB_LISTEN, default 127.0.0.1:8081 */
    int listen_port;
    char public_url[512];           /* FRONTDESK_PUBLIC_URL, default http://<listen>, no
                                       trailing '/': the dashboard's external address */
    bool is_public_https;           /* cookies are Secure */
    int session_idle_s;             /* FRONTDESK_SESSION_IDLE_S, default 86400 */
    int session_max_s;              /* FRONTDESK_SESSION_MAX_S, default 2592000 (30 days) */
    /* FRONTDESK_TELNYX_CONNECTION_ID, FRONTDESK_TELNYX_MESSAGING_PROFILE_ID: what a
     * number ordered for a business is attached to ("" when unset). */
    char telnyx_connection_id[WEB_CONFIG_ID_MAX + 1];
    char telnyx_messaging_profile_id[WEB_CONFIG_ID_MAX + 1];
};

/* Fills *out from the environment. On APP_EINVAL, why holds "FRONTDESK_X: ..." */
enum app_err web_config_load(struct web_config *out, char *why, size_t why_len);
/* web_config_load, or print the reason to stderr and exit(2). */
void web_config_load_or_exit(struct web_config *out);

#endif
