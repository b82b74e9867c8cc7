/* lib/receptionist/rx_say.c: how the receptionist says things: the wording of a tone (rotated so
 * a caller rarely hears the same sentence twice), clock times, days, prices, opening
 * hours and lists, and the calendar questions behind them (open now, next opening). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "receptionist/rx_internal.h"
#include "calendar/say_time.h"

const char *rx_pick(struct rx_turn *t, rx_wordings w)
{
    unsigned tone = (unsigned)t->cfg->tone < 3 ? (unsigned)t->cfg->tone : 0;
    unsigned n = 0;
    while (n < 3 && w[tone][n] != NULL)
        n++;
    if (n == 0)
        return "";
    return w[tone][(t->mem->variant + t->npicks++) % n];
}

void rx_say_gap(struct rx_turn *t)
{
    if (t->say.len > 0 && t->say.buf[t->say.len - 1] != ' ')
        rx_say_put(&t->say, " ");
}

static bool is_recent_reply(const struct rx_memory *m, const char *text)
{
    unsigned h = rx_hash(text);
    int n = m->nrecent < RX_RECENT_MAX ? m->nrecent : RX_RECENT_MAX;
    for (int i = 0; i < n; i++)
        if (m->recent_replies[i] == h)
            return true;
    return false;
}

void rx_say_pick(struct rx_turn *t, rx_wordings w)
{
    rx_say_gap(t);
    const char *said = rx_pick(t, w);
    /* A wording that may be the whole reply ("One moment while I check.") and was said
     * lately: another wording, rather than "Just to say it again: One moment ..." */
    for (int k = 0; k < 2 && t->say.len == 0 && is_recent_reply(t->mem, said); k++)
        said = rx_pick(t, w);
    rx_say_put(&t->say, said);
}

void rx_say_clock(struct rx_say *s, int minute)
{
    char buf[SAY_TIME_MAX];
    if (minute >= 1440)
        minute = 0;
    say_time_clock(buf, sizeof buf, minute / 60, minute % 60);
    rx_say_put(s, buf);
}

void rx_say_date_into(struct rx_say *s, const struct civil_date *d, const struct civil_date *today)
{
    char buf[SAY_TIME_MAX];
    say_time_date(buf, sizeof buf, d, today);
    rx_say_put(s, buf);
}

void rx_say_on(struct rx_say *s, const struct civil_date *d, const struct civil_date *today)
{
    int64_t ahead = civil_days_from_date(d) - civil_days_from_date(today);
    if (ahead == 0) {
        rx_say_put(s, "today");
        return;
    }
    if (ahead != 1)
        rx_say_put(s, "on ");
    rx_say_date_into(s, d, ahead == 1 ? today : NULL);
}

void rx_say_date(struct rx_turn *t, const struct civil_date *d)
{
    rx_say_date_into(&t->say, d, &t->ctx->now.date);
}

void rx_say_price(struct rx_say *s, const struct agent_service *svc)
{
    static const char *const dollars[] = {"USD", "CAD", "AUD", "NZD", "MXN"};
    const char *symbol = NULL;
    for (size_t i = 0; i < sizeof dollars / sizeof dollars[0]; i++)
        if (strcmp(svc->currency, dollars[i]) == 0)
            symbol = "$";
    if (strcmp(svc->currency, "EUR") == 0)
        symbol = "€";
    if (strcmp(svc->currency, "GBP") == 0)
        symbol = "£";
    long long unit = 1;
    for (unsigned i = 0; i < svc->currency_digits; i++)
        unit *= 10;
    long long major = svc->price_minor / unit, minor = svc->price_minor % unit;
    if (symbol != NULL)
        rx_say_put(s, symbol);
    rx_say_int(s, major);
    if (minor != 0) {
        char frac[12];
        unsigned nd = svc->currency_digits < 10 ? svc->currency_digits : 9;
        frac[0] = '.';
        for (unsigned i = nd; i > 0; i--) {
            frac[i] = (char)('0' + minor % 10);
            minor /= 10;
        }
        frac[nd + 1] = '\0';
        rx_say_put(s, frac);
    }
    if (symbol == NULL) {
        rx_say_put(s, " ");
        rx_say_put(s, svc->currency);
    }
}

