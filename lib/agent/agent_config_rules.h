/* lib/agent/agent_config_rules.h: the value rules of the agent configuration format that need
 * a table or the file system (currencies, time zones, dates, clock times). Used by
 * lib/agent/agent_config*.c and exposed for their unit tests; the owner API reads its
 * dates with agent_date_parse too (lib/owner/list_params.c), so a date means the same
 * in a configuration and in a query. */
#ifndef FD_AGENT_CONFIG_RULES_H
#define FD_AGENT_CONFIG_RULES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The minor-unit digits of an active ISO 4217 currency code ("USD" -> 2, "JPY" -> 0),
 * or -1 when code (len bytes) is not one. */
int agent_currency_digits(const char *code, size_t len);
/* True if name is an IANA time zone name with a TZif file under dir (normally
 * AGENT_CONFIG_ZONEINFO_DIR). Refuses names that could leave dir ("..", a leading '/')
 * and the non-zones localtime, posixrules and Factory. */
bool agent_timezone_exists(const char *dir, const char *name);
/* Parses "YYYY-MM-DD" (exactly 10 bytes, a real calendar date, years 2000..2199) into
 * yyyymmdd; false otherwise. */
bool agent_date_parse(const char *text, size_t len, int32_t *yyyymmdd);
/* Parses "HH:MM" (exactly 5 bytes, 00:00..23:59, or 24:00 when is_close) into minutes
 * since midnight; false otherwise. */
bool agent_clock_parse(const char *text, size_t len, bool is_close, unsigned *minutes);

#endif
