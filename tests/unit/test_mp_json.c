/* tests/unit/test_mp_json.c: MessagePack shown as JSON for operators (lib/core/mp_json.c). */
#include <stdlib.h>
#include <string.h>

#include "check.h"

#include "core/mp_json.h"

/* The compact JSON text of bytes (owned by the caller), or NULL when they do not decode. */
static char *decoded(const char *bytes, size_t len)
{
    json_t *v = mp_json_decode(bytes, len);
    if (v == NULL)
        return NULL;
    char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    json_decref(v);
    return text;
}

static void test_a_map_of_every_kind_we_write_becomes_its_json(void)
{
    /* {"type": "call.hangup", "n": -3, "ok": true, "at": nil, "l": [1, 2.5], "b": bin "ab"} */
    static const char bytes[] = "\x86\xa4type\xab" "call.hangup" "\xa1n\xfd" "\xa2ok\xc3" "\xa2" "at\xc0"
                                "\xa1l\x92\x01\xcb\x40\x04\x00\x00\x00\x00\x00\x00" "\xa1" "b\xc4\x02" "ab";
    char *text = decoded(bytes, sizeof bytes - 1);
    CHECK_STR_EQ(text, "{\"at\":null,\"b\":\"YWI=\",\"l\":[1,2.5],\"n\":-3,\"ok\":true,\"type\":\"call.hangup\"}");
    free(text);
}

static void test_text_that_is_not_utf8_is_shown_as_base64(void)
{
    char *text = decoded("\xa2\xff\xfe", 3);
    CHECK_STR_EQ(text, "\"//4=\"");
    free(text);
}

static void test_empty_strings_and_binaries_are_empty_text(void)
{
    char *text = decoded("\x82\xa0\xa0\xa1k\xc4\x00", 7);     /* {"": "", "k": bin ""} */
    CHECK_STR_EQ(text, "{\"\":\"\",\"k\":\"\"}");
    free(text);
}

static void test_cut_trailing_or_too_deep_bytes_give_null(void)
{
    CHECK(mp_json_decode("\x92\x01", 2) == NULL);          /* the second element is missing */
    CHECK(mp_json_decode("\x01\x02", 2) == NULL);          /* a second object after the first */
    CHECK(mp_json_decode("", 0) == NULL);
    char deep[80];
    memset(deep, 0x91, sizeof deep - 1);                   /* [[[[...1...]]]], 79 levels */
    deep[sizeof deep - 1] = 0x01;
    CHECK(mp_json_decode(deep, sizeof deep) == NULL);
    char *ok = decoded(deep + 79 - 10, 11);                /* 10 levels are fine */
    CHECK_STR_EQ(ok, "[[[[[[[[[[1]]]]]]]]]]");
    free(ok);
}

int main(void)
{
    RUN(test_a_map_of_every_kind_we_write_becomes_its_json);
    RUN(test_text_that_is_not_utf8_is_shown_as_base64);
    RUN(test_empty_strings_and_binaries_are_empty_text);
    RUN(test_cut_trailing_or_too_deep_bytes_give_null);
    return check_summary();
}
