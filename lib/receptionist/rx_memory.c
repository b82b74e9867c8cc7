/* lib/receptionist/rx_memory.c: the call's rx_memory: set up, its booking slots cleared, the
 * services and the reply it notes; and to MessagePack and back, so the worker can keep
 * it with the call's state in Redis. A map of short keys; unknown keys are skipped (a
 * newer worker may add some), a missing key keeps its initial value, and anything out
 * of range rejects the whole memory (the bytes come from Redis, but a memory must
 * never make a turn read outside its arrays). */
#include <msgpack.h>
#include <string.h>

#include "core/mp_buf.h"
#include "core/mp_check.h"
#include "receptionist/rx_internal.h"
#include "calendar/spoken_time.h"

#define RX_MEMORY_PACKED_MAX 8192       /* a packed memory is under 2 KiB */

void rx_memory_clear_booking(struct rx_memory *mem)
{
    mem->service_index = -1;
    memset(&mem->day, 0, sizeof mem->day);
    mem->minute = -1;
    mem->alt_minute = -1;
    mem->part = SPOKEN_PART_NONE;
    mem->is_time_checked = false;
    mem->is_awaiting_confirmation = false;
    mem->is_moving = false;
    mem->is_same_time = false;
    memset(&mem->refused_day, 0, sizeof mem->refused_day);
    mem->refused_minute = -1;
    for (int i = 0; i < RX_FREE_MAX; i++)
        mem->offered[i] = -1;
}

void rx_memory_init(struct rx_memory *mem)
{
    memset(mem, 0, sizeof *mem);
    rx_memory_clear_booking(mem);
    for (int i = 0; i < 8; i++)
        mem->services_asked[i] = -1;
}

/* Keeps at most size - 1 bytes of words, cut at a UTF-8 character boundary. */
static void keep_words(char *dst, size_t size, const char *words)
{
    size_t n = strlen(words);
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)words[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, words, n);
    dst[n] = '\0';
}

void rx_note_service(struct rx_memory *mem, int index, const char *words)
{
    for (int i = 0; i < mem->nservices_asked; i++) {
        if (mem->services_asked[i] == index) {
            if (mem->asked_words[i][0] == '\0' && words != NULL)
                keep_words(mem->asked_words[i], RX_WORDS_MAX, words);
            return;
        }
    }
    if (mem->nservices_asked < 8) {
        keep_words(mem->asked_words[mem->nservices_asked], RX_WORDS_MAX, words != NULL ? words : "");
        mem->services_asked[mem->nservices_asked++] = index;
    }
}

void rx_note_service_answered(struct rx_memory *mem, int index)
{
    for (int i = 0; i + 1 < mem->nservices_asked; i++) {
        if (mem->services_asked[i] != index)
            continue;
        char words[RX_WORDS_MAX];
        memcpy(words, mem->asked_words[i], sizeof words);
        for (int k = i; k + 1 < mem->nservices_asked; k++) {
            mem->services_asked[k] = mem->services_asked[k + 1];
            memcpy(mem->asked_words[k], mem->asked_words[k + 1], sizeof words);
        }
        mem->services_asked[mem->nservices_asked - 1] = index;
        memcpy(mem->asked_words[mem->nservices_asked - 1], words, sizeof words);
        return;
    }
}

void rx_memory_note_reply(struct rx_memory *mem, const char *reply)
{
    keep_words(mem->last_reply, sizeof mem->last_reply, reply);
}

static void pack_key(msgpack_packer *pk, const char *key)
{
    size_t n = strlen(key);
    msgpack_pack_str(pk, n);
    msgpack_pack_str_body(pk, key, n);
}

static void pack_int(msgpack_packer *pk, const char *key, long long v)
{
    pack_key(pk, key);
    msgpack_pack_long_long(pk, v);
}

static void pack_bool(msgpack_packer *pk, const char *key, bool v)
{
    pack_key(pk, key);
    if (v)
        msgpack_pack_true(pk);
    else
        msgpack_pack_false(pk);
}

