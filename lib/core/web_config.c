/* lib/core/web_config.c: see web_config.h. */
#include "core/web_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"

/* An http(s) URL without spaces or control characters; its trailing '/' is dropped. */
static bool parse_public_url(const char *text, struct web_config *out)
{
    size_t len = strlen(text);
    bool is_https = strncmp(text, "https://", 8) == 0;
    size_t scheme = is_https ? 8 : 7;
    if (!is_https && strncmp(text, "http://", 7) != 0)
        return false;
    if (len <= scheme || len >= sizeof out->public_url)
        return false;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)text[i] <= ' ' || text[i] == 0x7F)
            return false;
    while (len > scheme && text[len - 1] == '/')
        len--;
    memcpy(out->public_url, text, len);
    out->public_url[len] = '\0';
    out->is_public_https = is_https;
    return len > scheme;
}

/* Telnyx ids: letters, digits, '-' and '_' (numeric connection ids, UUID profile ids). */
static bool parse_telnyx_id(const char *text, char *out)
{
    size_t len = strlen(text);
    if (len > WEB_CONFIG_ID_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        bool is_alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!is_alnum && c != '-' && c != '_')
            return false;
    }
    memcpy(out, text, len + 1);
    return true;
}

enum app_err web_config_load(struct web_config *out, char *why, size_t why_len)
{
    memset(out, 0, sizeof *out);
    const char *listen = config_env_or("FRONTDESK_WEB_LISTEN", "127.0.0.1:8081");
    if (!config_parse_listen(listen, out->listen_host, sizeof out->listen_host, &out->listen_port))
        return config_refuse(why, why_len, "FRONTDESK_WEB_LISTEN: expected HOST:PORT "
                      "(e.g. 127.0.0.1:8081), got '%.80s'", listen);

    char fallback[128];
    snprintf(fallback, sizeof fallback, "http://%s", listen);
    const char *v = config_env_or("FRONTDESK_PUBLIC_URL", fallback);
    if (!parse_public_url(v, out))
        return config_refuse(why, why_len, "FRONTDESK_PUBLIC_URL: expected the dashboard's http:// or "
                      "https:// address (e.g. https://app.example.com), got '%.80s'", v);

    v = config_env_or("FRONTDESK_SESSION_IDLE_S", "86400");
    if (!config_parse_int(v, 1, 31536000, &out->session_idle_s))
        return config_refuse(why, why_len, "FRONTDESK_SESSION_IDLE_S: expected whole seconds from 1 to "
                      "31536000, got '%.40s'", v);
    v = config_env_or("FRONTDESK_SESSION_MAX_S", "2592000");
    if (!config_parse_int(v, 1, 31536000, &out->session_max_s))
        return config_refuse(why, why_len, "FRONTDESK_SESSION_MAX_S: expected whole seconds from 1 to "
                      "31536000, got '%.40s'", v);

    v = config_env_or("FRONTDESK_TELNYX_CONNECTION_ID", "");
    if (!parse_telnyx_id(v, out->telnyx_connection_id))
        return config_refuse(why, why_len, "FRONTDESK_TELNYX_CONNECTION_ID: expected the Call Control "
                      "Application's id (letters, digits, '-', '_'; at most %d), got '%.80s'",
                      WEB_CONFIG_ID_MAX, v);
    v = config_env_or("FRONTDESK_TELNYX_MESSAGING_PROFILE_ID", "");
    if (!parse_telnyx_id(v, out->telnyx_messaging_profile_id))
        return config_refuse(why, why_len, "FRONTDESK_TELNYX_MESSAGING_PROFILE_ID: expected the Messaging "
                      "Profile's id (letters, digits, '-', '_'; at most %d), got '%.80s'",
                      WEB_CONFIG_ID_MAX, v);
    return APP_OK;
}

void web_config_load_or_exit(struct web_config *out)
{
    char why[512];
    if (web_config_load(out, why, sizeof why) != APP_OK) {
        fprintf(stderr, "configuration error: %s\n", why);
        exit(2);
    }
}
