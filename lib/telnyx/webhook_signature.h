/* lib/telnyx/webhook_signature.h: Telnyx webhook signatures (docs/telnyx.md §2): Ed25519 over
 * "<telnyx-timestamp>|<raw body>", the timestamp within a tolerance of now. */
#ifndef FD_WEBHOOK_SIGNATURE_H
#define FD_WEBHOOK_SIGNATURE_H
#include <stddef.h>
#include <time.h>

#include "core/err.h"

/* APP_OK when signature_b64 (standard base64 of 64 bytes) signs timestamp|body with
 * public_key and the timestamp (decimal Unix seconds) is within tolerance_s of now.
 * Otherwise APP_EAUTH and *why (static text) says which check failed. NULL headers
 * count as missing. */
enum app_err webhook_signature_verify(const char *timestamp, const char *signature_b64,
                                      const char *body, size_t body_len,
                                      const unsigned char public_key[32],
                                      time_t now, int tolerance_s, const char **why);

#endif
