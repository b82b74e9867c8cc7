/* lib/telnyx/client_state.c: encodes and decodes the client_state of client_state.h,
 * "fd1:<business uuid>:<conversation id>" in standard base64 with padding.
 * Decoding runs on every webhook that carries a client_state, possibly one another
 * application set, so it accepts only the exact form encode produces.
 *
 * libsodium's base64 codecs are pure functions that need no sodium_init(). */
#include "telnyx/client_state.h"

#include <string.h>

#include <sodium.h>

#define PREFIX "fd1:"
#define PREFIX_LEN (sizeof PREFIX - 1)
#define UUID_LEN 36
/* The longest plain value: prefix, uuid, ':' and the longest conversation id. */
#define PLAIN_MAX (PREFIX_LEN + UUID_LEN + 1 + CLIENT_STATE_CONVERSATION_MAX)

_Static_assert(sodium_base64_ENCODED_LEN(PLAIN_MAX, sodium_base64_VARIANT_ORIGINAL) <=
                   CLIENT_STATE_MAX,
               "CLIENT_STATE_MAX must hold the longest encoded value");

static bool is_hex(char c, bool allow_upper)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (allow_upper && c >= 'A' && c <= 'F');
}

/* True for 8-4-4-4-12 hex digits; uppercase digits only when allow_upper. */
static bool is_uuid(const char *s, size_t len, bool allow_upper)
{
    if (len != UUID_LEN)
        return false;
    for (size_t i = 0; i < UUID_LEN; i++) {
        bool is_dash_pos = i == 8 || i == 13 || i == 18 || i == 23;
        if (is_dash_pos ? s[i] != '-' : !is_hex(s[i], allow_upper))
            return false;
    }
    return true;
}

static bool is_conversation_id(const char *s, size_t len)
{
    if (len == 0 || len > CLIENT_STATE_CONVERSATION_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '=' || c == '-'))
            return false;
    }
    return true;
}

bool client_state_encode(const char *business_id, const char *conversation_id,
                         char out[CLIENT_STATE_MAX])
{
    unsigned char plain[PLAIN_MAX];
    size_t conv_len;

    if (business_id == NULL || conversation_id == NULL)
        return false;
    conv_len = strnlen(conversation_id, CLIENT_STATE_CONVERSATION_MAX + 1);
    if (!is_uuid(business_id, strnlen(business_id, UUID_LEN + 1), true) ||
        !is_conversation_id(conversation_id, conv_len))
        return false;
    memcpy(plain, PREFIX, PREFIX_LEN);
    for (size_t i = 0; i < UUID_LEN; i++) {   /* canonical form is lowercase */
        char c = business_id[i];
        plain[PREFIX_LEN + i] = (unsigned char)(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
    }
    plain[PREFIX_LEN + UUID_LEN] = ':';
    memcpy(plain + PREFIX_LEN + UUID_LEN + 1, conversation_id, conv_len);
    sodium_bin2base64(out, CLIENT_STATE_MAX, plain, PREFIX_LEN + UUID_LEN + 1 + conv_len,
                      sodium_base64_VARIANT_ORIGINAL);
    return true;
}

bool client_state_decode(const char *b64, size_t len, char business_id[37],
                         char conversation_id[CLIENT_STATE_CONVERSATION_MAX + 1])
{
    unsigned char plain[PLAIN_MAX];
    const char *end = NULL;
    const char *text = (const char *)plain;
    size_t plain_len = 0, conv_len;

    if (b64 == NULL || len == 0 || len >= CLIENT_STATE_MAX)
        return false;
    /* Fails on bad characters, bad padding, non-zero trailing bits and on output that
     * would not fit plain (over-long values); end must reach len so nothing trails. */
    if (sodium_base642bin(plain, sizeof plain, b64, len, NULL, &plain_len, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != b64 + len)
        return false;
    if (plain_len < PREFIX_LEN + UUID_LEN + 2 || memcmp(text, PREFIX, PREFIX_LEN) != 0 ||
        !is_uuid(text + PREFIX_LEN, UUID_LEN, false) || text[PREFIX_LEN + UUID_LEN] != ':')
        return false;
    conv_len = plain_len - (PREFIX_LEN + UUID_LEN + 1);
    if (!is_conversation_id(text + PREFIX_LEN + UUID_LEN + 1, conv_len))
        return false;
    memcpy(business_id, text + PREFIX_LEN, UUID_LEN);
    business_id[UUID_LEN] = '\0';
    memcpy(conversation_id, text + PREFIX_LEN + UUID_LEN + 1, conv_len);
    conversation_id[conv_len] = '\0';
    return true;
}
