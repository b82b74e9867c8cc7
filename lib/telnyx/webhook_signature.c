/* lib/telnyx/webhook_signature.c: see webhook_signature.h. The signed message is built in a
 * stack buffer for bodies up to 16 KiB (all real Telnyx webhooks) and on the heap above
 * that, so the common path allocates nothing. */
#include "telnyx/webhook_signature.h"

#include <errno.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

static int parse_timestamp(const char *text, long long *out)
{
    size_t len = strlen(text);
    if (len == 0 || len > 12)
        return -1;
    long long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return -1;
        v = v * 10 + (text[i] - '0');
    }
    *out = v;
    return 0;
}

enum app_err webhook_signature_verify(const char *timestamp, const char *signature_b64,
                                      const char *body, size_t body_len,
                                      const unsigned char public_key[32],
                                      time_t now, int tolerance_s, const char **why)
{
    if (timestamp == NULL || signature_b64 == NULL) {
        *why = timestamp == NULL ? "telnyx-timestamp header is missing"
                                 : "telnyx-signature-ed25519 header is missing";
        return APP_EAUTH;
    }
    long long ts = 0;
    if (parse_timestamp(timestamp, &ts) != 0) {
        *why = "telnyx-timestamp is not Unix seconds";
        return APP_EAUTH;
    }
    long long skew = (long long)now - ts;
    if (skew > tolerance_s || skew < -(long long)tolerance_s) {
        *why = "telnyx-timestamp is outside the tolerance";
        return APP_EAUTH;
    }
    unsigned char sig[crypto_sign_BYTES];
    size_t sig_len = 0;
    size_t b64_len = strlen(signature_b64);
    if (b64_len > 128 ||
        sodium_base642bin(sig, sizeof sig, signature_b64, b64_len, NULL, &sig_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        sig_len != crypto_sign_BYTES) {
        *why = "telnyx-signature-ed25519 is not base64 of 64 bytes";
        return APP_EAUTH;
    }

    size_t ts_len = strlen(timestamp);
    size_t msg_len = ts_len + 1 + body_len;
    unsigned char stack_buf[16384];
    unsigned char *msg = msg_len <= sizeof stack_buf ? stack_buf : xmalloc(msg_len);
    memcpy(msg, timestamp, ts_len);
    msg[ts_len] = '|';
    if (body_len > 0)
        memcpy(msg + ts_len + 1, body, body_len);
    int rc = crypto_sign_verify_detached(sig, msg, msg_len, public_key);
    if (msg != stack_buf)
        free(msg);
    if (rc != 0) {
        *why = "signature does not match";
        return APP_EAUTH;
    }
    return APP_OK;
}
