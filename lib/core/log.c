/* lib/core/log.c: see log.h. Lines are built in a fixed buffer and written with a single
 * write(2), so lines of concurrent processes sharing a pipe never interleave.
 * The api writes one line per request, so numbers and the timestamp are formatted by
 * hand rather than with snprintf (its format parsing, and %f above all, showed in the
 * api's profile); the text is the same as the printf formats named below. */
#include "core/log.h"
#include "core/secrets.h"

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

/* Writes v (>= 0) in decimal, at least min_digits wide with leading zeros, ending at
 * end; returns where it starts. */
static char *digits_before(char *end, unsigned long long v, int min_digits)
{
    char *p = end;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
        min_digits--;
    } while (v != 0 || min_digits > 0);
    return p;
}

static void put_int(struct log_line *l, long long value)      /* as %lld */
{
    char num[24];
    char *end = num + sizeof num;
    unsigned long long mag = value < 0 ? 0ull - (unsigned long long)value : (unsigned long long)value;
    char *p = digits_before(end, mag, 1);
    if (value < 0)
        *--p = '-';
    put_raw(l, p, (size_t)(end - p));
}

/* "YYYY-MM-DDTHH:MM:SS" of sec (as %04d-%02d-%02dT%02d:%02d:%02d), remembered for the
 * second it was made for: the api logs thousands of lines a second. Every process
 * logs from one thread. */
static const char *utc_seconds_text(time_t sec)
{
    static time_t cached_sec = (time_t)-1;
    static char text[32];
    if (sec != cached_sec) {
        struct tm tm;
        gmtime_r(&sec, &tm);
        int year = tm.tm_year + 1900;
        if (year < 0 || year > 9999) {    /* not worth a fixed layout */
            char wide[96];
            snprintf(wide, sizeof wide, "%04d-%02d-%02dT%02d:%02d:%02d", year, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
            size_t n = strnlen(wide, sizeof text - 1);
            memcpy(text, wide, n);
            text[n] = '\0';
        } else {
            char *p = text + 19;
            *p = '\0';
            p = digits_before(p, (unsigned)tm.tm_sec, 2);
            *--p = ':';
            p = digits_before(p, (unsigned)tm.tm_min, 2);
            *--p = ':';
            p = digits_before(p, (unsigned)tm.tm_hour, 2);
            *--p = 'T';
            p = digits_before(p, (unsigned)tm.tm_mday, 2);
            *--p = '-';
            p = digits_before(p, (unsigned)tm.tm_mon + 1, 2);
            *--p = '-';
            digits_before(p, (unsigned)year, 4);
        }
        cached_sec = sec;
    }
    return text;
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
    /* {"ts":"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ","level":"%s" */
    char millis[4];
    digits_before(millis + 3, (unsigned long long)(ts.tv_nsec / 1000000), 3);
    put_raw(l, "{\"ts\":\"", 7);
    const char *secs = utc_seconds_text(ts.tv_sec);
    put_raw(l, secs, strlen(secs));
    put_raw(l, ".", 1);
    put_raw(l, millis, 3);
    put_raw(l, "Z\",\"level\":\"", 12);
    put_raw(l, names[level], strlen(names[level]));
    put_raw(l, "\"", 1);
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
    put_key(l, key);
    put_int(l, value);
}

void log_num(struct log_line *l, const char *key, double value)
{
    put_key(l, key);
    /* As %.3f: whole thousandths, rounded half away from zero (printf rounds the exact
     * binary value, which can differ on a tie in the last digit; a log reader cannot
     * tell). Out of range, NaN or infinite: printf itself. */
    if (!(value > -1e15 && value < 1e15)) {
        char num[48];
        int n = snprintf(num, sizeof num, "%.3f", value);
        put_raw(l, num, (size_t)n);
        return;
    }
    bool is_negative = value < 0;
    double mag = is_negative ? -value : value;
    unsigned long long thousandths = (unsigned long long)(mag * 1000.0 + 0.5);
    char num[32];
    char *end = num + sizeof num;
    char *p = digits_before(end, thousandths % 1000, 3);
    *--p = '.';
    p = digits_before(p, thousandths / 1000, 1);
    if (is_negative)
        *--p = '-';
    put_raw(l, p, (size_t)(end - p));
}

void log_end(struct log_line *l)
{
    if (l->is_truncated) {
        l->is_truncated = false;
        put_raw(l, ",\"truncated\":true", 17);
    }
    l->buf[l->len++] = '}';
    l->buf[l->len++] = '\n';
    secrets_mask(l->buf, &l->len);
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
