/* lib/agent/agent_config_document.c: a configuration document as a whole (see
 * agent_config.h): its top-level fields, its sections in the order of
 * docs/agent-config.md (read by agent_config.c), and the two ways in:
 * agent_config_parse (the first problem, for the worker and the tools) and
 * agent_config_validate (every problem, for whoever saves a document). Both read the
 * whole document the same way; a part that fails does not stop the parts after it
 * (cfg_recover), so the first problem is the one a reader stopping there would find. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"
#include "agent/agent_config_reader.h"
#include "agent/agent_config_rules.h"
#include "agent/agent_config_sections.h"
#include "core/json_doc.h"
#include "core/xalloc.h"

static bool read_language(struct parser *p, int top)
{
    if (!cfg_get_text(p, top, "language", 20, TEXT_LINE, "en-US", &p->cfg->language))
        return false;
    const char *s = p->cfg->language;
    size_t i = 0;
    while (s[i] >= 'a' && s[i] <= 'z')
        i++;
    bool ok = i >= 2 && i <= 3;
    if (ok && s[i] == '-') {
        size_t j = ++i;
        while ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9'))
            i++;
        ok = i - j == 2 || (i - j == 3 && s[j] >= '0' && s[j] <= '9');
    }
    if (ok && s[i] == '\0')
        return true;
    cfg_path_push_key(p, "language");
    return cfg_fail(p, "must be a language tag like \"en-US\" or \"es\"");
}

static bool read_voice(struct parser *p, int top)
{
    if (!cfg_get_text(p, top, "voice", AGENT_NAME_MAX, TEXT_LINE, "Telnyx.KokoroTTS.af",
                  &p->cfg->voice))
        return false;
    for (const char *s = p->cfg->voice; *s != '\0'; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '_' || *s == '-' || *s == ':')) {
            cfg_path_push_key(p, "voice");
            return cfg_fail(p, "must be a voice name like \"Telnyx.KokoroTTS.af\" "
                        "(letters, digits, . _ - :)");
        }
    return true;
}

static bool read_timezone(struct parser *p, int top)
{
    if (!cfg_get_text(p, top, "timezone", 64, TEXT_LINE, NULL, &p->cfg->timezone))
        return false;
    if (agent_timezone_exists(AGENT_CONFIG_ZONEINFO_DIR, p->cfg->timezone))
        return true;
    cfg_path_push_key(p, "timezone");
    return cfg_fail(p, "\"%s\" is not an IANA time zone (like \"America/New_York\")",
                p->cfg->timezone);
}

static bool read_config_version(struct parser *p, int top)
{
    unsigned version;
    int tok = cfg_member(p, top, "config_version");
    cfg_path_push_key(p, "config_version");
    if (tok < 0)
        return cfg_fail(p, "is required (%d for this format)", AGENT_CONFIG_FORMAT_VERSION);
    if (!cfg_read_uint(p, tok, AGENT_CONFIG_FORMAT_VERSION, AGENT_CONFIG_FORMAT_VERSION, &version))
        return false;
    p->cfg->config_version = (int)version;
    return true;
}

/* The greeting's default names the business, so it is read after the name (with a
 * stand-in when the name was refused: the document fails then anyway). */
static bool read_greeting(struct parser *p, int top)
{
    struct agent_config *c = p->cfg;
    char *greeting = xasprintf("Thank you for calling %s. How can I help you today?",
                               c->business_name ? c->business_name : "us");
    const char *dflt = cfg_mem_strdup(p, greeting, strlen(greeting));
    free(greeting);
    return cfg_get_text(p, top, "greeting", AGENT_SHORT_TEXT_MAX, TEXT_LINE, dflt, &c->greeting);
}

static bool read_tone(struct parser *p, int top)
{
    static const char *const tones[] = {"friendly", "formal", "brief", NULL};
    int tone = AGENT_TONE_FRIENDLY;
    if (!cfg_get_choice(p, top, "tone", tones, &tone))
        return false;
    p->cfg->tone = (enum agent_tone)tone;
    return true;
}

static bool read_currency(struct parser *p, int top)
{
    int cur = cfg_member(p, top, "currency");
    cfg_path_push_key(p, "currency");
    return cur < 0 || cfg_read_currency(p, cur, p->cfg->currency, NULL);
}

/* The top-level fields before the sections; each is checked whatever the others hold. */
static bool read_identity(struct parser *p, int top)
{
    struct agent_config *c = p->cfg;
    memcpy(c->currency, "USD", 4);      /* the services' default, unless it says */
    bool ok = cfg_recover(p, 0, read_config_version(p, top));
    ok = cfg_recover(p, 0, cfg_get_text(p, top, "business_name", AGENT_BUSINESS_NAME_MAX,
                                        TEXT_LINE, NULL, &c->business_name)) && ok;
    ok = cfg_recover(p, 0, read_greeting(p, top)) && ok;
    ok = cfg_recover(p, 0, read_voice(p, top)) && ok;
    ok = cfg_recover(p, 0, read_language(p, top)) && ok;
    ok = cfg_recover(p, 0, read_tone(p, top)) && ok;
    ok = cfg_recover(p, 0, read_timezone(p, top)) && ok;
    return cfg_recover(p, 0, read_currency(p, top)) && ok;
}

