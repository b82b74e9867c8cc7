/* lib/agent/agent_config.h: a business's receptionist configuration (ai_agents.config), the
 * JSON document a business edits, parsed and validated into a typed, immutable struct.
 * docs/agent-config.md describes the format field by field; docs/examples/ holds one
 * complete document per kind of business.
 *
 * Parsing happens when a document is saved (frontdesk-ctl agent set) and when a worker
 * loads a business (a cache miss), not per turn; the accessors below are what a turn
 * uses, and they allocate nothing.
 *
 * Ownership: agent_config_parse() returns a config that owns every string and array it
 * points to; all of it is freed at once by agent_config_free(). The struct is plain so
 * the receptionist can read it directly, but it is read-only: nothing may change it
 * after parsing, so one config may be shared by every call of a business. */
#ifndef FD_AGENT_CONFIG_H
#define FD_AGENT_CONFIG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define AGENT_CONFIG_FORMAT_VERSION 1       /* the config_version this build reads */
#define AGENT_CONFIG_DOC_MAX (256 * 1024)   /* bytes of one document */
#define AGENT_CONFIG_ZONEINFO_DIR "/usr/share/zoneinfo"
#define AGENT_DEFAULT_TIMEZONE "America/New_York"   /* of a new business, unless it says */

/* Limits, in characters (Unicode code points) for text and in entries for lists. */
#define AGENT_BUSINESS_NAME_MAX 200     /* as frontdesk-ctl tenant create --name */
#define AGENT_NAME_MAX 100              /* service names, aliases, policy names */
#define AGENT_SHORT_TEXT_MAX 500        /* greeting, question, address lines, reasons */
#define AGENT_LONG_TEXT_MAX 2000        /* description, answer, policy text */
#define AGENT_KEYWORD_MAX 50
#define AGENT_SERVICES_MAX 200
#define AGENT_ALIASES_MAX 20
#define AGENT_UPSELLS_MAX 10
#define AGENT_FAQ_MAX 500
#define AGENT_KEYWORDS_MAX 20           /* per FAQ entry, and for escalation */
#define AGENT_POLICIES_MAX 50
#define AGENT_RANGES_MAX 6              /* opening ranges per weekday */
#define AGENT_CLOSURES_MAX 366

enum agent_tone { AGENT_TONE_FRIENDLY, AGENT_TONE_FORMAL, AGENT_TONE_BRIEF };

enum agent_after_hours {
    AGENT_AFTER_HOURS_TAKE_MESSAGE,     /* take a message (the default) */
    AGENT_AFTER_HOURS_FORWARD,          /* transfer to after_hours.forward_number */
    AGENT_AFTER_HOURS_BOOKING_ONLY,     /* book for opening hours, no messages */
    AGENT_AFTER_HOURS_BOOK_AND_MESSAGE, /* book for opening hours and take messages */
};

/* Bits of agent_config.notify_on. */
enum {
    AGENT_NOTIFY_BOOKING = 1u << 0,
    AGENT_NOTIFY_MESSAGE = 1u << 1,
    AGENT_NOTIFY_ESCALATION = 1u << 2,
    AGENT_NOTIFY_CALL_SUMMARY = 1u << 3,    /* every finished call: summary and lead score */
};

/* One opening range, in minutes since local midnight: 0 <= open < close <= 1440. */
struct agent_range {
    uint16_t open_minute, close_minute;
};

/* The ranges of one weekday, sorted and not overlapping; nranges == 0: closed. */
struct agent_day {
    const struct agent_range *ranges;
    size_t nranges;
};

struct agent_service {
    const char *name;
    const char *const *aliases;
    size_t naliases;
    unsigned duration_minutes;
    bool has_price;                 /* false: "price on request" */
    int64_t price_minor;            /* in the currency's minor units (cents) */
    const char *price_text;         /* as written, e.g. "120.00"; "" without a price */
    char currency[4];               /* ISO 4217, e.g. "USD" */
    unsigned currency_digits;       /* minor-unit digits of currency (2 for USD) */
    const char *description;        /* "" when absent */
    const size_t *upsells;          /* indexes into agent_config.services */
    size_t nupsells;
};

