/* lib/booking/booking_cancel_event.c: see booking_cancel_event.h. */
#include "booking/booking_cancel_event.h"

#include <msgpack.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/det_uuid.h"
#include "core/mp_buf.h"
#include "core/mp_check.h"
#include "store/tenant_keys.h"

#define BODY_VERSION 1

void booking_cancel_event_id(char out[37], const char *booking_id)
{
    const char *parts[] = {booking_id};
    det_uuid(out, BOOKING_CANCEL_EVENT_TYPE, 1, parts);
}

void booking_cancel_event_call(char out[BOOKING_CANCEL_CALL_MAX], const char *booking_id)
{
    snprintf(out, BOOKING_CANCEL_CALL_MAX, "%s%s", BOOKING_CANCEL_CALL_PREFIX, booking_id);
}

static void pack_str(msgpack_packer *pk, const char *key, const char *value)
{
    msgpack_pack_str_with_body(pk, key, strlen(key));
    msgpack_pack_str_with_body(pk, value, strlen(value));
}

static void pack_int(msgpack_packer *pk, const char *key, int64_t value)
{
    msgpack_pack_str_with_body(pk, key, strlen(key));
    msgpack_pack_int64(pk, value);
}

size_t booking_cancel_event_pack(const struct booking_cancel_event *e, const char *at,
                                 char *out, size_t size)
{
    char eid[37];
    struct mp_buf buf;
    msgpack_packer pk;
    booking_cancel_event_id(eid, e->booking_id);
    mp_buf_init(&buf, 512);
    msgpack_packer_init(&pk, &buf, mp_buf_write);
    msgpack_pack_map(&pk, 10);
    pack_int(&pk, "v", BODY_VERSION);
    pack_str(&pk, "type", BOOKING_CANCEL_EVENT_TYPE);
    pack_str(&pk, "eid", eid);
    pack_str(&pk, "at", at);
    pack_str(&pk, "booking_id", e->booking_id);
    pack_str(&pk, "service", e->service);
    pack_int(&pk, "start_ms", e->start_ms);
    pack_int(&pk, "end_ms", e->end_ms);
    pack_str(&pk, "from", e->caller);
    pack_str(&pk, "to", e->business_number);
    size_t len = buf.len <= size ? buf.len : 0;
    if (len > 0)
        memcpy(out, buf.data, len);
    mp_buf_cleanup(&buf);
    return len;
}

static bool key_is(const msgpack_object *k, const char *name)
{
    size_t n = strlen(name);
    return k->type == MSGPACK_OBJECT_STR && k->via.str.size == n &&
           memcmp(k->via.str.ptr, name, n) == 0;
}

/* False for a string holding U+0000, which C text would cut short. */
static bool copy_str(char *dst, size_t size, const msgpack_object *v)
{
    if (v->type != MSGPACK_OBJECT_STR)
        return true;
    if (memchr(v->via.str.ptr, '\0', v->via.str.size) != NULL)
        return false;
    size_t n = v->via.str.size < size - 1 ? v->via.str.size : size - 1;
    memcpy(dst, v->via.str.ptr, n);
    dst[n] = '\0';
    return true;
}

static void copy_int(int64_t *dst, const msgpack_object *v)
{
    if (v->type == MSGPACK_OBJECT_POSITIVE_INTEGER && v->via.u64 <= INT64_MAX)
        *dst = (int64_t)v->via.u64;
    else if (v->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
        *dst = v->via.i64;
}

/* What a body is read into: the fields that are checked before they are kept. */
struct reading {
    char type[64];
    char booking_id[64];
    bool has_nul;                       /* a string held U+0000 */
    struct booking_cancel_event *out;
};

static void take_field(struct reading *r, const msgpack_object *k, const msgpack_object *v)
{
    struct booking_cancel_event *out = r->out;
    bool is_text = true;
    if (key_is(k, "type"))
        is_text = copy_str(r->type, sizeof r->type, v);
    else if (key_is(k, "booking_id"))
        is_text = copy_str(r->booking_id, sizeof r->booking_id, v);
    else if (key_is(k, "service"))
        is_text = copy_str(out->service, sizeof out->service, v);
    else if (key_is(k, "from"))
        is_text = copy_str(out->caller, sizeof out->caller, v);
    else if (key_is(k, "to"))
        is_text = copy_str(out->business_number, sizeof out->business_number, v);
    else if (key_is(k, "start_ms"))
        copy_int(&out->start_ms, v);
    else if (key_is(k, "end_ms"))
        copy_int(&out->end_ms, v);
    r->has_nul |= !is_text;
}

/* NULL when what was read is a cancellation (its booking id then canonical in out). */
static const char *check(struct reading *r)
{
    if (strcmp(r->type, BOOKING_CANCEL_EVENT_TYPE) != 0)
        return "event body is not a booking cancellation";
    if (r->has_nul)
        return "booking cancellation with U+0000 in its text";
    if (!uuid_canonical(r->booking_id, strlen(r->booking_id), r->out->booking_id))
        return "booking cancellation without a booking id";
    if (r->out->service[0] == '\0' || r->out->end_ms <= r->out->start_ms)
        return "booking cancellation without its service or times";
    return NULL;
}

enum app_err booking_cancel_event_decode(const char *body, size_t len,
                                         struct booking_cancel_event *out, const char **why)
{
    struct reading r = {.type = "", .booking_id = "", .has_nul = false, .out = out};
    msgpack_unpacked msg;
    size_t off = 0;
    memset(out, 0, sizeof *out);
    msgpack_unpacked_init(&msg);
    if (len > BOOKING_CANCEL_BODY_MAX || !mp_sizes_fit(body, len) ||
        msgpack_unpack_next(&msg, body, len, &off) != MSGPACK_UNPACK_SUCCESS ||
        msg.data.type != MSGPACK_OBJECT_MAP) {
        *why = "event body is not a MessagePack map";
    } else {
        const msgpack_object_map *map = &msg.data.via.map;
        for (uint32_t i = 0; i < map->size; i++)
            take_field(&r, &map->ptr[i].key, &map->ptr[i].val);
        *why = check(&r);
    }
    msgpack_unpacked_destroy(&msg);
    return *why == NULL ? APP_OK : APP_EINVAL;
}