void rx_say_ranges(struct rx_say *s, const struct agent_day *day)
{
    for (size_t i = 0; i < day->nranges; i++) {
        if (i > 0)
            rx_say_put(s, i + 1 == day->nranges ? " and " : ", ");
        rx_say_clock(s, day->ranges[i].open_minute);
        rx_say_put(s, " to ");
        rx_say_clock(s, day->ranges[i].close_minute);
    }
}

static bool same_day(const struct agent_day *a, const struct agent_day *b)
{
    if (a->nranges != b->nranges)
        return false;
    for (size_t i = 0; i < a->nranges; i++)
        if (a->ranges[i].open_minute != b->ranges[i].open_minute ||
            a->ranges[i].close_minute != b->ranges[i].close_minute)
            return false;
    return true;
}

static const char *const weekday_names[7] = {"Sunday", "Monday", "Tuesday", "Wednesday",
                                             "Thursday", "Friday", "Saturday"};

/* Days first..last (0 = Monday .. 6 = Sunday): "Monday", "Monday and Tuesday",
 * "Monday to Thursday". */
static void say_day_span(struct rx_say *s, int first, int last)
{
    rx_say_put(s, weekday_names[(first + 1) % 7]);
    if (last > first) {
        rx_say_put(s, last == first + 1 ? " and " : " to ");
        rx_say_put(s, weekday_names[(last + 1) % 7]);
    }
}

bool rx_say_days_open_in(struct rx_turn *t, const char *when_words, int first_minute, int end_minute)
{
    int days[7], latest[7], n = 0, open_days = 0;
    for (int k = 0; k < 7; k++) {          /* Monday first */
        const struct agent_day *d = &t->cfg->hours[(k + 1) % 7];
        open_days += d->nranges > 0;
        for (size_t r = 0; r < d->nranges; r++)
            if (d->ranges[r].open_minute < end_minute && d->ranges[r].close_minute > first_minute) {
                days[n] = k;
                latest[n++] = d->ranges[d->nranges - 1].close_minute;
                break;
            }
    }
    if (n == open_days || n > 3)           /* every open day, or most: nothing to tell */
        return false;
    rx_say_put(&t->say, when_words);
    if (n == 0) {
        rx_say_put(&t->say, " we're not open on any day.");
        return true;
    }
    rx_say_put(&t->say, " we're open on ");
    for (int i = 0; i < n; i++) {
        if (i > 0)
            rx_say_put(&t->say, i + 1 == n ? " and " : ", ");
        rx_say_put(&t->say, weekday_names[(days[i] + 1) % 7]);
        if (latest[i] > first_minute && latest[i] <= end_minute) {
            rx_say_put(&t->say, " until ");
            rx_say_clock(&t->say, latest[i]);
        }
    }
    rx_say_put(&t->say, ".");
    return true;
}

void rx_say_week(struct rx_turn *t)
{
    const struct agent_config *cfg = t->cfg;
    int closed[7], nclosed = 0;
    bool is_first = true;
    for (int first = 0; first < 7;) {
        const struct agent_day *d = &cfg->hours[(first + 1) % 7];
        int last = first;
        while (last + 1 < 7 && same_day(d, &cfg->hours[(last + 2) % 7]))
            last++;
        if (d->nranges == 0) {
            for (int i = first; i <= last; i++)
                closed[nclosed++] = i;
        } else {
            rx_say_put(&t->say, is_first ? "" : "; ");
            say_day_span(&t->say, first, last);
            rx_say_put(&t->say, ", ");
            rx_say_ranges(&t->say, d);
            is_first = false;
        }
        first = last + 1;
    }
    if (nclosed > 0) {
        rx_say_put(&t->say, is_first ? "closed " : "; closed on ");
        for (int i = 0; i < nclosed; i++) {
            if (i > 0)
                rx_say_put(&t->say, i + 1 == nclosed ? " and " : ", ");
            rx_say_put(&t->say, weekday_names[(closed[i] + 1) % 7]);
        }
    }
}

void rx_say_services(struct rx_turn *t, size_t max)
{
    size_t n = t->cfg->nservices, shown = n <= max + 1 ? n : max;   /* never "and 1 more" */
    for (size_t i = 0; i < shown; i++) {
        if (i > 0)
            rx_say_put(&t->say, i + 1 == shown && shown == n ? " and " : ", ");
        rx_say_name(&t->say, t->cfg->services[i].name);
    }
    if (shown < n) {
        rx_say_put(&t->say, " and ");
        rx_say_int(&t->say, (long long)(n - shown));
        rx_say_put(&t->say, " more");
    }
}