struct agent_faq {
    const char *question, *answer;
    const char *const *keywords;    /* lowercase */
    size_t nkeywords;
};

struct agent_policy {
    const char *name, *text;        /* name: [a-z0-9_], e.g. "cancellation" */
};

struct agent_closure {
    int32_t date;                   /* yyyymmdd, e.g. 20251225 */
    const char *reason;             /* "" when absent */
};

struct agent_address {
    const char *street, *city, *region, *postal_code, *country, *directions; /* "" when absent */
};

struct agent_config_mem;            /* private: the allocations behind the pointers */

#define AGENT_MISSED_CALL_TEXT_MAX 320  /* one text */

struct agent_config {
    int config_version;
    const char *business_name, *greeting, *voice, *language, *timezone;
    enum agent_tone tone;
    char currency[4];               /* the services' default currency */
    bool has_address;
    struct agent_address address;
    struct agent_day hours[7];      /* indexed like struct tm's tm_wday: 0 = Sunday */
    const struct agent_closure *closures;   /* sorted by date, no duplicates */
    size_t nclosures;
    const struct agent_service *services;   /* in document order */
    size_t nservices;
    const struct agent_faq *faq;
    size_t nfaq;
    const struct agent_policy *policies;    /* in document order */
    size_t npolicies;
    struct {
        bool is_enabled;
        unsigned slot_minutes, lead_time_minutes, max_days_ahead, capacity_per_slot;
    } booking;
    struct {
        const char *transfer_number;        /* E.164, or NULL: the business's fallback */
        bool on_request;                    /* transfer when a caller asks for a person */
        unsigned after_misunderstood_turns; /* 0: never */
        const char *const *keywords;        /* lowercase */
        size_t nkeywords;
    } escalation;
    enum agent_after_hours after_hours;
    const char *after_hours_forward_number; /* E.164, or NULL unless forwarding */
    const char *after_hours_message;        /* said to callers while closed; "" none */
    bool after_hours_answers_first;         /* forward: questions answered before */
    const char *owner_sms;                  /* E.164, or NULL */
    unsigned notify_on;                     /* AGENT_NOTIFY_* bits */
    /* sms.missed_call_text: texted to a caller whose call was missed; NULL when the
     * business turned it off (false) */
    const char *missed_call_text;
    struct agent_config_mem *mem;           /* private */
    /* What a reader derives from the configuration once and keeps with it (the
     * receptionist's search index): built on first use, freed with the configuration.
     * agent_config_parse always sets it; a configuration is used by one thread. */
    struct agent_config_derived *derived;
};

struct agent_config_derived {
    void *data;
    void (*free_data)(void *data);
};

/* Parses and validates the document json (len bytes, need not be NUL-terminated).
 * On APP_OK *out is a new config (owned: agent_config_free). Otherwise *out is NULL
 * and why (why_len bytes, 256 are plenty) names the field as a JSON path and says what
 * is wrong, e.g. "services[2].price: must be a decimal string like \"120.00\"" (the
 * first problem; agent_config_validate reports them all). The result is APP_ETOOBIG
 * for a document over AGENT_CONFIG_DOC_MAX bytes and APP_EINVAL for anything else that
 * is invalid. Reads AGENT_CONFIG_ZONEINFO_DIR to check the time zone. */
enum app_err agent_config_parse(const char *json, size_t len, struct agent_config **out,
                                char *why, size_t why_len);
void agent_config_free(struct agent_config *config);   /* NULL is fine */

#define AGENT_CONFIG_PATH_MAX 160       /* bytes of a problem's path */
#define AGENT_CONFIG_MESSAGE_MAX 256    /* bytes of a problem's message */
#define AGENT_CONFIG_PROBLEMS_MAX 50    /* problems reported for one document */

/* What is wrong with a document, for whoever saves one (frontdesk-ctl agent set, the
 * owner API's PUT /api/v1/agent). */
