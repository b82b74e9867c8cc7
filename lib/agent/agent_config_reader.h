/* lib/agent/agent_config_reader.h: the reading half of lib/agent/agent_config.c, private to it:
 * the parser's state, its memory (a few large blocks freed together), the JSON path
 * that names the token being read ("services[2].price") with the problem a failure
 * records, and readers for objects, scalars and members. Each reader returns false after
 * recording "<path>: <reason>"; its caller returns false up to the next independent part
 * (cfg_recover), and the parse fails. */
#ifndef FD_AGENT_CONFIG_READER_H
#define FD_AGENT_CONFIG_READER_H
#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>

#include "agent/agent_config.h"
#include "core/json_doc.h"

#define PATH_MAX_LEN AGENT_CONFIG_PATH_MAX

struct agent_config_mem {
    struct agent_config_mem *next;
    size_t used, cap;
    alignas(max_align_t) unsigned char data[];
};

struct parser {
    struct json_doc doc;
    struct agent_config *cfg;
    char path[PATH_MAX_LEN];
    size_t path_len;
    char *why;                              /* the first problem, "<path>: <reason>" */
    size_t why_len;
    size_t nfailures;
    struct agent_config_problems *problems; /* every problem; NULL: not wanted */
};

enum text_rule { TEXT_LINE, TEXT_PARAGRAPHS };

/* Memory of the configuration being built, freed with it (agent_config_free). */
void *cfg_mem_alloc(struct parser *p, size_t size);
const char *cfg_mem_strdup(struct parser *p, const char *s, size_t len);
/* The path: push a key or an index (returning what to pop back to), pop. */
size_t cfg_path_push_key(struct parser *p, const char *key);
size_t cfg_path_push_index(struct parser *p, size_t i);
void cfg_path_pop(struct parser *p, size_t saved);
/* Records a problem at the current path: the first one as "<path>: <reason>" in why,
 * each one in problems when they are wanted. Returns false. */
bool cfg_fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* After one independent part (a section, a list entry) was read: drops what it left on
 * the path, back to saved, so the next part is read and named as if it had passed.
 * Returns ok. */
bool cfg_recover(struct parser *p, size_t saved, bool ok);
/* Objects and arrays: allowed keys, a member's token (-1 when absent), kinds, sizes. */
bool cfg_check_keys(struct parser *p, int obj, const char *const *allowed);
int cfg_member(struct parser *p, int obj, const char *key);
bool cfg_expect_object(struct parser *p, int tok, const char *const *allowed);
bool cfg_expect_array(struct parser *p, int tok, size_t max);
/* Member key, an optional array at arr (-1: absent) of at most max items: pushes key on
 * the path (pop back to *saved when done) and sets *n to its items. Absent: true with *n
 * 0 and the path as it was. */
bool cfg_enter_array(struct parser *p, int arr, const char *key, size_t max, size_t *saved,
                     size_t *n);
/* Scalars: the token at tok, checked and copied into the configuration's memory. */
size_t cfg_utf8_chars(const char *s, size_t len);
bool cfg_read_text(struct parser *p, int tok, size_t max, enum text_rule rule, const char **out);
bool cfg_read_uint(struct parser *p, int tok, unsigned min, unsigned max, unsigned *out);
bool cfg_read_bool(struct parser *p, int tok, bool *out);
bool cfg_read_choice(struct parser *p, int tok, const char *const *names, int *out);
bool cfg_read_e164(struct parser *p, int tok, const char **out);
bool cfg_read_currency(struct parser *p, int tok, char out[4], unsigned *digits);
/* Members: the same for member key of obj, with the path pushed; absent members take
 * the default given (a NULL text default: required). */
bool cfg_get_text(struct parser *p, int obj, const char *key, size_t max, enum text_rule rule, const char *dflt, const char **out);
bool cfg_get_uint(struct parser *p, int obj, const char *key, unsigned min, unsigned max, unsigned dflt, unsigned *out);
bool cfg_get_bool(struct parser *p, int obj, const char *key, bool dflt, bool *out);
bool cfg_get_choice(struct parser *p, int obj, const char *key, const char *const *names, int *out);
bool cfg_get_e164(struct parser *p, int obj, const char *key, const char **out);
bool cfg_get_words(struct parser *p, int obj, const char *key, size_t max_n, size_t min_n, size_t max_chars, bool is_lowercased, const char *const **out, size_t *n);

#endif
