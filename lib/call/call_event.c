/* lib/call/call_event.c: see call_event.h. Walks the top-level map once; values of other
 * types than the field expects are skipped, as the spec marks almost nothing required. */
#include "call/call_event.h"

#include <string.h>

#include "core/mp_map.h"

#define FIELD(name) {#name, offsetof(struct call_event, name), sizeof(((struct call_event *)0)->name)}
static const struct mp_str_field str_fields[] = {
    FIELD(type), FIELD(eid), FIELD(at), FIELD(call_control_id), FIELD(call_session_id),
    FIELD(from), FIELD(to), FIELD(direction), FIELD(hangup_cause), FIELD(hangup_source),
    FIELD(status), FIELD(transcript), FIELD(client_state),
};
#undef FIELD

static void take_field(void *arg, const msgpack_object *k, const msgpack_object *v)
{
    struct call_event *out = arg;
    if (mp_key_is(k, "is_final")) {
        if (v->type == MSGPACK_OBJECT_BOOLEAN)
            out->is_final = v->via.boolean;
        return;
    }
    mp_take_str_field(out, str_fields, sizeof str_fields / sizeof str_fields[0], k, v);
}

enum app_err call_event_decode(const char *body, size_t len, struct call_event *out,
                               const char **why)
{
    memset(out, 0, sizeof *out);
    if (mp_map_each(body, len, out, take_field, why) != APP_OK)
        return APP_EINVAL;
    if (out->type[0] == '\0') {
        *why = "event body has no type";
        return APP_EINVAL;
    }
    return APP_OK;
}
