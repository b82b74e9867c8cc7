/* tests/fuzz/fuzz_stripe_answer.c: libFuzzer target for Stripe's answers, outside input the
 * worker's billing job reads after every request (lib/billing/stripe_answer.c): any body,
 * with any status and Stripe-Should-Retry header, must give one of the four verdicts, NUL-
 * terminated fields within their sizes and a one-line description, never a crash or a
 * leak; a 2xx is always done. The first two bytes choose the status and the header.
 * Built by `make fuzz`; tests/run-all.sh runs it on tests/fuzz/corpus/stripe_answer/. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "billing/stripe_answer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const long statuses[] = {0, 200, 201, 400, 401, 402, 403, 404, 409, 424, 429, 500,
                                    502, 503, 504, 599};
    static const char *const headers[] = {NULL, "true", "false", "TRUE", "", "maybe"};
    if (size < 2)
        return 0;
    struct stripe_response r = {
        .status = statuses[data[0] % (sizeof statuses / sizeof statuses[0])],
        .should_retry = headers[data[1] % (sizeof headers / sizeof headers[0])],
        .body = (const char *)data + 2, .body_len = size - 2, .transport_error = NULL,
    };
    struct stripe_answer a;
    stripe_answer_classify(&r, &a);
    if (a.verdict != STRIPE_DONE && a.verdict != STRIPE_RETRY &&
        a.verdict != STRIPE_INDETERMINATE && a.verdict != STRIPE_FAILED)
        abort();
    if (r.status >= 200 && r.status < 300 && a.verdict != STRIPE_DONE)
        abort();
    if (memchr(a.object_id, '\0', sizeof a.object_id) == NULL ||
        memchr(a.error_type, '\0', sizeof a.error_type) == NULL ||
        memchr(a.error_code, '\0', sizeof a.error_code) == NULL ||
        memchr(a.message, '\0', sizeof a.message) == NULL)
        abort();
    char line[700];
    stripe_answer_describe(&a, line, sizeof line);
    if (memchr(line, '\0', sizeof line) == NULL)
        abort();
    return 0;
}
