/* tests/fuzz/fuzz_booking_cancel_event.c: libFuzzer target for booking_cancel_event_decode,
 * whose bytes come from a tenant's stream (an owner.booking_cancel event's body). Built by
 * `make fuzz`; tests/run-all.sh runs it for a bounded time on
 * tests/fuzz/corpus/booking_cancel_event/.
 *
 * Beyond not crashing: an accepted body names a canonical booking id, a service and an
 * end after its start, and packs and decodes again to the same event. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "booking/booking_cancel_event.h"
#include "store/tenant_keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Field by field: a key given twice leaves bytes of its first value after the NUL. */
static bool same_event(const struct booking_cancel_event *a, const struct booking_cancel_event *b)
{
    return strcmp(a->booking_id, b->booking_id) == 0 && strcmp(a->service, b->service) == 0 &&
           a->start_ms == b->start_ms && a->end_ms == b->end_ms &&
           strcmp(a->caller, b->caller) == 0 && strcmp(a->business_number, b->business_number) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct booking_cancel_event e, again;
    char body[BOOKING_CANCEL_BODY_MAX];
    const char *why = NULL;
    if (booking_cancel_event_decode((const char *)data, size, &e, &why) != APP_OK) {
        if (why == NULL)
            __builtin_trap();
        return 0;
    }
    char canonical[FD_UUID_LEN + 1];
    if (!uuid_canonical(e.booking_id, strlen(e.booking_id), canonical) ||
        strcmp(canonical, e.booking_id) != 0 || e.service[0] == '\0' || e.end_ms <= e.start_ms)
        __builtin_trap();
    size_t len = booking_cancel_event_pack(&e, "2026-03-03T15:00:00Z", body, sizeof body);
    if (len == 0 || booking_cancel_event_decode(body, len, &again, &why) != APP_OK ||
        !same_event(&e, &again))
        __builtin_trap();
    return 0;
}
