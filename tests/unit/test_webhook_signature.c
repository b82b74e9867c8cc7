/* Unit tests for lib/telnyx/webhook_signature.c. The vectors use the secret key of RFC 8032
 * §7.1 TEST 1 and were signed by another Ed25519 implementation (OpenSSL, through
 * python3-cryptography), over "<timestamp>|<body>" as Telnyx signs. */
#include <sodium.h>

#include "check.h"
#include "core/config.h"
#include "telnyx/webhook_signature.h"

static const char *const public_key_b64 = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
static const char *const body1 =
    "{\"data\":{\"event_type\":\"call.initiated\",\"id\":\"0ccc7b54-4df3-4bca-a65a-3da1ecc777f0\"}}";
static const char *const sig1 =
    "Es5MFqOrJvkje4uCzSmFjAx511fL4rQAC3ZGU4AtJD5rRccxihbsY+CM2fYNIWAs1I5FBdBwgsCyxk2o4h0iCA==";
static const char *const sig_empty_body =
    "L2J7QHjbjlZdLY9WB9I1QIZ1vLVgeGtNPW197s7sGKeDfr7HaIsj1f9bFnHLrcKfa1iIolFfbfgB9wMSYrmVCQ==";

static unsigned char key[32];

static enum app_err verify(const char *ts, const char *sig, const char *body, time_t now,
                           const char **why)
{
    return webhook_signature_verify(ts, sig, body, strlen(body), key, now, 300, why);
}

static void test_rfc8032_key_decodes_to_its_public_key(void)
{
    unsigned char expect[32];
    CHECK(config_parse_public_key(public_key_b64, key));
    sodium_hex2bin(expect, sizeof expect,
                   "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", 64,
                   NULL, NULL, NULL);
    CHECK(memcmp(key, expect, 32) == 0);
}

static void test_vectors_from_another_implementation_verify(void)
{
    const char *why = NULL;
    CHECK(verify("1700000000", sig1, body1, 1700000000, &why) == APP_OK);
    CHECK(verify("1732800000", sig_empty_body, "", 1732800000, &why) == APP_OK);
}

static void test_one_changed_byte_anywhere_fails(void)
{
    const char *why = NULL;
    char body[256];
    strcpy(body, body1);
    body[10] ^= 1;
    CHECK(verify("1700000000", sig1, body, 1700000000, &why) == APP_EAUTH);
    CHECK_STR_EQ(why, "signature does not match");
    CHECK(verify("1700000001", sig1, body1, 1700000000, &why) == APP_EAUTH);
    char sig[128];
    strcpy(sig, sig1);
    sig[5] = sig[5] == 'A' ? 'B' : 'A';
    CHECK(verify("1700000000", sig, body1, 1700000000, &why) == APP_EAUTH);
}

static void test_timestamp_outside_the_tolerance_fails_either_side(void)
{
    const char *why = NULL;
    CHECK(verify("1700000000", sig1, body1, 1700000300, &why) == APP_OK);
    CHECK(verify("1700000000", sig1, body1, 1700000301, &why) == APP_EAUTH);
    CHECK_STR_EQ(why, "telnyx-timestamp is outside the tolerance");
    CHECK(verify("1700000000", sig1, body1, 1699999699, &why) == APP_EAUTH);
}

static void test_malformed_headers_say_what_is_wrong(void)
{
    const char *why = NULL;
    CHECK(webhook_signature_verify(NULL, sig1, body1, strlen(body1), key, 1700000000, 300, &why) == APP_EAUTH);
    CHECK_STR_EQ(why, "telnyx-timestamp header is missing");
    CHECK(webhook_signature_verify("1700000000", NULL, body1, strlen(body1), key, 1700000000, 300, &why) == APP_EAUTH);
    CHECK_STR_EQ(why, "telnyx-signature-ed25519 header is missing");
    CHECK(verify("17e8", sig1, body1, 1700000000, &why) == APP_EAUTH);
    CHECK_STR_EQ(why, "telnyx-timestamp is not Unix seconds");
    CHECK(verify("", sig1, body1, 1700000000, &why) == APP_EAUTH);
    CHECK(verify("1700000000", "c2hvcnQ=", body1, 1700000000, &why) == APP_EAUTH);
    CHECK_STR_EQ(why, "telnyx-signature-ed25519 is not base64 of 64 bytes");
    CHECK(verify("1700000000", "!!!!", body1, 1700000000, &why) == APP_EAUTH);
}

static void test_large_body_is_verified_too(void)
{
    /* bodies over the stack buffer take the heap path */
    unsigned char pk[32], sk[64], sig[64];
    crypto_sign_keypair(pk, sk);
    size_t len = 100000;
    char *msg = malloc(11 + len + 1);
    memcpy(msg, "1700000000|", 11);
    memset(msg + 11, 'a', len);
    msg[11 + len] = '\0';
    crypto_sign_detached(sig, NULL, (unsigned char *)msg, 11 + len, sk);
    char sig_b64[sodium_base64_ENCODED_LEN(64, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(sig_b64, sizeof sig_b64, sig, 64, sodium_base64_VARIANT_ORIGINAL);
    const char *why = NULL;
    CHECK(webhook_signature_verify("1700000000", sig_b64, msg + 11, len, pk, 1700000000, 300, &why) == APP_OK);
    free(msg);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    RUN(test_rfc8032_key_decodes_to_its_public_key);
    RUN(test_vectors_from_another_implementation_verify);
    RUN(test_one_changed_byte_anywhere_fails);
    RUN(test_timestamp_outside_the_tolerance_fails_either_side);
    RUN(test_malformed_headers_say_what_is_wrong);
    RUN(test_large_body_is_verified_too);
    return check_summary();
}
