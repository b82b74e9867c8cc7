/* lib/billing/stripe_webhook_event.c: see stripe_webhook_event.h. One jansson parse per
 * webhook (a few KiB); the fields are copied out and the tree freed before returning. */
#include "billing/stripe_webhook_event.h"

#include <jansson.h>
#include <msgpack.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/mp_buf.h"

static bool is_id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_';
}

static bool is_type_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_';
}

/* Copies a Stripe id "<prefix><1..250 of [A-Za-z0-9_]>" into out (max + 1 bytes). */
static bool copy_stripe_id(const json_t *value, const char *prefix, char *out, size_t max)
{
    const char *s = json_string_value(value);
    size_t len = s != NULL ? json_string_length(value) : 0;
    size_t plen = strlen(prefix);
    if (s == NULL || len <= plen || len > max || strncmp(s, prefix, plen) != 0)
        return false;
    for (size_t i = plen; i < len; i++)
        if (!is_id_char(s[i]))
            return false;
    memcpy(out, s, len + 1);
    return true;
}

static bool copy_business_id(const json_t *value, char out[FD_UUID_LEN + 1])
{
    const char *s = json_string_value(value);
    return s != NULL && uuid_canonical(s, json_string_length(value), out);
}

static const char *take_type(const json_t *root, struct stripe_webhook_event *out)
{
    const json_t *type = json_object_get(root, "type");
    const char *s = json_string_value(type);
    if (s == NULL)
        return "type is missing or not a string";
    size_t len = json_string_length(type);
    if (len == 0 || len > STRIPE_EVENT_TYPE_MAX)
        return "type is empty or too long";
    for (size_t i = 0; i < len; i++)
        if (!is_type_char(s[i]))
            return "type has characters other than [a-z0-9._]";
    memcpy(out->type, s, len + 1);
    snprintf(out->stream_type, sizeof out->stream_type, "%s%s", STRIPE_STREAM_TYPE_PREFIX, s);
    return NULL;
}

static const char *take_created(const json_t *root, struct stripe_webhook_event *out)
{
    const json_t *created = json_object_get(root, "created");
    if (!json_is_integer(created) || json_integer_value(created) < 0 ||
        json_integer_value(created) > 253402300799LL)    /* 9999-12-31T23:59:59Z */
        return "created is missing or not Unix seconds";
    out->created = json_integer_value(created);
    time_t t = (time_t)out->created;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out->at, sizeof out->at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return NULL;
}

/* The customer the object belongs to: its `customer` (an id, or an expanded object), or
 * the object itself when it is a customer. */
static void take_customer(const json_t *object, struct stripe_webhook_event *out)
{
    const json_t *customer = json_object_get(object, "customer");
    if (json_is_object(customer))
        customer = json_object_get(customer, "id");
    const char *kind = json_string_value(json_object_get(object, "object"));
    if (customer == NULL && kind != NULL && strcmp(kind, "customer") == 0)
        customer = json_object_get(object, "id");
    if (!copy_stripe_id(customer, "cus_", out->customer, STRIPE_CUSTOMER_ID_MAX))
        out->customer[0] = '\0';
}

enum app_err stripe_webhook_event_parse(const char *json, size_t len,
                                        struct stripe_webhook_event *out, const char **why)
{
    memset(out, 0, sizeof *out);
    *why = NULL;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);   /* new reference */
    if (!json_is_object(root)) {
        *why = "body is not a JSON object";
        goto out_decref;
    }
    if (!copy_stripe_id(json_object_get(root, "id"), "evt_", out->id, STRIPE_EVENT_ID_MAX)) {
        *why = "id is not a Stripe event id (evt_...)";
        goto out_decref;
    }
    snprintf(out->eid, sizeof out->eid, "%s%s", STRIPE_STREAM_EID_PREFIX, out->id);
    if ((*why = take_type(root, out)) != NULL || (*why = take_created(root, out)) != NULL)
        goto out_decref;
    const json_t *object = json_object_get(json_object_get(root, "data"), "object");
    if (!json_is_object(object)) {
        *why = "data.object is missing or not an object";
        goto out_decref;
    }
    if (copy_business_id(json_object_get(json_object_get(object, "metadata"), "business_id"),
                         out->business_id))
        out->business_source = STRIPE_BUSINESS_METADATA;
    else if (copy_business_id(json_object_get(object, "client_reference_id"), out->business_id))
        out->business_source = STRIPE_BUSINESS_CLIENT_REFERENCE;
    else
        out->business_id[0] = '\0';
    take_customer(object, out);
out_decref:
    json_decref(root);
    return *why == NULL ? APP_OK : APP_EINVAL;
}

void stripe_webhook_event_pack_body(const char *json, size_t len, struct mp_buf *out)
{
    msgpack_packer pk;
    msgpack_packer_init(&pk, out, mp_buf_write);
    msgpack_pack_map(&pk, 1);
    msgpack_pack_str(&pk, sizeof STRIPE_STREAM_BODY_EVENT - 1);
    msgpack_pack_str_body(&pk, STRIPE_STREAM_BODY_EVENT, sizeof STRIPE_STREAM_BODY_EVENT - 1);
    msgpack_pack_str(&pk, len);
    msgpack_pack_str_body(&pk, json, len);
}
