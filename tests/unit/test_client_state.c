/* Unit tests for lib/telnyx/client_state.c: values round-trip, and decode refuses anything
 * that encode would not have produced (another application's client_state, garbage). */
#include <sodium.h>

#include "check.h"
#include "telnyx/client_state.h"

#define BUSINESS "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b"

/* Standard base64 of plain, as another sender might build it. */
static void b64_of(const char *plain, char out[CLIENT_STATE_MAX * 2])
{
    sodium_bin2base64(out, CLIENT_STATE_MAX * 2, (const unsigned char *)plain, strlen(plain),
                      sodium_base64_VARIANT_ORIGINAL);
}

static bool decodes(const char *b64)
{
    char business[37], conversation[CLIENT_STATE_CONVERSATION_MAX + 1];
    return client_state_decode(b64, strlen(b64), business, conversation);
}

static void test_encoded_value_decodes_to_its_parts(void)
{
    char value[CLIENT_STATE_MAX], business[37], conversation[CLIENT_STATE_CONVERSATION_MAX + 1];
    CHECK(client_state_encode(BUSINESS, "call-v3_abc.DEF=", value));
    CHECK(client_state_decode(value, strlen(value), business, conversation));
    CHECK_STR_EQ(business, BUSINESS);
    CHECK_STR_EQ(conversation, "call-v3_abc.DEF=");
}

static void test_encoding_is_standard_base64_of_the_plain_text(void)
{
    char value[CLIENT_STATE_MAX], expected[CLIENT_STATE_MAX * 2];
    CHECK(client_state_encode(BUSINESS, "c1", value));
    b64_of("fd1:" BUSINESS ":c1", expected);
    CHECK_STR_EQ(value, expected);
    CHECK(value[strlen(value) - 1] == '=');   /* 44 plain bytes: padded */
}

static void test_uppercase_business_id_is_encoded_lowercase(void)
{
    char value[CLIENT_STATE_MAX], business[37], conversation[CLIENT_STATE_CONVERSATION_MAX + 1];
    CHECK(client_state_encode("3F2B8C1E-9A4D-4E6F-8B7A-1C2D3E4F5A6B", "x", value));
    CHECK(client_state_decode(value, strlen(value), business, conversation));
    CHECK_STR_EQ(business, BUSINESS);
}

static void test_longest_conversation_id_round_trips(void)
{
    char conv[CLIENT_STATE_CONVERSATION_MAX + 1], value[CLIENT_STATE_MAX];
    char business[37], conversation[CLIENT_STATE_CONVERSATION_MAX + 1];
    memset(conv, 'Z', CLIENT_STATE_CONVERSATION_MAX);
    conv[CLIENT_STATE_CONVERSATION_MAX] = '\0';
    CHECK(client_state_encode(BUSINESS, conv, value));
    CHECK(strlen(value) < CLIENT_STATE_MAX);
    CHECK(client_state_decode(value, strlen(value), business, conversation));
    CHECK_STR_EQ(conversation, conv);
}

static void test_encode_refuses_bad_input(void)
{
    char value[CLIENT_STATE_MAX], conv[CLIENT_STATE_CONVERSATION_MAX + 2];
    memset(conv, 'a', CLIENT_STATE_CONVERSATION_MAX + 1);
    conv[CLIENT_STATE_CONVERSATION_MAX + 1] = '\0';
    CHECK(!client_state_encode("not-a-uuid", "c", value));
    CHECK(!client_state_encode("3f2b8c1e9a4d4e6f8b7a1c2d3e4f5a6b", "c", value));
    CHECK(!client_state_encode(BUSINESS "0", "c", value));
    CHECK(!client_state_encode("3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6g", "c", value));
    CHECK(!client_state_encode(BUSINESS, "", value));
    CHECK(!client_state_encode(BUSINESS, conv, value));
    CHECK(!client_state_encode(BUSINESS, "has space", value));
    CHECK(!client_state_encode(BUSINESS, "a:b", value));
    CHECK(!client_state_encode(BUSINESS, "caf\xc3\xa9", value));
    CHECK(!client_state_encode(NULL, "c", value));
    CHECK(!client_state_encode(BUSINESS, NULL, value));
}