void rx_say_digits(struct rx_say *s, const char *number)
{
    const char *d = number[0] == '+' ? number + 1 : number;
    size_t n = strlen(d);
    if (number[0] == '+' && n == 11 && d[0] == '1') {   /* NANP: the national number */
        d++;
        n--;
    }
    /* groups of three, the last one four: 3-3-4, 3-4 */
    size_t group = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            rx_say_put(s, group == 0 ? ", " : " ");
        rx_say_putn(s, d + i, 1);
        group++;
        size_t left = n - i - 1;
        if (group == 3 && left >= 4) {
            group = 0;
        }
    }
}

void rx_say_sentence(struct rx_say *s, const char *text)
{
    size_t n = strlen(text);
    rx_say_put(s, text);
    if (n > 0 && strchr(".!?", text[n - 1]) == NULL)
        rx_say_put(s, ".");
}

void rx_say_anything_else(struct rx_turn *t)
{
    rx_say_pick(t, rx_anything_else_wordings);
    t->mem->pending = RX_ASK_ANYTHING_ELSE;
}

int rx_weekday(const struct civil_date *d)
{
    return civil_weekday_from_days(civil_days_from_date(d));
}

bool rx_is_closure(const struct agent_config *cfg, const struct civil_date *d, const char **reason)
{
    return agent_config_is_closed_on(cfg, d->year, d->month, d->day, reason);
}

bool rx_is_open_now(const struct rx_context *ctx)
{
    const struct civil_time *n = &ctx->now;
    return agent_config_is_open_at(ctx->config, n->date.year, n->date.month, n->date.day,
                                   ctx->now_wday, n->hour * 60 + n->minute);
}

bool rx_next_open(const struct agent_config *cfg, const struct civil_date *from, int minute,
                  struct civil_date *day, int *open_minute)
{
    for (int k = 0; k < 14; k++) {
        struct civil_date d = civil_date_add_days(from, k);
        if (rx_is_closure(cfg, &d, NULL))
            continue;
        const struct agent_day *h = &cfg->hours[rx_weekday(&d)];
        for (size_t i = 0; i < h->nranges; i++) {
            if (k == 0 && h->ranges[i].open_minute < minute)
                continue;
            *day = d;
            *open_minute = h->ranges[i].open_minute;
            return true;
        }
    }
    return false;
}

void rx_say_next_open(struct rx_turn *t)
{
    struct civil_date d;
    int minute;
    const struct civil_time *n = &t->ctx->now;
    if (!rx_next_open(t->cfg, &n->date, n->hour * 60 + n->minute, &d, &minute))
        return;
    rx_say_put(&t->say, "we open again ");
    rx_say_date(t, &d);
    rx_say_put(&t->say, " at ");
    rx_say_clock(&t->say, minute);
}

void rx_say_closure_reason(struct rx_say *s, const char *reason)
{
    static const char *const prefixes[] = {"we're closed ", "we are closed ", "closed ", "the shop is closed ",
                                           "the office is closed ", NULL};
    static const char *const verbs[] = {" are ", " is ", " will ", " have ", " has ", NULL};
    const char *r = reason;
    for (size_t i = 0; prefixes[i] != NULL; i++)
        if (strncasecmp(r, prefixes[i], strlen(prefixes[i])) == 0) {
            r += strlen(prefixes[i]);
            break;
        }
    if (strncasecmp(r, "for ", 4) == 0)
        r += 4;
    size_t n = strlen(r);
    while (n > 0 && (r[n - 1] == '.' || r[n - 1] == ' '))
        n--;
    if (n == 0)
        return;
    bool is_sentence = false;
    for (size_t i = 0; verbs[i] != NULL && !is_sentence; i++) {
        const char *v = strstr(r, verbs[i]);
        is_sentence = v != NULL && (size_t)(v - r) < n;
    }
    char buf[AGENT_SHORT_TEXT_MAX * 4 + 1];
    snprintf(buf, sizeof buf, "%.*s", (int)n, r);
    if (is_sentence) {
        /* "Both doctors are away at a seminar": said as the reason, after a colon */
        if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
            buf[0] = (char)(buf[0] + 32);
        rx_say_put(s, ": ");
    } else {
        rx_say_put(s, " for ");
    }
    rx_say_put(s, buf);
}
