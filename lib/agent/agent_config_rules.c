/* lib/agent/agent_config_rules.c: value rules of the agent configuration that need a table or
 * the file system. The currency table is ISO 4217's list of active currencies (funds and
 * precious metals left out: nobody prices a haircut in them). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agent/agent_config_rules.h"

static const char currencies_2[] =
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP "
    "BYN BZD CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP "
    "GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT "
    "LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN "
    "NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP "
    "SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VED "
    "VES WST XCD XCG YER ZAR ZMW ZWG ";
static const char currencies_0[] =
    "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF ";
static const char currencies_3[] = "BHD IQD JOD KWD LYD OMR TND ";

static bool in_list(const char *list, const char *code)
{
    for (const char *p = list; *p != '\0'; p += 4)
        if (memcmp(p, code, 3) == 0)
            return true;
    return false;
}

int agent_currency_digits(const char *code, size_t len)
{
    if (len != 3)
        return -1;
    for (size_t i = 0; i < 3; i++)
        if (code[i] < 'A' || code[i] > 'Z')
            return -1;
    if (in_list(currencies_2, code))
        return 2;
    if (in_list(currencies_0, code))
        return 0;
    if (in_list(currencies_3, code))
        return 3;
    return -1;
}

static bool zone_name_is_safe(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len > 64 || name[0] == '/' || name[len - 1] == '/')
        return false;
    if (strcmp(name, "localtime") == 0 || strcmp(name, "posixrules") == 0 ||
        strcmp(name, "Factory") == 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        bool is_start = i == 0 || name[i - 1] == '/';
        if (c == '/' && name[i + 1] == '/')
            return false;
        if (is_start && (c == '.' || c == '-'))
            return false;       /* no "..", no hidden files, nothing option-like */
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '/' || c == '_' || c == '-' || c == '+' || c == '.'))
            return false;
    }
    return true;
}

bool agent_timezone_exists(const char *dir, const char *name)
{
    if (!zone_name_is_safe(name))
        return false;
    char path[512];
    int n = snprintf(path, sizeof path, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof path)
        return false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char magic[4];
    ssize_t got = read(fd, magic, sizeof magic);
    close(fd);
    return got == 4 && memcmp(magic, "TZif", 4) == 0;
}

static bool digits(const char *s, size_t n, int *value)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *value = v;
    return true;
}

bool agent_date_parse(const char *text, size_t len, int32_t *yyyymmdd)
{
    static const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d;
    if (len != 10 || text[4] != '-' || text[7] != '-' || !digits(text, 4, &y) ||
        !digits(text + 5, 2, &m) || !digits(text + 8, 2, &d))
        return false;
    if (y < 2000 || y > 2199 || m < 1 || m > 12 || d < 1 || d > month_days[m - 1])
        return false;
    bool is_leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !is_leap)
        return false;
    *yyyymmdd = (int32_t)(y * 10000 + m * 100 + d);
    return true;
}

bool agent_clock_parse(const char *text, size_t len, bool is_close, unsigned *minutes)
{
    int h, m;
    if (len != 5 || text[2] != ':' || !digits(text, 2, &h) || !digits(text + 3, 2, &m))
        return false;
    if (m > 59 || h > 24 || (h == 24 && (m != 0 || !is_close)))
        return false;
    *minutes = (unsigned)(h * 60 + m);
    return true;
}
