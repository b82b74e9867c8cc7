/* lib/core/log.h: one JSON object per line on stderr, for people and log shippers alike.
 * Never log secrets or message text at info: callers pass only ids, types, numbers.
 *
 *   struct log_line l;
 *   if (log_begin(&l, LOG_INFO, "request")) {
 *       log_str(&l, "path", path);
 *       log_int(&l, "status", 200);
 *       log_end(&l);
 *   }
 */
#ifndef FD_LOG_H
#define FD_LOG_H
#include <stdbool.h>
#include <stddef.h>

enum log_level { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR };

struct log_line {
    char buf[2048];
    size_t len;
    bool is_truncated;
};

/* Parses "debug", "info", "warn" or "error". */
bool log_level_parse(const char *text, enum log_level *out);
void log_set_level(enum log_level level);
/* Set once at start: names the process in every line ("api", "worker", "ctl"). */
void log_set_component(const char *component);

/* Starts a line; false (and nothing to end) when the level is filtered out. */
bool log_begin(struct log_line *l, enum log_level level, const char *msg);
void log_str(struct log_line *l, const char *key, const char *value);   /* NULL: skipped */
void log_strn(struct log_line *l, const char *key, const char *value, size_t len);
void log_int(struct log_line *l, const char *key, long long value);
void log_num(struct log_line *l, const char *key, double value);
void log_end(struct log_line *l);  /* writes the line with one write(2) */

/* Shorthands for a message with at most one string field. */
void log_msg(enum log_level level, const char *msg, const char *key, const char *value);

#endif