static void pack_str(msgpack_packer *pk, const char *key, const char *v)
{
    size_t n = strlen(v);
    pack_key(pk, key);
    msgpack_pack_str(pk, n);
    msgpack_pack_str_body(pk, v, n);
}

static void pack_ints(msgpack_packer *pk, const char *key, const int *v, int n)
{
    pack_key(pk, key);
    msgpack_pack_array(pk, (size_t)n);
    for (int i = 0; i < n; i++)
        msgpack_pack_int(pk, v[i]);
}

void rx_memory_pack(const struct rx_memory *mem, char **out, size_t *len)
{
    struct mp_buf b;
    msgpack_packer pk;
    mp_buf_init(&b, 512);
    msgpack_packer_init(&pk, &b, mp_buf_write);
    msgpack_pack_map(&pk, 33);     /* the pack_ calls below, one a field */
    pack_int(&pk, "task", mem->task);
    pack_int(&pk, "svc", mem->service_index);
    pack_int(&pk, "day", mem->day.year * 10000LL + mem->day.month * 100 + mem->day.day);
    pack_int(&pk, "min", mem->minute);
    pack_str(&pk, "name", mem->caller_name);
    pack_bool(&pk, "conf", mem->is_awaiting_confirmation);
    pack_ints(&pk, "off", mem->offered, RX_FREE_MAX);
    pack_str(&pk, "mname", mem->message_name);
    pack_str(&pk, "cb", mem->callback_number);
    pack_bool(&pk, "cbok", mem->is_number_confirmed);
    pack_str(&pk, "msg", mem->message);
    pack_int(&pk, "mstep", mem->message_step);
    pack_int(&pk, "mis", mem->misunderstood);
    pack_int(&pk, "turns", mem->turns);
    pack_key(&pk, "recent");
    msgpack_pack_array(&pk, RX_RECENT_MAX);
    for (int i = 0; i < RX_RECENT_MAX; i++)
        msgpack_pack_unsigned_int(&pk, mem->recent_replies[i]);
    pack_int(&pk, "nrecent", mem->nrecent);
    pack_int(&pk, "var", mem->variant);
    pack_int(&pk, "seen", mem->intents_seen);
    pack_ints(&pk, "asked", mem->services_asked, mem->nservices_asked);
    pack_key(&pk, "words");
    msgpack_pack_array(&pk, (size_t)mem->nservices_asked);
    for (int i = 0; i < mem->nservices_asked; i++) {
        size_t n = strlen(mem->asked_words[i]);
        msgpack_pack_str(&pk, n);
        msgpack_pack_str_body(&pk, mem->asked_words[i], n);
    }
    pack_bool(&pk, "booked", mem->has_booked);
    pack_bool(&pk, "msgd", mem->has_left_message);
    pack_bool(&pk, "xfer", mem->was_transferred);
    pack_int(&pk, "pend", mem->pending);
    pack_int(&pk, "alt", mem->alt_minute);
    pack_int(&pk, "part", mem->part);
    pack_bool(&pk, "chk", mem->is_time_checked);
    pack_bool(&pk, "move", mem->is_moving);
    pack_bool(&pk, "same", mem->is_same_time);
    pack_int(&pk, "rday", mem->refused_day.year * 10000LL + mem->refused_day.month * 100 + mem->refused_day.day);
    pack_int(&pk, "rmin", mem->refused_minute);
    pack_str(&pk, "last", mem->last_reply);
    pack_int(&pk, "ver", 1);
    *out = b.data;
    *len = b.len;
}

static bool key_is(const msgpack_object *k, const char *name)
{
    size_t n = strlen(name);
    return k->type == MSGPACK_OBJECT_STR && k->via.str.size == n && memcmp(k->via.str.ptr, name, n) == 0;
}

static bool get_int(const msgpack_object *v, long long lo, long long hi, long long *out)
{
    if (v->type == MSGPACK_OBJECT_POSITIVE_INTEGER) {
        if (v->via.u64 > (uint64_t)hi || (hi >= 0 && (long long)v->via.u64 < lo))
            return false;
        *out = (long long)v->via.u64;
        return true;
    }
    if (v->type == MSGPACK_OBJECT_NEGATIVE_INTEGER) {
        if (v->via.i64 < lo || v->via.i64 > hi)
            return false;
        *out = v->via.i64;
        return true;
    }
    return false;
}

