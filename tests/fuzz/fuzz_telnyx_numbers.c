/* tests/fuzz/fuzz_telnyx_numbers.c: libFuzzer target for Telnyx's answers to a number search
 * and to a number order (lib/telnyx/telnyx_numbers.c), outside input the provisioning job
 * reads: any bytes must give numbers that are E.164 and within the limit, or an order whose
 * id and number fit their fields, never a crash or a leak. Built by `make fuzz`;
 * tests/run-all.sh runs it on tests/fuzz/corpus/telnyx_numbers/. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/e164.h"
#include "telnyx/telnyx_numbers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char found[4][TELNYX_NUMBER_MAX];
    int n = telnyx_numbers_read_search((const char *)data, size, found, 4);
    if (n < -1 || n > 4)
        abort();
    for (int i = 0; i < n; i++)
        if (!e164_is_valid(found[i], strlen(found[i])))
            abort();
    struct telnyx_number_order order;
    if (telnyx_numbers_read_order((const char *)data, size, &order)) {
        if (order.id[0] == '\0' || strlen(order.id) > TELNYX_ORDER_ID_MAX ||
            (unsigned)order.status > TELNYX_ORDER_FAILURE)
            abort();
        if (order.phone_number[0] != '\0' &&
            !e164_is_valid(order.phone_number, strlen(order.phone_number)))
            abort();
    }
    return 0;
}
