/* tests/unit/rx_call.h: a simulated call with the built-in receptionist, for the unit
 * tests of lib/receptionist/ (the conversation scripts of tests/unit/rx/ are played
 * through it). The three example businesses of docs/examples/ are loaded once; a call
 * says one line at a time and feeds tool results by hand, as the worker would. Between
 * turns the memory goes through rx_memory_pack/unpack, as it does through Redis, so
 * every conversation also tests that a call survives a worker.
 *
 * Every reply is checked as it comes: never the same as an earlier one of the call,
 * and never naming another business or its services. RX_VERBOSE=1 prints transcripts.
 * Run from the repository root. */
#ifndef FD_TEST_RX_CALL_H
#define FD_TEST_RX_CALL_H
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_config.h"
#include "check.h"
#include "calendar/civil_date.h"
#include "example_config.h"
#include "receptionist/receptionist.h"

/* ci_find is a GNU extension; this is all we need of it. */
static inline const char *ci_find(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay != '\0'; hay++) {
        size_t i = 0;
        while (i < n && hay[i] != '\0' &&
               tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return hay;
    }
    return NULL;
}

/* The three examples of docs/examples/ come first, in this order; the businesses of
 * RX_MORE_BUSINESSES_DIR (written from other businesses' own descriptions, for the
 * conversations of callers the receptionist was not written for) follow. */
enum biz { DENTAL, SALON, PLUMBER, NBIZ_EXAMPLES };

#define BIZ_MAX 64
#define BIZ_KEY_MAX 48
#define RX_MORE_BUSINESSES_DIR "tests/unit/rx/businesses"

static struct agent_config *bizzes[BIZ_MAX];
static char biz_keys[BIZ_MAX][BIZ_KEY_MAX];     /* what a script's "call" names */
static char biz_files[BIZ_MAX][256];            /* for example_config_edits */
static int nbizzes;

static inline bool rx_load_business(const char *key, const char *file)
{
    if (nbizzes == BIZ_MAX) {
        fprintf(stderr, "more than %d businesses\n", BIZ_MAX);
        return false;
    }
    snprintf(biz_keys[nbizzes], BIZ_KEY_MAX, "%s", key);
    snprintf(biz_files[nbizzes], sizeof biz_files[0], "%s", file);
    bizzes[nbizzes] = example_config(file);
    if (bizzes[nbizzes] == NULL) {
        fprintf(stderr, "cannot load %s\n", file);
        return false;
    }
    nbizzes++;
    return true;
}

/* The business a script's "call" names; -1 if none. */
static inline int rx_business_by_key(const char *key)
{
    for (int b = 0; b < nbizzes; b++)
        if (strcmp(biz_keys[b], key) == 0)
            return b;
    return -1;
}

