/* lib/core/json_doc.h: a strict JSON (RFC 8259) parser that indexes a text in one pass
 * without copying it: a flat array of tokens, one per value, that point into the text.
 * Strings are unescaped only when read or packed, numbers converted only when packed.
 * It exists because jansson, which builds a heap tree, costs ~20 µs per webhook body
 * on our hardware, as much as the whole non-crypto budget (see bench/bench_parse.c).
 *
 * Accepts exactly what a strict parser should: valid UTF-8 only, no control characters
 * in strings, no \u0000 (so decoded strings are C strings), no lone surrogates, no
 * trailing text; nesting deeper than JSON_DOC_DEPTH_MAX is refused.
 *
 * Tokens are addressed by index; -1 means "absent" and every reader accepts it, so
 * lookups chain: json_doc_get(d, json_doc_get(d, 0, "data"), "id"). */
#ifndef FD_JSON_DOC_H
#define FD_JSON_DOC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#define JSON_DOC_DEPTH_MAX 256
#define JSON_DOC_SMALL 192   /* tokens held inside the struct before it allocates */

enum json_kind {
    JSON_KIND_NONE,   /* the -1 token */
    JSON_KIND_OBJECT,
    JSON_KIND_ARRAY,
    JSON_KIND_STRING,
    JSON_KIND_NUMBER,
    JSON_KIND_TRUE,
    JSON_KIND_FALSE,
    JSON_KIND_NULL,
};

struct json_tok {
    uint32_t start, len;   /* strings: the bytes between the quotes; others: the whole value */
    uint32_t next;         /* index of the token after this value and its children */
    uint32_t count;        /* objects: members; arrays: elements */
    uint8_t kind;          /* enum json_kind */
    bool is_escaped;       /* a string with backslash escapes */
    bool is_real;          /* a number with a fraction or an exponent */
};

struct json_doc {
    const char *text;        /* borrowed: must outlive the doc */
    struct json_tok *toks;   /* small, or owned when there were more */
    uint32_t n, cap;
    struct json_tok small[JSON_DOC_SMALL];
};

/* Parses text; token 0 is the top-level value. False for anything that is not one
 * complete JSON value (surrounding whitespace allowed). Call json_doc_cleanup after
 * either result. */
bool json_doc_parse(struct json_doc *doc, const char *text, size_t len);
void json_doc_cleanup(struct json_doc *doc);

enum json_kind json_doc_kind(const struct json_doc *doc, int tok);
/* The value of the last member named key of object obj, or -1. */
int json_doc_get(const struct json_doc *doc, int obj, const char *key);
/* Element i of array arr, or -1. */
int json_doc_at(const struct json_doc *doc, int arr, size_t i);
/* Members of an object, elements of an array; 0 for anything else. */
size_t json_doc_count(const struct json_doc *doc, int tok);

/* The decoded length of a string token; 0 for anything else. */
size_t json_doc_str_len(const struct json_doc *doc, int tok);
/* Decodes a string token into dst (size bytes, NUL-terminated). False, leaving dst
 * untouched, if tok is not a string or its value does not fit. */
bool json_doc_str_copy(const struct json_doc *doc, int tok, char *dst, size_t size);
/* True if tok is a string equal to s. */
bool json_doc_str_equals(const struct json_doc *doc, int tok, const char *s);
/* A number token as a double; 0 for anything else. */
double json_doc_number(const struct json_doc *doc, int tok);

/* Packs a value with msgpack-c: objects as maps with string keys, arrays, strings,
 * integers (int64; integers beyond int64 as float64), reals (float64), booleans, null;
 * -1 packs nil. level is the MessagePack nesting level tok will sit at (1 for a
 * top-level value). msgpack-c's C unpacker refuses more than 32 nested containers, so
 * an object or array that would sit deeper is packed as its JSON text, a string. */
void json_doc_pack(msgpack_packer *pk, const struct json_doc *doc, int tok, int level);
#define JSON_DOC_PACK_LEVEL_MAX 32

#endif
