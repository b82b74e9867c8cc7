/* lib/numbers/number_order.c: see number_order.h. One function per step decides what its
 * outcome leads to; number_order_advance dispatches. Failures an owner can act on (no
 * number in the area code, an order Telnyx failed) end the request; the rest (outages,
 * refusals that are a configuration problem) wait and are tried again, so an operator
 * who fixes the cause sees the requests go through. */
#include "numbers/number_order.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define REFERENCE_PREFIX "frontdesk-request-"

static const char *const step_names[] = {
    "search", "choose", "count", "place", "keep_order", "follow", "store", "route",
    "activate", "forget", "wait", "fail", "end",
};

const char *number_step_name(enum number_step step)
{
    return (unsigned)step <= NUMBER_END ? step_names[step] : "unknown";
}

long long number_retry_delay_ms(int attempts, double jitter)
{
    long long delay = NUMBER_RETRY_BASE_MS;
    for (int i = 1; i < attempts && delay < NUMBER_RETRY_MAX_MS; i++)
        delay *= 2;
    if (delay > NUMBER_RETRY_MAX_MS)
        delay = NUMBER_RETRY_MAX_MS;
    if (jitter < 0 || jitter >= 1)
        jitter = 0.5;
    return delay / 2 + (long long)((double)delay * jitter);
}

int number_order_pick(int n, double random)
{
    if (n <= 0)
        return 0;
    int i = (int)(random * n);
    return i < 0 ? 0 : i >= n ? n - 1 : i;
}

void number_order_reference(const struct number_order *o, char out[NUMBER_REFERENCE_MAX])
{
    snprintf(out, NUMBER_REFERENCE_MAX, REFERENCE_PREFIX "%s", o->request_id);
}

/* Formats into dst, cut to size at a character boundary: the texts go to PostgreSQL, which
 * refuses a UTF-8 sequence cut in half (here, or by whoever cut a detail short before). */
__attribute__((format(printf, 3, 4)))
static void set_text(char *dst, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(dst, size, fmt, ap);
    va_end(ap);
    if (n < 0) {
        dst[0] = '\0';
        return;
    }
    size_t len = strlen(dst);
    size_t start = len;     /* the last character's first byte */
    while (start > 0 && ((unsigned char)dst[start - 1] & 0xC0) == 0x80)
        start--;
    if (start > 0 && ((unsigned char)dst[start - 1] & 0x80) != 0) {
        unsigned char lead = (unsigned char)dst[start - 1];
        size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (len - (start - 1) < want)
            dst[start - 1] = '\0';
    }
}

static void copy(char *dst, size_t size, const char *src)
{
    set_text(dst, size, "%s", src != NULL ? src : "");
}

bool number_order_from_row(struct number_order *o, const char *request_id,
                           const char *business_id, const char *status, const char *area_code,
                           const char *phone_number, const char *order_id, int order_attempts,
                           int attempts)
{
    memset(o, 0, sizeof *o);
    if (strlen(request_id) != 36 || strlen(business_id) != 36 ||
        (area_code != NULL && strlen(area_code) != 3) ||
        (phone_number != NULL && !e164_is_valid(phone_number, strlen(phone_number))) ||
        (order_id != NULL && strlen(order_id) >= sizeof o->order_id))
        return false;
    copy(o->request_id, sizeof o->request_id, request_id);
    copy(o->business_id, sizeof o->business_id, business_id);
    copy(o->area_code, sizeof o->area_code, area_code);
    copy(o->phone_number, sizeof o->phone_number, phone_number);
    copy(o->order_id, sizeof o->order_id, order_id);
    o->order_attempts = order_attempts;
    o->attempts = attempts;
    if (strcmp(status, "pending") == 0)
        o->step = NUMBER_SEARCH;
    else if (strcmp(status, "ordering") == 0 && o->phone_number[0] != '\0')
        o->step = o->order_id[0] != '\0' ? NUMBER_FOLLOW : NUMBER_COUNT;
    else if (strcmp(status, "active") == 0 || strcmp(status, "failed") == 0)
        o->step = NUMBER_END;
    else
        return false;
    o->end = NUMBER_ENDED_LATER;
    return true;
}

/* ---- where each outcome leads ---- */

static enum number_step wait_after(struct number_order *o, const struct number_result *r,
                                   const char *what)
{
    o->attempts++;
    o->wait_ms = number_retry_delay_ms(o->attempts, r->jitter);
    if (r->outcome == NUMBER_PENDING)
        o->last_error[0] = '\0';
    else
        set_text(o->last_error, sizeof o->last_error, "%s: %s", what,
                 r->detail != NULL ? r->detail : "failed");
    return NUMBER_WAIT;
}

static enum number_step fail_with(struct number_order *o, const struct number_result *r,
                                  const char *reason)
{
    copy(o->failure_reason, sizeof o->failure_reason, reason);
    copy(o->last_error, sizeof o->last_error, r->detail);
    return NUMBER_FAIL;
}

static enum number_step after_search(struct number_order *o, const struct number_result *r)
{
    char reason[NUMBER_REASON_MAX + 1];
    switch (r->outcome) {
    case NUMBER_OK:
        if (r->value == NULL || !e164_is_valid(r->value, strlen(r->value)))
            return wait_after(o, r, "search");
        copy(o->phone_number, sizeof o->phone_number, r->value);
        o->order_attempts = 0;
        return NUMBER_CHOOSE;
    case NUMBER_NONE_FOUND:
        if (o->area_code[0] != '\0')
            set_text(reason, sizeof reason, "No phone numbers with calling and texting are "
                     "available in area code %s right now. Request a number in a nearby area "
                     "code, or with no area code.", o->area_code);
        else
            set_text(reason, sizeof reason, "No phone numbers with calling and texting are "
                     "available right now. Please request a number again later.");
        return fail_with(o, r, reason);
    default:
        return wait_after(o, r, "search");
    }
}

