/* web/hash_stage.c: what a hashing thread runs: verify a password against its stored
 * argon2id hash and/or hash a new one (lib/owner/password.h). An account without a
 * hash (an unknown email) is verified against a dummy hash made at start, so a wrong
 * email and a wrong password take the same time and fail the same way. */
#include <string.h>

#include "owner/password.h"
#include "web.h"

void web_hash_run(void *job, void **state, void *arg)
{
    struct web_exchange *x = job;
    const struct web *web = arg;
    struct web_hash_job *h = &x->hashed;
    (void)state;
    if (h->verify_password != NULL) {
        bool has_hash = h->against[0] != '\0';
        bool is_match = password_verify(has_hash ? h->against : web->dummy_hash,
                                        h->verify_password, h->verify_len);
        h->is_verified = is_match && has_hash;
    }
    h->new_hash[0] = '\0';
    if (h->new_password != NULL && (!h->is_hash_after_verify || h->is_verified))
        (void)password_hash(h->new_password, h->new_len, h->new_hash);  /* "" on failure */
}
