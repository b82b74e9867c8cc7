/* lib/sms/sms_render.c: see sms_render.h. A sentence ends at '.', '!' or '?' followed by a
 * space; texts are plain ASCII or UTF-8 as the receptionist wrote them (it writes no
 * SSML), and a cut never splits a UTF-8 sequence. */
#include "sms/sms_render.h"

#include <stdio.h>
#include <string.h>

/* Appends n bytes of s to text (with a space between), if they fit. */
static bool append(char *text, const char *s, size_t n)
{
    size_t len = strlen(text);
    size_t need = n + (len > 0 ? 1 : 0);
    if (len + need > SMS_RENDER_TEXT_MAX)
        return false;
    if (len > 0)
        text[len++] = ' ';
    memcpy(text + len, s, n);
    text[len + n] = '\0';
    return true;
}

/* The length of the sentence at s (up to and with its end mark). */
static size_t sentence_len(const char *s)
{
    for (size_t i = 0; s[i] != '\0'; i++)
        if ((s[i] == '.' || s[i] == '!' || s[i] == '?') && (s[i + 1] == ' ' || s[i + 1] == '\0'))
            return i + 1;
    return strlen(s);
}

/* n cut to fit max bytes at a space, never inside a UTF-8 sequence. */
static size_t cut_at_word(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    size_t cut = max;
    while (cut > 0 && s[cut] != ' ')
        cut--;
    if (cut == 0) {
        cut = max;
        while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut--;
    }
    return cut > 0 ? cut : max;     /* bytes that are no UTF-8 at all: cut anywhere */
}

void sms_render_add(struct sms_reply *r, const char *said)
{
    if (said == NULL)
        return;
    const char *s = said;
    if (r->ntexts == 0) {
        r->ntexts = 1;
        r->texts[0][0] = '\0';
    }
    while (*s != '\0') {
        while (*s == ' ')
            s++;
        if (*s == '\0')
            break;
        size_t n = cut_at_word(s, sentence_len(s), SMS_RENDER_TEXT_MAX);
        if (!append(r->texts[r->ntexts - 1], s, n)) {
            if (r->ntexts == SMS_RENDER_TEXTS)
                return;
            r->texts[r->ntexts++][0] = '\0';
            append(r->texts[r->ntexts - 1], s, n);
        }
        s += n;
    }
    if (r->ntexts == 1 && r->texts[0][0] == '\0')
        r->ntexts = 0;
}

void sms_render_booking_question(char *out, size_t size, const char *service, const struct civil_date *day,
                                 int minute)
{
    static const char *const weekdays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                           "Saturday"};
    static const char *const months[] = {"January", "February", "March", "April", "May", "June", "July",
                                         "August", "September", "October", "November", "December"};
    int wday = civil_weekday_from_days(civil_days_from_date(day));
    int month = day->month >= 1 && day->month <= 12 ? day->month - 1 : 0;
    if (service != NULL && service[0] != '\0')
        snprintf(out, size, "Reply YES to book %.100s on %s %s %d at %d:%02d.", service, weekdays[wday],
                 months[month], day->day, minute / 60, minute % 60);
    else
        snprintf(out, size, "Reply YES to book %s %s %d at %d:%02d.", weekdays[wday], months[month], day->day,
                 minute / 60, minute % 60);
}