/* Every section is read; booking and after_hours check what they need of an earlier
 * section only when it passed. */
static bool parse_document(struct parser *p)
{
    static const char *const keys[] = {
        "config_version", "business_name", "greeting", "voice", "language", "tone",
        "timezone", "currency", "address", "hours", "closures", "services", "faq",
        "policies", "booking", "escalation", "after_hours", "notifications", "sms", NULL};
    if (json_doc_kind(&p->doc, 0) != JSON_KIND_OBJECT)
        return cfg_fail(p, "must be a JSON object");
    bool ok = cfg_recover(p, 0, cfg_check_keys(p, 0, keys));
    ok = read_identity(p, 0) && ok;
    ok = cfg_recover(p, 0, cfg_parse_address(p, cfg_member(p, 0, "address"))) && ok;
    ok = cfg_recover(p, 0, cfg_parse_hours(p, cfg_member(p, 0, "hours"))) && ok;
    ok = cfg_recover(p, 0, cfg_parse_closures(p, cfg_member(p, 0, "closures"))) && ok;
    bool is_services_read = cfg_recover(p, 0, cfg_parse_services(p, cfg_member(p, 0, "services")));
    ok = is_services_read && ok;
    ok = cfg_recover(p, 0, cfg_parse_faq(p, cfg_member(p, 0, "faq"))) && ok;
    ok = cfg_recover(p, 0, cfg_parse_policies(p, cfg_member(p, 0, "policies"))) && ok;
    bool is_booking_read = cfg_recover(p, 0, cfg_parse_booking(p, cfg_member(p, 0, "booking"),
                                                               is_services_read));
    ok = is_booking_read && ok;
    ok = cfg_recover(p, 0, cfg_parse_escalation(p, cfg_member(p, 0, "escalation"))) && ok;
    ok = cfg_recover(p, 0, cfg_parse_after_hours(p, cfg_member(p, 0, "after_hours"),
                                                 is_booking_read)) && ok;
    ok = cfg_recover(p, 0, cfg_parse_notifications(p, cfg_member(p, 0, "notifications"))) && ok;
    return cfg_recover(p, 0, cfg_parse_sms(p, cfg_member(p, 0, "sms"))) && ok;
}

/* Both ways in: why gets the first problem, problems (may be NULL) every one. */
static enum app_err parse(const char *json, size_t len, struct agent_config **out, char *why,
                          size_t why_len, struct agent_config_problems *problems)
{
    *out = NULL;
    if (len > AGENT_CONFIG_DOC_MAX) {
        snprintf(why, why_len, "document: is %zu bytes; at most %d are allowed", len,
                 AGENT_CONFIG_DOC_MAX);
        return APP_ETOOBIG;
    }
    struct parser *p = xcalloc(1, sizeof *p);
    p->why = why;
    p->why_len = why_len;
    p->problems = problems;
    p->cfg = xcalloc(1, sizeof *p->cfg);
    p->cfg->derived = xcalloc(1, sizeof *p->cfg->derived);
    enum app_err err = APP_EINVAL;
    if (!json_doc_parse(&p->doc, json, len))
        snprintf(why, why_len, "document: is not valid JSON (UTF-8, no trailing commas or "
                 "comments)");
    else if (parse_document(p))
        err = APP_OK;
    json_doc_cleanup(&p->doc);
    if (err == APP_OK)
        *out = p->cfg;
    else
        agent_config_free(p->cfg);
    free(p);
    return err;
}

enum app_err agent_config_parse(const char *json, size_t len, struct agent_config **out,
                                char *why, size_t why_len)
{
    return parse(json, len, out, why, why_len, NULL);
}

void agent_config_problem_add(struct agent_config_problems *problems, const char *path,
                              const char *message)
{
    if (problems == NULL)
        return;
    if (problems->n == AGENT_CONFIG_PROBLEMS_MAX) {
        problems->is_truncated = true;
        return;
    }
    struct agent_config_problem *item = &problems->items[problems->n++];
    /* each cut at its field's size ("%.*s" says so to -Wformat-truncation) */
    snprintf(item->path, sizeof item->path, "%.*s", (int)sizeof item->path - 1, path);
    snprintf(item->message, sizeof item->message, "%.*s", (int)sizeof item->message - 1, message);
}

enum app_err agent_config_validate(const char *json, size_t len, struct agent_config **out,
                                   struct agent_config_problems *problems)
{
    struct agent_config *config = NULL;
    char why[AGENT_CONFIG_PATH_MAX + AGENT_CONFIG_MESSAGE_MAX];
    memset(problems, 0, sizeof *problems);
    if (out != NULL)
        *out = NULL;
    if (memchr(json, '\0', len) != NULL) {
        agent_config_problem_add(problems, "", "contains a NUL byte");
        return APP_EINVAL;
    }
    enum app_err err = parse(json, len, &config, why, sizeof why, problems);
    if (err != APP_OK && problems->n == 0)     /* the document itself: size, not JSON */
        agent_config_problem_add(problems, "", why + strlen("document: "));
    if (out != NULL)
        *out = config;
    else
        agent_config_free(config);
    return err;
}
