/* lib/llm/llm_prompt.c: see llm_prompt.h.
 *
 * The prompt is plain text in sections (rules first, then the business's facts), built
 * into an evbuffer. It states only what the configuration holds: no phone numbers (the
 * worker transfers and notifies, the model does not need them), nothing about other
 * businesses, no defaults invented for what a business left out. */
#include "llm/llm_prompt.h"

#include <event2/buffer.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "agent/agent_config.h"
#include "receptionist/receptionist.h"
#include "core/xalloc.h"

/* Monday first, as people say them; the values are tm_wday indexes. */
static const int week_order[7] = {1, 2, 3, 4, 5, 6, 0};
static const char *const day_names[7] = {"Sunday", "Monday", "Tuesday", "Wednesday",
                                         "Thursday", "Friday", "Saturday"};

static void put(struct evbuffer *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct evbuffer *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (evbuffer_add_vprintf(b, fmt, ap) < 0)
        abort();    /* out of memory: as xalloc would */
    va_end(ap);
}

static void put_rules(struct evbuffer *b, const struct agent_config *c, const char *now_local)
{
    static const char *const tones[] = {
        [AGENT_TONE_FRIENDLY] = "friendly and warm",
        [AGENT_TONE_FORMAL] = "formal and polite",
        [AGENT_TONE_BRIEF] = "brief and to the point",
    };
    put(b, "You are the phone receptionist of %s. You are on a live phone call; what you "
           "write is read aloud to the caller by a text-to-speech voice.\n", c->business_name);
    if (now_local != NULL)
        put(b, "The current local date and time at the business is %s (time zone %s).\n",
            now_local, c->timezone);
    put(b, "\nRules:\n"
           "- Answer only from the business information below. If the answer is not there, "
           "say you do not know and offer to take a message.\n"
           "- Never invent services, prices, durations, opening times, dates or free times.\n"
           "- To find free times call check_availability; to book call book. Never tell the "
           "caller an appointment is booked, cancelled or a message taken unless the tool's "
           "result says so.\n"
           "- Before calling book, read back the service, day, time and the caller's name "
           "and get a yes.\n"
           "- Days in tool arguments are YYYY-MM-DD and times HH:MM (24-hour), both local "
           "to the business.\n"
           "- Keep every reply short: one or two sentences, no lists, no markdown, no links, "
           "no emoji.\n"
           "- Be %s. Reply in the language %s.\n",
        tones[c->tone], c->language);
}

static void put_address(struct evbuffer *b, const struct agent_config *c)
{
    const struct agent_address *a = &c->address;
    if (!c->has_address)
        return;
    put(b, "Address: %s, %s", a->street, a->city);
    if (a->region[0] != '\0')
        put(b, ", %s", a->region);
    if (a->postal_code[0] != '\0')
        put(b, " %s", a->postal_code);
    if (a->country[0] != '\0')
        put(b, ", %s", a->country);
    put(b, "\n");
    if (a->directions[0] != '\0')
        put(b, "Directions: %s\n", a->directions);
}

static void put_hours(struct evbuffer *b, const struct agent_config *c)
{
    put(b, "\nOpening hours (time zone %s):\n", c->timezone);
    for (int i = 0; i < 7; i++) {
        const struct agent_day *d = agent_config_hours(c, week_order[i]);
        put(b, "- %s: ", day_names[week_order[i]]);
        if (d->nranges == 0)
            put(b, "closed");
        for (size_t r = 0; r < d->nranges; r++)
            put(b, "%s%02u:%02u-%02u:%02u", r > 0 ? ", " : "",
                d->ranges[r].open_minute / 60u, d->ranges[r].open_minute % 60u,
                d->ranges[r].close_minute / 60u, d->ranges[r].close_minute % 60u);
        put(b, "\n");
    }
    if (c->nclosures > 0)
        put(b, "Closed on these dates whatever the hours say:\n");
    for (size_t i = 0; i < c->nclosures; i++) {
        int32_t date = c->closures[i].date;
        put(b, "- %04d-%02d-%02d", (int)(date / 10000), (int)(date / 100 % 100), (int)(date % 100));
        if (c->closures[i].reason[0] != '\0')
            put(b, ": %s", c->closures[i].reason);
        put(b, "\n");
    }
}

static void put_service(struct evbuffer *b, const struct agent_config *c,
                        const struct agent_service *s)
{
    put(b, "- %s", s->name);
    for (size_t a = 0; a < s->naliases; a++)
        put(b, "%s%s", a == 0 ? " (also called: " : ", ", s->aliases[a]);
    put(b, "%s: %u minutes, ", s->naliases > 0 ? ")" : "", s->duration_minutes);
    if (s->has_price)
        put(b, "%s %s.", s->price_text, s->currency);
    else
        put(b, "price on request.");
    if (s->description[0] != '\0')
        put(b, " %s", s->description);
    for (size_t u = 0; u < s->nupsells; u++)
        put(b, "%s%s", u == 0 ? " Goes well with: " : ", ", c->services[s->upsells[u]].name);
    put(b, s->nupsells > 0 ? ".\n" : "\n");
}

