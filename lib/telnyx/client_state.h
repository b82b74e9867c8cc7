/* lib/telnyx/client_state.h: the client_state the worker sets on every Call Control command
 * and Telnyx echoes on later webhooks of that call leg (docs/telnyx.md §1). It names the
 * business and the conversation, so the api can route events that carry no number
 * (speak, transcription, playback, ...), and a transfer's new leg carries it too
 * (target_leg_client_state). Webhooks are signed by Telnyx and Telnyx only echoes what we
 * sent, so the value is trusted once the signature is, except on the call.initiated of an
 * incoming call, which no command of ours preceded (docs/design.md, "Routing").
 *
 * Wire format: standard base64 (with padding) of "fd1:<business uuid>:<conversation id>",
 * the business uuid in canonical lowercase, the conversation id 1..64 characters of
 * [A-Za-z0-9_.=-]. */
#ifndef FD_CLIENT_STATE_H
#define FD_CLIENT_STATE_H
#include <stdbool.h>
#include <stddef.h>

#define CLIENT_STATE_CONVERSATION_MAX 64
#define CLIENT_STATE_MAX 192   /* longest encoded value, with its NUL */

/* Writes the base64 value into out (CLIENT_STATE_MAX bytes); false when the business
 * id is not a UUID or the conversation id is empty, too long or has other characters. */
bool client_state_encode(const char *business_id, const char *conversation_id,
                         char out[CLIENT_STATE_MAX]);
/* Decodes a value; false for anything that is not ours. business_id gets the
 * canonical UUID, conversation_id the id (CLIENT_STATE_CONVERSATION_MAX + 1 bytes). */
bool client_state_decode(const char *b64, size_t len, char business_id[37],
                         char conversation_id[CLIENT_STATE_CONVERSATION_MAX + 1]);

#endif
