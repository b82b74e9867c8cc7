/* lib/owner/owner_items.c: see owner_items.h. */
#include "owner/owner_items.h"

#include "core/det_uuid.h"

void owner_items_link_calls(json_t *items, const char *business_id)
{
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) {
        const char *ccid = json_string_value(json_object_get(item, "call_control_id"));
        char call_id[37];
        if (ccid != NULL) {
            det_uuid2(call_id, "call_logs", business_id, ccid);
            json_object_set_new(item, "call_id", json_string(call_id));
        } else {
            json_object_set_new(item, "call_id", json_null());
        }
        json_object_del(item, "call_control_id");
    }
}
