/* bench/rx_bench_config.h: the business of the receptionist benchmark (a
 * business with 50 services and 100 FAQ entries, larger than most), a day spa in Chicago, written as the
 * JSON document a business would save (docs/agent-config.md) so that the benchmark and
 * its unit test read it with the real parser, agent_config_parse().
 *
 * The tables are public so that callers can build utterances from them: the services'
 * names and aliases, the FAQ's keywords. Service i of the table is services[i] of the
 * parsed configuration, FAQ entry i is faq[i]. */
#ifndef FD_RX_BENCH_CONFIG_H
#define FD_RX_BENCH_CONFIG_H
#include <stddef.h>

#define RX_BENCH_SERVICES 50
#define RX_BENCH_FAQ 100

struct rx_bench_service {
    const char *name, *aliases[2];
};

struct rx_bench_faq {
    const char *question, *answer;
    const char *keywords[3];            /* NULL after the last */
};

extern const struct rx_bench_service rx_bench_services[RX_BENCH_SERVICES];
extern const struct rx_bench_faq rx_bench_faq[RX_BENCH_FAQ];

/* The price of service i in cents, or -1 for "price on request" (every tenth). */
long rx_bench_price_cents(size_t i);

/* The whole document, compact JSON (owned: free()), *len set to its length. */
char *rx_bench_config_json(size_t *len);

#endif