static bool get_bool(const msgpack_object *v, bool *out)
{
    if (v->type != MSGPACK_OBJECT_BOOLEAN)
        return false;
    *out = v->via.boolean;
    return true;
}

static bool get_str(const msgpack_object *v, char *buf, size_t size)
{
    if (v->type != MSGPACK_OBJECT_STR || v->via.str.size >= size ||
        memchr(v->via.str.ptr, '\0', v->via.str.size) != NULL)
        return false;
    memcpy(buf, v->via.str.ptr, v->via.str.size);
    buf[v->via.str.size] = '\0';
    return true;
}

static bool get_ints(const msgpack_object *v, int *out, int max, int lo, int hi, int *n)
{
    if (v->type != MSGPACK_OBJECT_ARRAY || v->via.array.size > (uint32_t)max)
        return false;
    for (uint32_t i = 0; i < v->via.array.size; i++) {
        long long x;
        if (!get_int(&v->via.array.ptr[i], lo, hi, &x))
            return false;
        out[i] = (int)x;
    }
    *n = (int)v->via.array.size;
    return true;
}

static bool get_day(const msgpack_object *v, struct civil_date *d)
{
    long long x;
    if (!get_int(v, 0, 99991231, &x))
        return false;
    if (x == 0) {
        memset(d, 0, sizeof *d);
        return true;
    }
    struct civil_date c = {(int)(x / 10000), (int)(x / 100 % 100), (int)(x % 100)};
    if (!civil_date_is_valid(&c))
        return false;
    *d = c;
    return true;
}

