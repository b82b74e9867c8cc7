/* Unit tests for lib/core/json_doc.c: strict acceptance, lookups, string decoding, and the
 * generic MessagePack packing (numbers, depth cap). tests/fuzz/fuzz_webhook.c also
 * checks acceptance against jansson on generated input. */
#include <stdlib.h>

#include <msgpack.h>

#include "check.h"
#include "core/json_doc.h"
#include "core/mp_buf.h"

static bool parses(const char *text)
{
    struct json_doc doc;
    bool ok = json_doc_parse(&doc, text, strlen(text));
    json_doc_cleanup(&doc);
    return ok;
}

static void test_valid_texts_parse(void)
{
    const char *valid[] = {
        "{}", "[]", " {\"a\" : [1, -0, 2.5e-3, true, false, null, \"x\"]}\n", "0", "-1.0E+2",
        "\"\"", "\"\\u00e9\\ud83d\\ude00\\n\\\"\\/\\\\\"", "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"",
        "{\"a\":{\"b\":{\"c\":[[[]]]}}}",
    };
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        if (!parses(valid[i])) {
            CHECK(!"refused valid JSON");
            fprintf(stderr, "  %s\n", valid[i]);
        }
    }
}

static void test_invalid_texts_are_refused(void)
{
    const char *invalid[] = {
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "01", "1.", ".5", "-",
        "1e", "+1", "tru", "nul", "\"abc", "\"a\tb\"", "\"\\x\"", "\"\\u12\"", "\"\\u0000\"",
        "\"\\udc00\"", "\"\\ud800\"", "\"\\ud800\\u0041\"", "\"\xc3\"", "\"\xc0\xaf\"",
        "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"", "\"\xff\"", "{} {}", "[1] x", "'a'",
        "NaN", "[1 2]",
    };
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        if (parses(invalid[i])) {
            CHECK(!"accepted invalid JSON");
            fprintf(stderr, "  case %zu: %s\n", i, invalid[i]);
        }
    }
    CHECK(parses("[1]\0"));   /* strlen stops at the NUL: this one is fine */
    struct json_doc doc;
    CHECK(!json_doc_parse(&doc, "[1]\0", 4));   /* but a NUL inside the length is not */
    json_doc_cleanup(&doc);
}

static void test_nesting_over_the_limit_is_refused(void)
{
    char text[2 * (JSON_DOC_DEPTH_MAX + 1) + 1];
    struct json_doc doc;
    for (int i = 0; i <= JSON_DOC_DEPTH_MAX; i++) {
        text[i] = '[';
        text[2 * (JSON_DOC_DEPTH_MAX + 1) - 1 - i] = ']';
    }
    CHECK(!json_doc_parse(&doc, text, sizeof text - 1));
    json_doc_cleanup(&doc);
    CHECK(json_doc_parse(&doc, text + 1, sizeof text - 3));   /* exactly the limit */
    json_doc_cleanup(&doc);
}

static void test_lookups_decode_keys_and_take_the_last_duplicate(void)
{
    const char *text = "{\"a\":1,\"\\u0062\":[10,{\"c\":\"x\"},30],\"a\":\"two\"}";
    struct json_doc doc;
    char buf[16];
    CHECK(json_doc_parse(&doc, text, strlen(text)));
    CHECK(json_doc_str_equals(&doc, json_doc_get(&doc, 0, "a"), "two"));
    int b = json_doc_get(&doc, 0, "b");
    CHECK(json_doc_kind(&doc, b) == JSON_KIND_ARRAY);
    CHECK_INT_EQ(json_doc_count(&doc, b), 3);
    CHECK(json_doc_str_copy(&doc, json_doc_get(&doc, json_doc_at(&doc, b, 1), "c"), buf, sizeof buf));
    CHECK_STR_EQ(buf, "x");
    CHECK(json_doc_number(&doc, json_doc_at(&doc, b, 2)) == 30.0);
    CHECK(json_doc_at(&doc, b, 3) == -1);
    CHECK(json_doc_get(&doc, -1, "a") == -1);
    CHECK(json_doc_get(&doc, b, "a") == -1);
    CHECK(json_doc_kind(&doc, -1) == JSON_KIND_NONE);
    json_doc_cleanup(&doc);
}

static void test_strings_decode_escapes_to_utf8(void)
{
    const char *text = "\"a\\u00e9\\ud83d\\ude00\\n\\\"\\/\\\\\"";
    struct json_doc doc;
    char buf[32], tiny[4];
    CHECK(json_doc_parse(&doc, text, strlen(text)));
    CHECK(json_doc_str_copy(&doc, 0, buf, sizeof buf));
    CHECK_STR_EQ(buf, "a\xc3\xa9\xf0\x9f\x98\x80\n\"/\\");
    CHECK_INT_EQ(json_doc_str_len(&doc, 0), strlen(buf));
    strcpy(tiny, "old");
    CHECK(!json_doc_str_copy(&doc, 0, tiny, sizeof tiny));
    CHECK_STR_EQ(tiny, "old");
    json_doc_cleanup(&doc);
}

