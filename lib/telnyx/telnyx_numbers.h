/* lib/telnyx/telnyx_numbers.h: the phone-number requests of docs/telnyx.md §6 as text, and
 * their answers read back: the search's query (GET /available_phone_numbers), the order's
 * body (POST /number_orders) and a number order (the answer to both POST /number_orders
 * and GET /number_orders/{id}). No I/O: telnyx_client.h sends them. */
#ifndef FD_TELNYX_NUMBERS_H
#define FD_TELNYX_NUMBERS_H
#include <stdbool.h>
#include <stddef.h>

#include "core/e164.h"

#define TELNYX_NUMBER_MAX (E164_MAX_LEN + 1)    /* an E.164 number and its NUL */
#define TELNYX_ORDER_ID_MAX 100
#define TELNYX_SEARCH_LIMIT_MAX 100

struct telnyx_number_search {
    const char *area_code;      /* three digits, "312"; NULL: any area code */
    int limit;                  /* 1..TELNYX_SEARCH_LIMIT_MAX numbers at most */
};

/* The query string (without '?') for US local numbers that offer voice and SMS, in the
 * area code when given: deepObject filters, the features array as repeated
 * filter[features][]= (docs/telnyx.md §6). Owned by the caller; NULL when area_code is not
 * a North American area code ([2-9]XX) or limit is out of range. */
char *telnyx_numbers_search_query(const struct telnyx_number_search *q);

struct telnyx_number_order_spec {
    const char *phone_number;           /* E.164, from a recent search; required */
    const char *connection_id;          /* the Call Control Application: calls reach our webhook */
    const char *messaging_profile_id;   /* texts */
    const char *customer_reference;     /* names what the order is for; required */
};

/* The JSON body of the order of one number, owned by the caller; NULL with *why (static
 * text) when a required field is missing, the number is not E.164 or a string is not
 * UTF-8. connection_id and messaging_profile_id are left out when NULL or empty. */
char *telnyx_numbers_order_body(const struct telnyx_number_order_spec *o, const char **why);

/* Reads a search's answer into found: the numbers that are E.164 and offer both voice and
 * sms (a number listed without features is taken on the filter's word), in the answer's
 * order, at most max. Returns how many, or -1 when body is not {"data": [...]}. */
int telnyx_numbers_read_search(const char *body, size_t len, char found[][TELNYX_NUMBER_MAX],
                               int max);

enum telnyx_order_status {
    TELNYX_ORDER_PENDING,
    TELNYX_ORDER_SUCCESS,
    TELNYX_ORDER_FAILURE,
};

struct telnyx_number_order {
    char id[TELNYX_ORDER_ID_MAX + 1];
    enum telnyx_order_status status;
    char phone_number[TELNYX_NUMBER_MAX];   /* data.phone_numbers[0]; "" when absent */
};

/* Reads {"data": {"id", "status", "phone_numbers": [...]}}; false when the id is missing
 * or too long, or the status is not one of the spec's three. */
bool telnyx_numbers_read_order(const char *body, size_t len, struct telnyx_number_order *out);

#endif