static void put_services(struct evbuffer *b, const struct agent_config *c)
{
    put(b, "\nServices (these are the only ones; prices are exact):\n");
    if (c->nservices == 0)
        put(b, "- none listed\n");
    for (size_t i = 0; i < c->nservices; i++)
        put_service(b, c, &c->services[i]);
}

static void put_faq_and_policies(struct evbuffer *b, const struct agent_config *c)
{
    if (c->nfaq > 0)
        put(b, "\nFrequently asked questions (answer in these words):\n");
    for (size_t i = 0; i < c->nfaq; i++)
        put(b, "- Q: %s\n  A: %s\n", c->faq[i].question, c->faq[i].answer);
    if (c->npolicies > 0)
        put(b, "\nPolicies:\n");
    for (size_t i = 0; i < c->npolicies; i++)
        put(b, "- %s: %s\n", c->policies[i].name, c->policies[i].text);
}

static void put_booking(struct evbuffer *b, const struct agent_config *c, bool is_paused)
{
    put(b, "\nBooking: ");
    if (is_paused) {
        put(b, "the business cannot take new bookings today; do not call check_availability "
               "or book. To a caller who wants an appointment, say you can't book it today and "
               "offer to take a message so the team can call back to arrange it.\n");
        return;
    }
    if (!c->booking.is_enabled) {
        put(b, "this business does not take bookings by phone; do not call check_availability "
               "or book. Offer to take a message instead.\n");
        return;
    }
    put(b, "appointments start every %u minutes from the opening time, at least %u minutes "
           "from now and at most %u days ahead. The tools know which times are free; ask "
           "them, never guess.\n",
        c->booking.slot_minutes, c->booking.lead_time_minutes, c->booking.max_days_ahead);
}

static void put_escalation(struct evbuffer *b, const struct agent_config *c)
{
    static const char *const after[] = {
        [AGENT_AFTER_HOURS_TAKE_MESSAGE] = "take a message (call take_message)",
        [AGENT_AFTER_HOURS_FORWARD] = "transfer the caller (call transfer)",
        [AGENT_AFTER_HOURS_BOOKING_ONLY] = "only book appointments for opening hours; "
                                           "for anything else take a message",
        [AGENT_AFTER_HOURS_BOOK_AND_MESSAGE] = "book appointments for opening hours, or take a "
                                               "message (call take_message)",
    };
    put(b, "\nHanding over to a person: ");
    if (c->escalation.on_request)
        put(b, "when the caller asks for a person, call transfer. ");
    else
        put(b, "when the caller asks for a person, offer to take a message. ");
    for (size_t i = 0; i < c->escalation.nkeywords; i++)
        put(b, "%s\"%s\"", i == 0 ? "Call transfer at once if the caller mentions: " : ", ",
            c->escalation.keywords[i]);
    put(b, c->escalation.nkeywords > 0 ? ".\n" : "\n");
    if (c->after_hours == AGENT_AFTER_HOURS_FORWARD && c->after_hours_answers_first)
        put(b, "Outside opening hours: answer questions about hours, services, prices, the FAQ "
               "and policies; for anything else transfer the caller (call transfer).\n");
    else
        put(b, "Outside opening hours: %s.\n", after[c->after_hours]);
    if (c->after_hours_message[0] != '\0')
        put(b, "While closed, tell every caller: \"%s\"\n", c->after_hours_message);
    put(b, "When the caller is done, say goodbye and call end_call.\n");
}

static char *system_prompt(const struct agent_config *config, const char *now_local, bool is_paused)
{
    struct evbuffer *b = evbuffer_new();
    if (b == NULL)
        abort();
    put_rules(b, config, now_local);
    put(b, "\nBusiness information\nName: %s\n", config->business_name);
    put(b, "Greeting (already said at the start of the call): %s\n", config->greeting);
    put_address(b, config);
    put_hours(b, config);
    put_services(b, config);
    put_faq_and_policies(b, config);
    put_booking(b, config, is_paused);
    put_escalation(b, config);
    size_t len = evbuffer_get_length(b);
    char *text = xmalloc(len + 1);
    evbuffer_remove(b, text, len);
    text[len] = '\0';
    evbuffer_free(b);
    return text;
}

char *llm_prompt_system(const struct agent_config *config, const char *now_local)
{
    return system_prompt(config, now_local, false);
}

char *llm_prompt_system_bookings_paused(const struct agent_config *config, const char *now_local)
{
    return system_prompt(config, now_local, true);
}

