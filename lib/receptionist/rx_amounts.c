/* lib/receptionist/rx_amounts.c: a question about a sum the business wrote ("is the
 * ninety nine bucks taken off if I get it fixed?", "is the fourteen dollars for the whole
 * thing?"). The caller says the sum back in words or digits; the sentence of the
 * business's texts that names it ("The $99 is waived if you go ahead with the repair.")
 * answers, whatever other words the question uses. Read once a turn: a few number words,
 * then a search for "$N" in the texts of the service under way, the services, the
 * policies and the FAQ answers. */
#include <stdio.h>
#include <string.h>

#include "receptionist/rx_answer_parts.h"
#include "receptionist/rx_internal.h"

/* The value of a number word under a hundred, or -1. */
static int number_word(const char *w, size_t n)
{
    static const char *const units[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                                        "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
                                        "sixteen", "seventeen", "eighteen", "nineteen", NULL};
    static const char *const tens[] = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
                                       "ninety", NULL};
    for (int i = 0; units[i] != NULL; i++)
        if (strlen(units[i]) == n && memcmp(units[i], w, n) == 0)
            return i;
    for (int i = 0; tens[i] != NULL; i++)
        if (strlen(tens[i]) == n && memcmp(tens[i], w, n) == 0)
            return 20 + 10 * i;
    return -1;
}

/* The whole number of the words just before end in norm ("ninety nine", "one hundred
 * twenty", "a hundred", "99"), or -1. */
static long number_before(const char *norm, const char *end)
{
    const char *words[8];
    size_t lens[8], nw = 0;
    for (const char *p = end; nw < 8;) {
        if (p <= norm + 1)
            break;
        const char *e = p - 1;          /* the space before the word ending at p */
        const char *s = e;
        while (s > norm && s[-1] != ' ')
            s--;
        size_t n = (size_t)(e - s);
        bool is_number = number_word(s, n) >= 0 || (n == 7 && memcmp(s, "hundred", 7) == 0) ||
                         (n == 1 && s[0] == 'a') || (n > 0 && s[0] >= '0' && s[0] <= '9');
        if (!is_number)
            break;
        words[nw] = s;
        lens[nw++] = n;
        p = s;
        if (s[0] >= '0' && s[0] <= '9')
            break;      /* "99 dollars": the digits are the whole number */
    }
    long value = -1, part = 0;
    for (size_t k = nw; k-- > 0;) {
        const char *w = words[k];
        size_t n = lens[k];
        if (w[0] >= '0' && w[0] <= '9') {
            long v = 0;
            for (size_t i = 0; i < n && v < 1000000; i++)
                if (w[i] >= '0' && w[i] <= '9')
                    v = v * 10 + (w[i] - '0');
            part += v;
        } else if (n == 7 && memcmp(w, "hundred", 7) == 0) {
            part = (part == 0 ? 1 : part) * 100;
        } else if (n == 1) {
            continue;                   /* "a hundred" */
        } else {
            part += number_word(w, n);
        }
        value = part;
    }
    return value;
}

long rx_said_amount(const struct rx_text *x)
{
    static const char *const money[] = {"dollars", "dollar", "bucks", "buck", NULL};
    for (const char *p = x->norm + 1; *p != '\0'; p += rx_word_len(p) + (p[rx_word_len(p)] == ' ')) {
        size_t n = rx_word_len(p);
        if (!rx_is_word_of(p, n, money))
            continue;
        long v = number_before(x->norm, p);
        if (v > 0)
            return v;
    }
    /* "$99" as transcribed */
    for (const char *d = strchr(x->raw, '$'); d != NULL; d = strchr(d + 1, '$')) {
        long v = 0;
        const char *q = d + 1;
        for (; (*q >= '0' && *q <= '9') || (*q == ',' && q[1] >= '0' && q[1] <= '9'); q++)
            if (*q != ',' && v < 1000000)
                v = v * 10 + (*q - '0');
        if (q > d + 1 && v > 0)
            return v;
    }
    return -1;
}

/* The sentence of text that names "$amount" (as the business wrote it: "$99", "$1,800"),
 * into *start and *len; false if none. */
static bool sentence_naming(const char *text, long amount, const char **start, size_t *len)
{
    char sum[32];
    if (amount >= 1000)
        snprintf(sum, sizeof sum, "$%ld,%03ld", amount / 1000, amount % 1000);
    else
        snprintf(sum, sizeof sum, "$%ld", amount);
    size_t sn = strlen(sum);
    for (const char *at = strstr(text, sum); at != NULL; at = strstr(at + 1, sum)) {
        char after = at[sn];
        if ((after >= '0' && after <= '9') || (after == ',' && at[sn + 1] >= '0' && at[sn + 1] <= '9') ||
            (after == '.' && at[sn + 1] >= '0' && at[sn + 1] <= '9'))
            continue;               /* "$99" of "$995" or "$99.50" */
        const char *s = at;     /* back to the start of its sentence */
        while (s > text && !(s - text >= 2 && s[-1] == ' ' && strchr(".!?;", s[-2]) != NULL))
            s--;
        const char *e = at + sn;
        while (*e != '\0' && !(strchr(".!?", *e) != NULL && (e[1] == ' ' || e[1] == '\0')))
            e++;
        if (*e != '\0')
            e++;
        *start = s;
        *len = (size_t)(e - s);
        return true;
    }
    return false;
}

bool rx_answer_amount(struct rx_turn *t)
{
    long amount = rx_said_amount(&t->text);
    if (amount <= 0 || !rx_text_is_question(&t->text))
        return false;
    const struct agent_config *c = t->cfg;
    /* the texts in the order the caller most likely means them: the service under way,
     * the services named, the policies, the FAQ answers, then every service */
    const char *texts[RX_TURN_SERVICES + 2];
    size_t ntexts = 0;
    if (t->mem->service_index >= 0)
        texts[ntexts++] = c->services[t->mem->service_index].description;
    for (int i = 0; i < t->nservices && ntexts < RX_TURN_SERVICES + 1; i++)
        texts[ntexts++] = c->services[t->services[i]].description;
    const char *start = NULL;
    size_t len = 0;
    bool is_found = false;
    for (size_t i = 0; i < ntexts && !is_found; i++)
        is_found = sentence_naming(texts[i], amount, &start, &len);
    for (size_t i = 0; i < c->npolicies && !is_found; i++)
        is_found = sentence_naming(c->policies[i].text, amount, &start, &len);
    for (size_t i = 0; i < c->nfaq && !is_found; i++)
        is_found = sentence_naming(c->faq[i].answer, amount, &start, &len);
    for (size_t i = 0; i < c->nservices && !is_found; i++)
        is_found = sentence_naming(c->services[i].description, amount, &start, &len);
    if (!is_found)
        return false;
    rx_say_gap(t);
    t->out->intent = "price";
    rx_say_putn(&t->say, start, len);
    return true;
}
