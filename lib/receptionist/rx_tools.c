/* lib/receptionist/rx_tools.c: see rx_tools.h. */
#include "receptionist/rx_tools.h"

#include <string.h>

static const char *const names[] = {"", "check_availability", "book", "cancel_booking",
                                    "transfer", "take_message", "end_call"};

const char *rx_tool_name(enum rx_tool tool)
{
    return (unsigned)tool < sizeof names / sizeof names[0] ? names[tool] : "";
}

enum rx_tool rx_tool_from_name(const char *name)
{
    for (size_t i = 1; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0)
            return (enum rx_tool)i;
    return RX_TOOL_NONE;
}

static bool is_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

bool rx_tool_day_parse(const char *text, struct civil_date *out)
{
    if (strlen(text) != 10 || text[4] != '-' || text[7] != '-' || !is_digits(text, 4) ||
        !is_digits(text + 5, 2) || !is_digits(text + 8, 2))
        return false;
    struct civil_date d = {(text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0'),
                           (text[5] - '0') * 10 + (text[6] - '0'), (text[8] - '0') * 10 + (text[9] - '0')};
    if (!civil_date_is_valid(&d))
        return false;
    *out = d;
    return true;
}

int rx_tool_minute_parse(const char *text)
{
    if (strlen(text) != 5 || text[2] != ':' || !is_digits(text, 2) || !is_digits(text + 3, 2))
        return -1;
    int h = (text[0] - '0') * 10 + (text[1] - '0'), m = (text[3] - '0') * 10 + (text[4] - '0');
    return h > 23 || m > 59 ? -1 : h * 60 + m;
}

/* Digit by digit: the built-in receptionist formats on every booking turn. */
void rx_tool_day_format(char out[11], const struct civil_date *d)
{
    int y = d->year < 0 ? 0 : d->year > 9999 ? 9999 : d->year;
    int mo = d->month < 0 ? 0 : d->month % 100, dd = d->day < 0 ? 0 : d->day % 100;
    char s[11] = {(char)('0' + y / 1000), (char)('0' + y / 100 % 10), (char)('0' + y / 10 % 10),
                  (char)('0' + y % 10), '-', (char)('0' + mo / 10), (char)('0' + mo % 10),
                  '-', (char)('0' + dd / 10), (char)('0' + dd % 10), '\0'};
    memcpy(out, s, sizeof s);
}

void rx_tool_minute_format(char out[6], int minute)
{
    int h = minute < 0 ? 0 : minute / 60 % 24, m = minute < 0 ? 0 : minute % 60;
    char s[6] = {(char)('0' + h / 10), (char)('0' + h % 10), ':', (char)('0' + m / 10),
                 (char)('0' + m % 10), '\0'};
    memcpy(out, s, sizeof s);
}
