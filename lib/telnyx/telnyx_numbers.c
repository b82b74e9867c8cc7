/* lib/telnyx/telnyx_numbers.c: see telnyx_numbers.h. Bodies are built and read with
 * jansson, which escapes every string and refuses bad UTF-8. */
#include "telnyx/telnyx_numbers.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/xalloc.h"

/* North American Numbering Plan area codes: the first digit is 2 to 9. */
static bool is_area_code(const char *s)
{
    return strlen(s) == 3 && s[0] >= '2' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' &&
           s[2] >= '0' && s[2] <= '9';
}

char *telnyx_numbers_search_query(const struct telnyx_number_search *q)
{
    if (q->limit < 1 || q->limit > TELNYX_SEARCH_LIMIT_MAX)
        return NULL;
    if (q->area_code != NULL && !is_area_code(q->area_code))
        return NULL;
    char area[64] = "";
    if (q->area_code != NULL)
        snprintf(area, sizeof area, "&filter[national_destination_code]=%s", q->area_code);
    return xasprintf("filter[country_code]=US%s&filter[phone_number_type]=local"
                     "&filter[features][]=voice&filter[features][]=sms&filter[limit]=%d",
                     area, q->limit);
}

static bool is_given(const char *s)
{
    return s != NULL && s[0] != '\0';
}

char *telnyx_numbers_order_body(const struct telnyx_number_order_spec *o, const char **why)
{
    if (!is_given(o->phone_number) || !e164_is_valid(o->phone_number, strlen(o->phone_number))) {
        *why = "an order needs an E.164 phone number";
        return NULL;
    }
    if (!is_given(o->customer_reference)) {
        *why = "an order needs a customer_reference";
        return NULL;
    }
    json_t *number = json_object();
    json_object_set_new(number, "phone_number", json_string(o->phone_number));
    json_t *numbers = json_array();
    json_array_append_new(numbers, number);
    json_t *body = json_object();
    json_object_set_new(body, "phone_numbers", numbers);
    bool is_utf8 = json_object_set_new(body, "customer_reference",
                                       json_string(o->customer_reference)) == 0;
    if (is_given(o->connection_id))
        is_utf8 = is_utf8 && json_object_set_new(body, "connection_id",
                                                 json_string(o->connection_id)) == 0;
    if (is_given(o->messaging_profile_id))
        is_utf8 = is_utf8 && json_object_set_new(body, "messaging_profile_id",
                                                 json_string(o->messaging_profile_id)) == 0;
    char *text = is_utf8 ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (text == NULL)
        *why = "an order's ids must be UTF-8 text";
    return text;
}

/* True when features (an array of {"name"}) lists both voice and sms, or is absent. */
static bool offers_voice_and_sms(const json_t *features)
{
    if (features == NULL)
        return true;
    bool has_voice = false, has_sms = false;
    size_t i;
    json_t *f;
    json_array_foreach(features, i, f) {
        const char *name = json_string_value(json_object_get(f, "name"));
        has_voice = has_voice || (name != NULL && strcmp(name, "voice") == 0);
        has_sms = has_sms || (name != NULL && strcmp(name, "sms") == 0);
    }
    return has_voice && has_sms;
}

int telnyx_numbers_read_search(const char *body, size_t len, char found[][TELNYX_NUMBER_MAX],
                               int max)
{
    json_t *root = json_loadb(body, len, 0, NULL);
    json_t *data = json_object_get(root, "data");
    if (!json_is_array(data)) {
        json_decref(root);
        return -1;
    }
    int n = 0;
    size_t i;
    json_t *item;
    json_array_foreach(data, i, item) {
        const char *number = json_string_value(json_object_get(item, "phone_number"));
        if (n == max)
            break;
        if (number == NULL || !e164_is_valid(number, strlen(number)) ||
            !offers_voice_and_sms(json_object_get(item, "features")))
            continue;
        snprintf(found[n++], TELNYX_NUMBER_MAX, "%s", number);
    }
    json_decref(root);
    return n;
}

static bool order_status_of(const char *text, enum telnyx_order_status *out)
{
    static const char *const names[] = {"pending", "success", "failure"};
    for (int i = 0; text != NULL && i < 3; i++)
        if (strcmp(text, names[i]) == 0) {
            *out = (enum telnyx_order_status)i;
            return true;
        }
    return false;
}

bool telnyx_numbers_read_order(const char *body, size_t len, struct telnyx_number_order *out)
{
    memset(out, 0, sizeof *out);
    json_t *root = json_loadb(body, len, 0, NULL);
    json_t *data = json_object_get(root, "data");
    const char *id = json_string_value(json_object_get(data, "id"));
    bool is_order = id != NULL && id[0] != '\0' && strlen(id) <= TELNYX_ORDER_ID_MAX &&
                    order_status_of(json_string_value(json_object_get(data, "status")),
                                    &out->status);
    if (is_order) {
        snprintf(out->id, sizeof out->id, "%s", id);
        json_t *first = json_array_get(json_object_get(data, "phone_numbers"), 0);
        const char *number = json_string_value(json_object_get(first, "phone_number"));
        if (number != NULL && e164_is_valid(number, strlen(number)))
            snprintf(out->phone_number, sizeof out->phone_number, "%s", number);
    }
    json_decref(root);
    return is_order;
}