/* Packs text at level 1 and decodes it; the caller destroys *u. */
static bool pack_and_unpack(const char *text, msgpack_unpacked *u, struct mp_buf *buf)
{
    struct json_doc doc;
    msgpack_packer pk;
    size_t off = 0;
    bool ok;
    msgpack_unpacked_init(u);
    mp_buf_init(buf, 16);
    if (!json_doc_parse(&doc, text, strlen(text))) {
        json_doc_cleanup(&doc);
        return false;
    }
    msgpack_packer_init(&pk, buf, mp_buf_write);
    json_doc_pack(&pk, &doc, 0, 1);
    json_doc_cleanup(&doc);
    ok = msgpack_unpack_next(u, buf->data, buf->len, &off) == MSGPACK_UNPACK_SUCCESS &&
         off == buf->len;
    return ok;
}

static void test_numbers_pack_as_int64_or_float64(void)
{
    msgpack_unpacked u;
    struct mp_buf buf;
    CHECK(pack_and_unpack("[0,-5,9223372036854775807,-9223372036854775808,"
                          "18446744073709551616,2.5,1e400]", &u, &buf));
    msgpack_object_array a = u.data.via.array;
    CHECK(u.data.type == MSGPACK_OBJECT_ARRAY && a.size == 7);
    if (a.size == 7) {
        CHECK(a.ptr[0].type == MSGPACK_OBJECT_POSITIVE_INTEGER && a.ptr[0].via.u64 == 0);
        CHECK(a.ptr[1].type == MSGPACK_OBJECT_NEGATIVE_INTEGER && a.ptr[1].via.i64 == -5);
        CHECK(a.ptr[2].type == MSGPACK_OBJECT_POSITIVE_INTEGER && a.ptr[2].via.u64 == INT64_MAX);
        CHECK(a.ptr[3].type == MSGPACK_OBJECT_NEGATIVE_INTEGER && a.ptr[3].via.i64 == INT64_MIN);
        CHECK(a.ptr[4].type == MSGPACK_OBJECT_FLOAT64 && a.ptr[4].via.f64 == 18446744073709551616.0);
        CHECK(a.ptr[5].type == MSGPACK_OBJECT_FLOAT64 && a.ptr[5].via.f64 == 2.5);
        CHECK(a.ptr[6].type == MSGPACK_OBJECT_FLOAT64 && a.ptr[6].via.f64 > 1e308);
    }
    msgpack_unpacked_destroy(&u);
    mp_buf_cleanup(&buf);
}

static void test_deep_values_pack_as_json_text_so_msgpack_c_can_decode_them(void)
{
    char text[200];
    msgpack_unpacked u;
    struct mp_buf buf;
    int depth = 40;
    for (int i = 0; i < depth; i++) {
        text[i] = '[';
        text[2 * depth - 1 - i] = ']';
    }
    text[2 * depth] = '\0';
    CHECK(pack_and_unpack(text, &u, &buf));
    const msgpack_object *o = &u.data;
    int arrays = 0;
    while (o->type == MSGPACK_OBJECT_ARRAY && o->via.array.size == 1) {
        arrays++;
        o = &o->via.array.ptr[0];
    }
    CHECK_INT_EQ(arrays, JSON_DOC_PACK_LEVEL_MAX);
    CHECK(o->type == MSGPACK_OBJECT_STR && o->via.str.size == (uint32_t)(2 * (depth - arrays)) &&
          memcmp(o->via.str.ptr, text + arrays, o->via.str.size) == 0);
    msgpack_unpacked_destroy(&u);
    mp_buf_cleanup(&buf);
}

static void test_many_tokens_grow_past_the_inline_array(void)
{
    size_t n = JSON_DOC_SMALL * 3;
    char *text = malloc(2 * n + 2);
    struct json_doc doc;
    text[0] = '[';
    for (size_t i = 0; i < n; i++) {
        text[1 + 2 * i] = '7';
        text[2 + 2 * i] = i + 1 < n ? ',' : ']';
    }
    text[2 * n + 1] = '\0';
    CHECK(json_doc_parse(&doc, text, strlen(text)));
    CHECK_INT_EQ(json_doc_count(&doc, 0), n);
    CHECK(json_doc_number(&doc, json_doc_at(&doc, 0, n - 1)) == 7.0);
    json_doc_cleanup(&doc);
    free(text);
}

int main(void)
{
    RUN(test_valid_texts_parse);
    RUN(test_invalid_texts_are_refused);
    RUN(test_nesting_over_the_limit_is_refused);
    RUN(test_lookups_decode_keys_and_take_the_last_duplicate);
    RUN(test_strings_decode_escapes_to_utf8);
    RUN(test_numbers_pack_as_int64_or_float64);
    RUN(test_deep_values_pack_as_json_text_so_msgpack_c_can_decode_them);
    RUN(test_many_tokens_grow_past_the_inline_array);
    return check_summary();
}