static enum number_step after_place(struct number_order *o, const struct number_result *r)
{
    char reason[NUMBER_REASON_MAX + 1];
    if (r->outcome == NUMBER_OK && r->value != NULL && r->value[0] != '\0' &&
        strlen(r->value) < sizeof o->order_id) {
        copy(o->order_id, sizeof o->order_id, r->value);
        o->keep_tries = 0;
        return NUMBER_KEEP_ORDER;
    }
    if (r->outcome != NUMBER_REFUSED)
        return wait_after(o, r, "order");
    if (o->order_attempts <= 1) {   /* refused outright: the number went to someone else */
        wait_after(o, r, "order refused");
        return NUMBER_FORGET;
    }
    set_text(reason, sizeof reason, "The order of %s could not be confirmed with the phone "
             "carrier. Our team will check it and finish it; there is nothing to do on your "
             "side.", o->phone_number);
    char detail[NUMBER_ERROR_MAX + 1], ref[NUMBER_REFERENCE_MAX];
    number_order_reference(o, ref);
    set_text(detail, sizeof detail, "%d orders of %s were sent and an earlier one's answer "
             "was lost; Telnyx refused the last (%s). Look for a number order with "
             "customer_reference %s: if it took the number, add it with 'frontdesk-ctl numbers "
             "add'", o->order_attempts, o->phone_number, r->detail != NULL ? r->detail : "refused",
             ref);
    struct number_result with_detail = *r;
    with_detail.detail = detail;
    return fail_with(o, &with_detail, reason);
}

static enum number_step after_keep_order(struct number_order *o, const struct number_result *r)
{
    if (r->outcome == NUMBER_OK) {
        o->attempts = 0;
        return NUMBER_FOLLOW;
    }
    if (r->outcome == NUMBER_LOST) {
        o->end = NUMBER_ENDED_LOST;
        return NUMBER_END;
    }
    if (++o->keep_tries < NUMBER_KEEP_TRIES) {
        o->delay_ms = 250LL << (o->keep_tries - 1);
        return NUMBER_KEEP_ORDER;
    }
    return wait_after(o, r, "recording the order id");
}

static enum number_step after_follow(struct number_order *o, const struct number_result *r)
{
    char reason[NUMBER_REASON_MAX + 1];
    switch (r->outcome) {
    case NUMBER_OK:
        return NUMBER_STORE;
    case NUMBER_ORDER_FAILED:
        set_text(reason, sizeof reason, "The phone carrier could not complete the order of %s. "
                 "Please request another number.", o->phone_number);
        return fail_with(o, r, reason);
    default:
        return wait_after(o, r, "order status");
    }
}

static enum number_step after_store(struct number_order *o, const struct number_result *r)
{
    char reason[NUMBER_REASON_MAX + 1];
    if (r->outcome == NUMBER_OK)
        return NUMBER_ROUTE;
    if (r->outcome != NUMBER_TAKEN)
        return wait_after(o, r, "storing the number");
    set_text(reason, sizeof reason, "%s already belongs to another business. Please request "
             "another number.", o->phone_number);
    return fail_with(o, r, reason);
}

/* A write that moves the request on: OK goes to next, LOST ends the claim. */
static enum number_step after_write(struct number_order *o, const struct number_result *r,
                                    enum number_step next, const char *what)
{
    if (r->outcome == NUMBER_OK)
        return next;
    if (r->outcome == NUMBER_LOST) {
        o->end = NUMBER_ENDED_LOST;
        return NUMBER_END;
    }
    return wait_after(o, r, what);
}

/* WAIT, FORGET and FAIL end the claim whether or not their write went through: the
 * row's lease runs out and the request is claimed again from what the row says. */
static enum number_step after_last_write(struct number_order *o, const struct number_result *r)
{
    bool is_failed = o->step == NUMBER_FAIL && r->outcome == NUMBER_OK;
    o->end = r->outcome == NUMBER_LOST ? NUMBER_ENDED_LOST
             : is_failed               ? NUMBER_ENDED_FAILED
                                       : NUMBER_ENDED_LATER;
    return NUMBER_END;
}

enum number_step number_order_advance(struct number_order *o, const struct number_result *r)
{
    enum number_step next;
    o->delay_ms = 0;
    switch (o->step) {
    case NUMBER_SEARCH:
        next = after_search(o, r);
        break;
    case NUMBER_CHOOSE:
        next = after_write(o, r, NUMBER_COUNT, "recording the number");
        break;
    case NUMBER_COUNT:
        if (r->outcome == NUMBER_OK)
            o->order_attempts++;
        next = after_write(o, r, NUMBER_PLACE, "counting the order");
        break;
    case NUMBER_PLACE:
        next = after_place(o, r);
        break;
    case NUMBER_KEEP_ORDER:
        next = after_keep_order(o, r);
        break;
    case NUMBER_FOLLOW:
        next = after_follow(o, r);
        break;
    case NUMBER_STORE:
        next = after_store(o, r);
        break;
    case NUMBER_ROUTE:
        next = after_write(o, r, NUMBER_ACTIVATE, "routing the number");
        break;
    case NUMBER_ACTIVATE:
        next = after_write(o, r, NUMBER_END, "activating the request");
        if (next == NUMBER_END && r->outcome == NUMBER_OK)
            o->end = NUMBER_ENDED_ACTIVE;
        break;
    case NUMBER_FORGET:
    case NUMBER_WAIT:
    case NUMBER_FAIL:
        next = after_last_write(o, r);
        break;
    default:
        next = NUMBER_END;
        break;
    }
    o->step = next;
    return next;
}