static inline int rx_by_key(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* Every *.json of RX_MORE_BUSINESSES_DIR, named by its file name without ".json". */
static inline bool rx_load_more_businesses(void)
{
    DIR *d = opendir(RX_MORE_BUSINESSES_DIR);
    if (d == NULL)
        return true;
    char names[BIZ_MAX][BIZ_KEY_MAX];
    int n = 0;
    bool is_ok = true;
    for (struct dirent *e = readdir(d); e != NULL; e = readdir(d)) {
        size_t len = strlen(e->d_name);
        if (len <= 5 || len - 5 >= BIZ_KEY_MAX || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        if (n == BIZ_MAX) {
            fprintf(stderr, "more than %d businesses in %s\n", BIZ_MAX, RX_MORE_BUSINESSES_DIR);
            is_ok = false;
            break;
        }
        snprintf(names[n++], BIZ_KEY_MAX, "%.*s", (int)(len - 5), e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], rx_by_key);
    for (int i = 0; i < n && is_ok; i++) {
        char file[256];
        snprintf(file, sizeof file, "%s/%s.json", RX_MORE_BUSINESSES_DIR, names[i]);
        is_ok = rx_business_by_key(names[i]) < 0 && rx_load_business(names[i], file);
    }
    return is_ok;
}

/* Loads the three example businesses and the others; false (and says why) if one
 * cannot be. */
static inline bool rx_load_examples(void)
{
    return rx_load_business("dental", "dental-clinic.json") && rx_load_business("salon", "hair-salon.json") &&
           rx_load_business("plumber", "plumber.json") && rx_load_more_businesses();
}

static inline void rx_free_examples(void)
{
    for (int b = 0; b < nbizzes; b++)
        agent_config_free(bizzes[b]);
    nbizzes = 0;
}

#define CALL_MAX_REPLIES 64

struct call {
    enum biz biz;
    struct rx_context ctx;
    struct rx_memory mem;
    struct rx_output out;
    char replies[CALL_MAX_REPLIES][RX_SAY_MAX];
    int nreplies;
    char caller[32], fallback[32];
    char said[4096];        /* everything the caller said in this call, one line each */
};

/* Starts a call to biz at the business's local wall time "YYYY-MM-DD HH:MM". */
static inline void call_start(struct call *c, enum biz biz, const char *local)
{
    memset(c, 0, sizeof *c);
    c->biz = biz;
    struct civil_time now = {{0, 0, 0}, 0, 0, 0};
    sscanf(local, "%d-%d-%d %d:%d", &now.date.year, &now.date.month, &now.date.day, &now.hour,
           &now.minute);
    c->ctx.config = bizzes[biz];
    c->ctx.now = now;
    c->ctx.now_wday = civil_weekday_from_days(civil_days_from_date(&now.date));
    snprintf(c->caller, sizeof c->caller, "+12015550177");
    c->ctx.caller_number = c->caller;
    c->ctx.fallback_number = c->fallback;
    rx_memory_init(&c->mem);
}

/* A name of another business that is also in this one's own words proves nothing: a
 * service of its own ("Cleaning" in "Drain cleaning"), or its FAQ, policies and
 * descriptions ("emergency visits" in the plumber's night answer). */
static inline bool is_own_word(const struct agent_config *own, const char *name)
{
    for (size_t i = 0; own != NULL && i < own->nservices; i++) {
        if (ci_find(own->services[i].name, name) != NULL || ci_find(own->services[i].description, name) != NULL)
            return true;
        for (size_t k = 0; k < own->services[i].naliases; k++)
            if (ci_find(own->services[i].aliases[k], name) != NULL)
                return true;
    }
    for (size_t i = 0; own != NULL && i < own->nfaq; i++)
        if (ci_find(own->faq[i].answer, name) != NULL || ci_find(own->faq[i].question, name) != NULL)
            return true;
    for (size_t i = 0; own != NULL && i < own->npolicies; i++)
        if (ci_find(own->policies[i].text, name) != NULL)
            return true;
    return false;
}

/* The reply must not name another business, its services or its prices. */
static inline void check_isolated(const struct call *c, const char *say)
{
    for (int b = 0; b < nbizzes; b++) {
        const struct agent_config *o = bizzes[b];
        if (b == (int)c->biz || o == NULL)
            continue;
        if (ci_find(say, o->business_name) != NULL) {
            fprintf(stderr, "  reply names %s: %s\n", o->business_name, say);
            check_failures_now++;
        }
        for (size_t i = 0; i < o->nservices; i++) {
            const char *name = o->services[i].name;
            /* "no kids cut on our list" says back the caller's own words */
            if (is_own_word(c->ctx.config, name) || ci_find(c->said, name) != NULL)
                continue;
            if (ci_find(say, name) != NULL) {
                fprintf(stderr, "  reply names %s's %s: %s\n", o->business_name, name, say);
                check_failures_now++;
            }
        }
    }
}

static inline void record(struct call *c)
{
    const char *say = c->out.say;
    if (getenv("RX_VERBOSE") != NULL)
        printf("    rx: %s%s%s\n", say, c->out.tool.tool ? "  [tool " : "",
               c->out.tool.tool ? rx_tool_name(c->out.tool.tool) : "");
    if (say[0] == '\0')
        return;
    for (int i = 0; i < c->nreplies; i++)
        if (strcmp(c->replies[i], say) == 0) {
            fprintf(stderr, "  reply repeated word for word: %s\n", say);
            check_failures_now++;
        }
    check_isolated(c, say);
    if (c->nreplies < CALL_MAX_REPLIES)
        snprintf(c->replies[c->nreplies++], RX_SAY_MAX, "%s", say);
}

/* As through Redis: pack, free, unpack. */
static inline void survive_worker(struct call *c)
{
    char *buf = NULL;
    size_t len = 0;
    rx_memory_pack(&c->mem, &buf, &len);
    struct rx_memory back;
    CHECK(rx_memory_unpack(buf, len, &back) == APP_OK);
    free(buf);
    c->mem = back;
}

static inline const char *greet(struct call *c)
{
    rx_greet(&c->ctx, &c->mem, &c->out);
    if (getenv("RX_VERBOSE") != NULL)
        printf("  -- %s\n", c->ctx.config->business_name);
    record(c);
    survive_worker(c);
    return c->out.say;
}

static inline const char *say(struct call *c, const char *text)
{
    if (getenv("RX_VERBOSE") != NULL)
        printf("    caller: %s\n", text);
    size_t n = strlen(c->said);
    snprintf(c->said + n, sizeof c->said - n, "%s\n", text);
    rx_on_caller(&c->ctx, &c->mem, text, &c->out);
    record(c);
    survive_worker(c);
    return c->out.say;
}

static inline const char *tool_done(struct call *c, const struct rx_tool_result *r)
{
    if (getenv("RX_VERBOSE") != NULL)
        printf("    tool %s: %s\n", rx_tool_name(r->tool), r->is_ok ? "ok" : "refused");
    rx_on_tool_result(&c->ctx, &c->mem, r, &c->out);
    record(c);
    survive_worker(c);
    return c->out.say;
}

/* The caller has said nothing for the silences-th time in a row. */
static inline const char *silence(struct call *c, int silences)
{
    if (getenv("RX_VERBOSE") != NULL)
        printf("    caller: (silence %d)\n", silences);
    rx_on_silence(&c->ctx, &c->mem, silences, &c->out);
    record(c);
    survive_worker(c);
    return c->out.say;
}

/* A tool result for the tool the receptionist just asked for. */
static inline struct rx_tool_result result_of(const struct call *c, bool is_ok)
{
    struct rx_tool_result r;
    memset(&r, 0, sizeof r);
    r.tool = c->out.tool.tool;
    r.is_ok = is_ok;
    r.minute = -1;
    sscanf(c->out.tool.day, "%d-%d-%d", &r.day.year, &r.day.month, &r.day.day);
    return r;
}

static inline bool has(const char *say, const char *part)
{
    if (strstr(say, part) != NULL)
        return true;
    fprintf(stderr, "  expected \"%s\" in: %s\n", part, say);
    return false;
}

static inline bool lacks(const char *say, const char *part)
{
    if (ci_find(say, part) == NULL)
        return true;
    fprintf(stderr, "  did not expect \"%s\" in: %s\n", part, say);
    return false;
}

/* How many times needle is in hay, case aside. */
static inline int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = ci_find(hay, needle); p != NULL; p = ci_find(p + 1, needle))
        n++;
    return n;
}

#endif