static void test_decode_refuses_values_that_are_not_ours(void)
{
    char b64[CLIENT_STATE_MAX * 2], conv[CLIENT_STATE_CONVERSATION_MAX + 2];
    const char *foreign[] = {
        "fd2:" BUSINESS ":c1",                                   /* other version */
        "xx1:" BUSINESS ":c1",
        "fd1:3F2B8C1E-9A4D-4E6F-8B7A-1C2D3E4F5A6B:c1",          /* not canonical */
        "fd1:3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6:c1",           /* short uuid */
        "fd1:3f2b8c1e-9a4d-4e6f-8b7a1-c2d3e4f5a6b:c1",          /* dash misplaced */
        "fd1:" BUSINESS,                                         /* no conversation */
        "fd1:" BUSINESS ":",                                     /* empty conversation */
        "fd1:" BUSINESS "-c1",                                   /* no separator */
        "fd1:" BUSINESS ":c 1",
        "fd1:" BUSINESS ":c1:more",
        "fd1:" BUSINESS ":c1\n",
        "have a nice day =]",                                    /* the spec's example */
        "",
    };
    for (size_t i = 0; i < sizeof foreign / sizeof foreign[0]; i++) {
        b64_of(foreign[i], b64);
        if (decodes(b64)) {
            CHECK(!"decoded a foreign value");
            fprintf(stderr, "  decoded \"%s\"\n", foreign[i]);
        }
    }
    memset(conv, 'a', CLIENT_STATE_CONVERSATION_MAX + 1);
    conv[CLIENT_STATE_CONVERSATION_MAX + 1] = '\0';
    char plain[200];
    snprintf(plain, sizeof plain, "fd1:%s:%s", BUSINESS, conv);
    b64_of(plain, b64);
    CHECK(!decodes(b64));   /* conversation one character too long */
}

static void test_decode_refuses_bad_base64(void)
{
    char value[CLIENT_STATE_MAX], copy[CLIENT_STATE_MAX + 8];
    char business[37], conversation[CLIENT_STATE_CONVERSATION_MAX + 1];
    size_t len;
    CHECK(client_state_encode(BUSINESS, "c1", value));
    len = strlen(value);

    CHECK(!client_state_decode(value, len - 1, business, conversation));   /* lost padding */
    snprintf(copy, sizeof copy, "%s=", value);
    CHECK(!decodes(copy));                                                  /* extra padding */
    snprintf(copy, sizeof copy, "%s ", value);
    CHECK(!decodes(copy));                                                  /* trailing space */
    memcpy(copy, value, len + 1);
    copy[3] = '-';                                                          /* url-safe alphabet */
    CHECK(!decodes(copy));
    copy[3] = '\0';
    CHECK(!client_state_decode(copy, len, business, conversation));         /* embedded NUL */
    CHECK(!decodes("aGF2ZSBhIG5pY2UgZGF5ID1d"));                             /* docs/telnyx.md example */
    CHECK(!decodes("!!!!"));
    CHECK(!client_state_decode(value, 0, business, conversation));
    CHECK(!client_state_decode(NULL, 4, business, conversation));
}

static void test_decode_refuses_over_long_values(void)
{
    char big[CLIENT_STATE_MAX * 4], business[37], conversation[CLIENT_STATE_CONVERSATION_MAX + 1];
    memset(big, 'A', sizeof big);
    CHECK(!client_state_decode(big, sizeof big, business, conversation));
    CHECK(!client_state_decode(big, CLIENT_STATE_MAX, business, conversation));
    CHECK(!client_state_decode(big, 160, business, conversation));   /* fits the buffer, too long plain */
}

int main(void)
{
    RUN(test_encoded_value_decodes_to_its_parts);
    RUN(test_encoding_is_standard_base64_of_the_plain_text);
    RUN(test_uppercase_business_id_is_encoded_lowercase);
    RUN(test_longest_conversation_id_round_trips);
    RUN(test_encode_refuses_bad_input);
    RUN(test_decode_refuses_values_that_are_not_ours);
    RUN(test_decode_refuses_bad_base64);
    RUN(test_decode_refuses_over_long_values);
    return check_summary();
}