/* One key of the map; false if its value is not acceptable. */
static bool decode_field(const msgpack_object *k, const msgpack_object *v, struct rx_memory *m)
{
    long long x = 0;
    int n = 0;
    bool is_ok = true;
    if (key_is(k, "task")) {
        is_ok = get_int(v, RX_TASK_NONE, RX_TASK_CANCEL, &x);
        m->task = (enum rx_task)x;
    } else if (key_is(k, "svc")) {
        is_ok = get_int(v, -1, AGENT_SERVICES_MAX - 1, &x);
        m->service_index = (int)x;
    } else if (key_is(k, "day")) {
        is_ok = get_day(v, &m->day);
    } else if (key_is(k, "min")) {
        is_ok = get_int(v, -1, 1439, &x);
        m->minute = (int)x;
    } else if (key_is(k, "rday")) {
        is_ok = get_day(v, &m->refused_day);
    } else if (key_is(k, "rmin")) {
        is_ok = get_int(v, -1, 1439, &x);
        m->refused_minute = (int)x;
    } else if (key_is(k, "alt")) {
        is_ok = get_int(v, -1, 1439, &x);
        m->alt_minute = (int)x;
    } else if (key_is(k, "name")) {
        is_ok = get_str(v, m->caller_name, sizeof m->caller_name);
    } else if (key_is(k, "mname")) {
        is_ok = get_str(v, m->message_name, sizeof m->message_name);
    } else if (key_is(k, "cb")) {
        is_ok = get_str(v, m->callback_number, sizeof m->callback_number);
    } else if (key_is(k, "last")) {
        is_ok = get_str(v, m->last_reply, sizeof m->last_reply);
    } else if (key_is(k, "msg")) {
        is_ok = get_str(v, m->message, sizeof m->message);
    } else if (key_is(k, "conf")) {
        is_ok = get_bool(v, &m->is_awaiting_confirmation);
    } else if (key_is(k, "cbok")) {
        is_ok = get_bool(v, &m->is_number_confirmed);
    } else if (key_is(k, "booked")) {
        is_ok = get_bool(v, &m->has_booked);
    } else if (key_is(k, "msgd")) {
        is_ok = get_bool(v, &m->has_left_message);
    } else if (key_is(k, "xfer")) {
        is_ok = get_bool(v, &m->was_transferred);
    } else if (key_is(k, "chk")) {
        is_ok = get_bool(v, &m->is_time_checked);
    } else if (key_is(k, "move")) {
        is_ok = get_bool(v, &m->is_moving);
    } else if (key_is(k, "same")) {
        is_ok = get_bool(v, &m->is_same_time);
    } else if (key_is(k, "off")) {
        int off[RX_FREE_MAX];
        is_ok = get_ints(v, off, RX_FREE_MAX, -1, 1439, &n);
        for (int i = 0; is_ok && i < RX_FREE_MAX; i++)
            m->offered[i] = i < n ? off[i] : -1;
    } else if (key_is(k, "asked")) {
        is_ok = get_ints(v, m->services_asked, 8, 0, AGENT_SERVICES_MAX - 1, &n);
        m->nservices_asked = is_ok ? n : 0;
    } else if (key_is(k, "words")) {
        if (v->type != MSGPACK_OBJECT_ARRAY || v->via.array.size > 8)
            return false;
        for (uint32_t i = 0; i < v->via.array.size && is_ok; i++)
            is_ok = get_str(&v->via.array.ptr[i], m->asked_words[i], RX_WORDS_MAX);
    } else if (key_is(k, "recent")) {
        if (v->type != MSGPACK_OBJECT_ARRAY || v->via.array.size > RX_RECENT_MAX)
            return false;
        for (uint32_t i = 0; i < v->via.array.size && is_ok; i++) {
            is_ok = get_int(&v->via.array.ptr[i], 0, UINT32_MAX, &x);
            m->recent_replies[i] = (unsigned)x;
        }
    } else if (key_is(k, "mstep") || key_is(k, "mis") || key_is(k, "turns") ||
               key_is(k, "nrecent") || key_is(k, "pend") || key_is(k, "part")) {
        long long hi = key_is(k, "pend") ? RX_ASK_COUNT - 1 : key_is(k, "part") ? 9
                     : key_is(k, "nrecent") ? 2 * RX_RECENT_MAX : 1000000;
        is_ok = get_int(v, 0, hi, &x);
        if (key_is(k, "mstep"))
            m->message_step = (int)x;
        else if (key_is(k, "mis"))
            m->misunderstood = (int)x;
        else if (key_is(k, "turns"))
            m->turns = (int)x;
        else if (key_is(k, "nrecent"))
            m->nrecent = (int)x;
        else if (key_is(k, "pend"))
            m->pending = (enum rx_ask)x;
        else if (x <= SPOKEN_PART_NIGHT || x == 9)   /* a part of the day, or "any time" */
            m->part = (int)x;
        else
            is_ok = false;
    } else if (key_is(k, "var") || key_is(k, "seen")) {
        is_ok = get_int(v, 0, UINT32_MAX, &x);
        if (key_is(k, "var"))
            m->variant = (unsigned)x;
        else
            m->intents_seen = (unsigned)x;
    }
    return is_ok;
}

enum app_err rx_memory_unpack(const char *data, size_t len, struct rx_memory *mem)
{
    enum app_err err = APP_EINVAL;
    msgpack_unpacked up;
    size_t off = 0;
    rx_memory_init(mem);
    if (data == NULL || len == 0 || len > RX_MEMORY_PACKED_MAX ||
        !mp_sizes_fit(data, len))
        return APP_EINVAL;
    msgpack_unpacked_init(&up);
    if (msgpack_unpack_next(&up, data, len, &off) != MSGPACK_UNPACK_SUCCESS || off != len ||
        up.data.type != MSGPACK_OBJECT_MAP)
        goto out_destroy;
    for (uint32_t i = 0; i < up.data.via.map.size; i++)
        if (!decode_field(&up.data.via.map.ptr[i].key, &up.data.via.map.ptr[i].val, mem))
            goto out_destroy;
    err = APP_OK;
out_destroy:
    msgpack_unpacked_destroy(&up);
    if (err != APP_OK)
        rx_memory_init(mem);
    return err;
}