struct agent_config_problems {
    size_t n;
    bool is_truncated;                  /* more than AGENT_CONFIG_PROBLEMS_MAX were found */
    struct agent_config_problem {
        char path[AGENT_CONFIG_PATH_MAX];   /* "services[2].price"; "" for the document */
        char message[AGENT_CONFIG_MESSAGE_MAX];
    } items[AGENT_CONFIG_PROBLEMS_MAX];
};

/* agent_config_parse for a document someone is saving: refuses a NUL byte too, and
 * reports every problem it finds rather than the first. Each section, each entry of a
 * list and each top-level field is checked even after another failed; what depends on
 * a part that failed is not (a service's upsells when a service is wrong, booking's
 * need for a service when services are wrong), and inside one entry the first problem
 * ends it. problems is reset; on APP_OK it is empty and *out (when out is not NULL) is
 * the config (owned). Otherwise problems->n >= 1, in document order. */
enum app_err agent_config_validate(const char *json, size_t len, struct agent_config **out,
                                   struct agent_config_problems *problems);
/* Adds path and message to problems (NULL is fine: nothing to do), or marks it
 * truncated when it is full. */
void agent_config_problem_add(struct agent_config_problems *problems, const char *path,
                              const char *message);

/* The service whose name or one of its aliases equals name (len bytes), ignoring ASCII
 * case, surrounding spaces and repeated inner spaces; NULL if none. Borrowed from
 * config. Names and aliases are unique across services in this sense, so at most one
 * service matches. */
const struct agent_service *agent_config_find_service(const struct agent_config *config,
                                                      const char *name, size_t len);
/* The comparison behind agent_config_find_service: equal ignoring ASCII case,
 * surrounding spaces and repeated inner spaces ("Teeth  Whitening" = "teeth whitening").
 * Bytes outside ASCII are compared as they are. */
bool agent_name_equals(const char *a, size_t a_len, const char *b, size_t b_len);
/* The opening hours of a weekday, tm_wday convention (0 = Sunday .. 6 = Saturday);
 * NULL for a weekday outside 0..6. Borrowed from config. */
const struct agent_day *agent_config_hours(const struct agent_config *config, int wday);
/* True if the local date year-month-day (month 1..12) is a closure; sets *reason
 * (borrowed, "" when none was given) when reason is not NULL. */
bool agent_config_is_closed_on(const struct agent_config *config, int year, int month,
                               int day, const char **reason);
/* True if the business is open at that local date and minute of the day (0..1439):
 * not a closure, and inside one of the weekday's ranges (wday: 0 = Sunday). */
bool agent_config_is_open_at(const struct agent_config *config, int year, int month, int day,
                             int wday, int minute_of_day);
/* The person a transfer goes to (borrowed): while closed, the after-hours number of a
 * business that forwards then; otherwise the transfer number, else the after-hours
 * number. NULL: neither is set, and the business's fallback number is the one. */
const char *agent_config_transfer_number(const struct agent_config *config, bool is_open);
/* The FAQ entries (borrowed), *n set to their count. */
const struct agent_faq *agent_config_faq(const struct agent_config *config, size_t *n);
/* The text of policy name ("cancellation"), or NULL. Borrowed from config. */
const char *agent_config_policy(const struct agent_config *config, const char *name);

/* The document a new business starts with: valid, business_name and a greeting naming
 * the business, Monday to Friday 09:00-17:00 in America/New_York, no services, booking
 * off, messages taken after hours. Returns owned text (free), or NULL when
 * business_name cannot be one (empty, over AGENT_BUSINESS_NAME_MAX characters, control
 * characters, not UTF-8). */
char *agent_config_default(const char *business_name);
/* The same document with its hours in timezone; NULL also when timezone is not
 * printable ASCII. Whether the zone exists is not checked here: agent_config_parse of
 * the result refuses one that does not, naming the path "timezone". */
char *agent_config_default_in(const char *business_name, const char *timezone);

/* Re-indents a JSON document (2 spaces) with the keys of each object in the order of
 * docs/agent-config.md (PostgreSQL's jsonb keeps its own order), unknown keys last.
 * Returns owned text (free), or NULL if json is not JSON. */
char *agent_config_pretty(const char *json, size_t len);

#endif
