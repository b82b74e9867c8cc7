/* tests/fuzz/fuzz_stripe_webhook.c: libFuzzer target for what reaches POST /webhooks/stripe:
 * the Stripe-Signature header (stripe_signature_verify) and, once a signature checks out,
 * the body (stripe_webhook_event_parse). The input is the header, a newline, the body.
 * Built by `make fuzz`; tests/run-all.sh runs it on tests/fuzz/corpus/stripe_webhook/.
 *
 * Properties: nothing crashes or leaks; a refusal always says why; the body signed with
 * the secret verifies and one changed byte of it does not; a parsed event's fields are
 * what the stream and its keys need (ids and types of their own alphabet, a canonical
 * business id or none). */
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/stripe_signature.h"
#include "billing/stripe_webhook_event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SECRET "whsec_fuzz_0123456789abcdefghijklmnopqrstuv"
#define NOW 1700000000

static void check_header_of_the_input(const char *text, size_t size)
{
    const char *nl = memchr(text, '\n', size);
    size_t header_len = nl != NULL ? (size_t)(nl - text) : size;
    char *header = malloc(header_len + 1);
    memcpy(header, text, header_len);
    header[header_len] = '\0';
    const char *body = nl != NULL ? nl + 1 : "";
    size_t body_len = nl != NULL ? size - header_len - 1 : 0;
    const char *why = NULL;
    if (stripe_signature_verify(header, body, body_len, SECRET, NOW, 300, &why) != APP_OK &&
        why == NULL)
        __builtin_trap();
    free(header);
}

static void check_signed_round_trip(const uint8_t *data, size_t size)
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)SECRET, strlen(SECRET));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)"1700000000.", 11);
    crypto_auth_hmacsha256_update(&st, data, size);
    crypto_auth_hmacsha256_final(&st, mac);
    char header[160] = "t=1700000000,v1=";
    sodium_bin2hex(header + strlen(header), sizeof header - strlen(header), mac, sizeof mac);
    const char *why = NULL;
    if (stripe_signature_verify(header, (const char *)data, size, SECRET, NOW, 300, &why) != APP_OK)
        __builtin_trap();
    if (size == 0)
        return;
    uint8_t *changed = malloc(size);
    memcpy(changed, data, size);
    changed[size / 2] ^= 0x20;
    if (stripe_signature_verify(header, (const char *)changed, size, SECRET, NOW, 300, &why) ==
        APP_OK)
        __builtin_trap();
    free(changed);
}

static void check_event(const uint8_t *data, size_t size)
{
    struct stripe_webhook_event ev;
    const char *why = NULL;
    if (stripe_webhook_event_parse((const char *)data, size, &ev, &why) != APP_OK) {
        if (why == NULL)
            __builtin_trap();
        return;
    }
    if (strncmp(ev.id, "evt_", 4) != 0 || strncmp(ev.eid, "stripe:evt_", 11) != 0 ||
        strncmp(ev.stream_type, "stripe.", 7) != 0 || ev.type[0] == '\0' || ev.at[0] == '\0')
        __builtin_trap();
    if (ev.business_id[0] != '\0' && (!uuid_is_valid(ev.business_id, strlen(ev.business_id)) ||
                                      ev.business_source == STRIPE_BUSINESS_NONE))
        __builtin_trap();
    if (ev.customer[0] != '\0' && strncmp(ev.customer, "cus_", 4) != 0)
        __builtin_trap();
    for (const char *c = ev.eid; *c != '\0'; c++)
        if (*c <= ' ' || *c >= 0x7F)
            __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (sodium_init() < 0)
        __builtin_trap();
    check_header_of_the_input((const char *)data, size);
    check_signed_round_trip(data, size);
    check_event(data, size);
    return 0;
}