/* ---- tools ---- */

static json_t *pattern_prop(const char *description, const char *pattern, int max_length)
{
    return json_pack("{s:s, s:s, s:s, s:i}", "type", "string", "description", description,
                     "pattern", pattern, "maxLength", max_length);
}

/* The service argument: an enum of the business's service names when it has any. */
static json_t *service_prop(const struct agent_config *c)
{
    json_t *p = json_pack("{s:s, s:s, s:i}", "type", "string", "description",
                          "The service's name exactly as the business information lists it.",
                          "maxLength", RX_TOOL_NAME_MAX - 1);
    if (c->nservices == 0)
        return p;
    json_t *names = json_array();
    for (size_t i = 0; i < c->nservices; i++)
        json_array_append_new(names, json_string(c->services[i].name));
    json_object_set_new(p, "enum", names);
    return p;
}

/* A function tool; props and required are stolen (required is a NULL-terminated list). */
static json_t *tool(enum rx_tool t, const char *description, json_t *props, const char *const *required)
{
    json_t *req = json_array();
    for (size_t i = 0; required[i] != NULL; i++)
        json_array_append_new(req, json_string(required[i]));
    json_t *params = json_pack("{s:s, s:o, s:o, s:b}", "type", "object", "properties", props,
                               "required", req, "additionalProperties", 0);
    return json_pack("{s:s, s:{s:s, s:s, s:o}}", "type", "function", "function", "name",
                     rx_tool_name(t), "description", description, "parameters", params);
}

#define DAY_PATTERN "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
#define TIME_PATTERN "^([01][0-9]|2[0-3]):[0-5][0-9]$"
#define DAY_TEXT "The local day, YYYY-MM-DD."

static json_t *availability_tool(const struct agent_config *c)
{
    static const char *const req[] = {"service", "day", NULL};
    json_t *props = json_pack("{s:o, s:o, s:o}", "service", service_prop(c),
                              "day", pattern_prop(DAY_TEXT, DAY_PATTERN, 10),
                              "time", pattern_prop("A preferred local start time, HH:MM "
                                                   "(24-hour); leave out for the whole day.",
                                                   TIME_PATTERN, 5));
    return tool(RX_TOOL_CHECK_AVAILABILITY, "Free start times for a service on a day, "
                "nearest to the preferred time first.", props, req);
}

static json_t *book_tool(const struct agent_config *c)
{
    static const char *const req[] = {"service", "day", "time", "caller_name", NULL};
    json_t *props = json_pack("{s:o, s:o, s:o, s:o}", "service", service_prop(c),
                              "day", pattern_prop(DAY_TEXT, DAY_PATTERN, 10),
                              "time", pattern_prop("The local start time, HH:MM (24-hour).",
                                                   TIME_PATTERN, 5),
                              "caller_name", pattern_prop("The caller's name.", "\\S",
                                                          RX_TOOL_NAME_MAX - 1));
    return tool(RX_TOOL_BOOK, "Books the caller into a free slot, after they said yes to the "
                "read-back. The result says whether it is booked.", props, req);
}

static json_t *message_tool(void)
{
    static const char *const req[] = {"caller_name", "callback_number", "message", NULL};
    json_t *props = json_pack(
        "{s:o, s:o, s:o}",
        "caller_name", pattern_prop("The caller's name.", "\\S", RX_TOOL_NAME_MAX - 1),
        "callback_number", pattern_prop("The number to call back, E.164, e.g. +12015550123.",
                                        "^\\+[1-9][0-9]{6,14}$", 16),
        "message", pattern_prop("The message for the business, in the caller's words.", "\\S",
                                RX_TOOL_TEXT_MAX - 1));
    return tool(RX_TOOL_TAKE_MESSAGE, "Takes a message for the business, after reading the "
                "callback number back digit by digit.", props, req);
}

json_t *llm_prompt_tools(const struct agent_config *config)
{
    static const char *const none[] = {NULL};
    static const char *const reason[] = {"reason", NULL};
    json_t *tools = json_array();
    json_array_append_new(tools, availability_tool(config));
    json_array_append_new(tools, book_tool(config));
    json_array_append_new(tools, tool(RX_TOOL_CANCEL, "Cancels the caller's own booking, found "
                                      "by the number they are calling from.", json_object(), none));
    json_t *why = pattern_prop("Why, in a few words.", "\\S", 255);
    json_array_append_new(tools, tool(RX_TOOL_TRANSFER, "Transfers the caller to a person at the "
                                      "business.", json_pack("{s:o}", "reason", why), reason));
    json_array_append_new(tools, message_tool());
    json_array_append_new(tools, tool(RX_TOOL_END_CALL, "Hangs up, after the goodbye.",
                                      json_object(), none));
    return tools;
}
