/* tests/fuzz/fuzz_stripe_event.c: libFuzzer target for the body of a Stripe webhook
 * event as the worker reads it (lib/billing/stripe_event.c): any bytes must be read or
 * refused with a reason, never crash or read out of bounds; what is read must fit the
 * columns of stripe_events and businesses (schema/0010_billing.sql) and round-trip
 * through the JSON it keeps. Built by `make fuzz`; tests/run-all.sh runs it on
 * tests/fuzz/corpus/stripe_event/. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "billing/stripe_event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_id(const char *id, const char *prefix, bool may_be_empty)
{
    size_t n = strlen(id);
    if (n == 0 && may_be_empty)
        return;
    if (n <= strlen(prefix) || n > strlen(prefix) + 250 || strncmp(id, prefix, strlen(prefix)) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct stripe_event_facts f;
    const char *why = NULL;
    if (stripe_event_read((const char *)data, size, &f, &why) != APP_OK) {
        if (why == NULL || why[0] == '\0' || f.object_json != NULL)
            abort();
        return 0;
    }
    check_id(f.id, "evt_", false);
    check_id(f.customer_id, "cus_", true);
    check_id(f.subscription_id, "sub_", true);
    if (f.type[0] == '\0' || f.created_s <= 0 || f.period_end_s < f.period_start_s)
        abort();
    json_t *object = json_loads(f.object_json, 0, NULL);
    if (!json_is_object(object))
        abort();
    json_decref(object);
    stripe_event_facts_cleanup(&f);
    return 0;
}
