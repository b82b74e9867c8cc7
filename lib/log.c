/* lib/log.c: see log.h. Lines are built in a fixed buffer and written with a single
 * write(2), so lines of concurrent processes sharing a pipe never interleave. */
#include "log.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static enum log_level min_level = LOG_INFO;
static const char *component_name = "frontdesk";

bool log_level_parse(const char *text, enum log_level *out)
{
    static const char *const names[] = {"debug", "info", "warn", "error"};
    for (int i = 0; i < 4; i++) {
        if (strcmp(text, names[i]) == 0) {
            *out = (enum log_level)i;
            return true;
        }
    }
    return false;
}

void log_set_level(enum log_level level) { min_level = level; }
void log_set_component(const char *component) { component_name = component; }

static void put_raw(struct log_line *l, const char *s, size_t n)
{
    /* keep room for the closing "}\n" */
    if (l->len + n + 2 >= sizeof l->buf) {
        l->is_truncated = true;
        return;
    }
    memcpy(l->buf + l->len, s, n);
    l->len += n;
}

static void put_escaped(struct log_line *l, const char *s, size_t n)
{
    put_raw(l, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            put_raw(l, esc, 2);
        } else if (c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            put_raw(l, esc, 6);
        } else {
            put_raw(l, (const char *)&s[i], 1);
        }
    }
    put_raw(l, "\"", 1);
}

static void put_key(struct log_line *l, const char *key)
{
    put_raw(l, ",", 1);
    put_escaped(l, key, strlen(key));
    put_raw(l, ":", 1);
}

bool log_begin(struct log_line *l, enum log_level level, const char *msg)
{
    static const char *const names[] = {"debug", "info", "warn", "error"};
    if (level < min_level)
        return false;
    l->len = 0;
    l->is_truncated = false;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char head[96];
    int n = snprintf(head, sizeof head,
                     "{\"ts\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ\",\"level\":\"%s\"",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, ts.tv_nsec / 1000000, names[level]);
    put_raw(l, head, (size_t)n);
    log_str(l, "component", component_name);
    log_str(l, "msg", msg);
    return true;
}

void log_str(struct log_line *l, const char *key, const char *value)
{
    if (value != NULL)
        log_strn(l, key, value, strlen(value));
}

void log_strn(struct log_line *l, const char *key, const char *value, size_t len)
{
    put_key(l, key);
    put_escaped(l, value, len);
}

void log_int(struct log_line *l, const char *key, long long value)
{
    char num[32];
    int n = snprintf(num, sizeof num, "%lld", value);
    put_key(l, key);
    put_raw(l, num, (size_t)n);
}

void log_num(struct log_line *l, const char *key, double value)
{
    char num[48];
    int n = snprintf(num, sizeof num, "%.3f", value);
    put_key(l, key);
    put_raw(l, num, (size_t)n);
}

void log_end(struct log_line *l)
{
    if (l->is_truncated) {
        l->is_truncated = false;
        put_raw(l, ",\"truncated\":true", 17);
    }
    l->buf[l->len++] = '}';
    l->buf[l->len++] = '\n';
    ssize_t rc = write(STDERR_FILENO, l->buf, l->len);
    (void)rc; /* nowhere left to report a failed log write */
}

void log_msg(enum log_level level, const char *msg, const char *key, const char *value)
{
    struct log_line l;
    if (!log_begin(&l, level, msg))
        return;
    if (key != NULL)
        log_str(&l, key, value);
    log_end(&l);
}
