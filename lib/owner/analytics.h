/* lib/owner/analytics.h: the business's figures per local day and in total, for GET
 * /api/v1/analytics?from=&to= (at most ANALYTICS_DAYS_MAX days, both included), in the
 * transaction's TimeZone (the business's). What each figure counts:
 *   calls               call_logs started that day
 *   answered            ...answered by the receptionist (outcome answered_by_agent)
 *   transferred         ...forwarded to a person (outcome forwarded)
 *   missed              ...missed or refused for want of a receptionist (missed,
 *                       rejected_no_agent); the three add up to calls
 *   average_lead_score  the mean of the lead scores recorded that day (a call is scored
 *                       when it ends; null when none was)
 *   bookings            bookings recorded that day and still booked (not cancelled)
 *   booked_value_cents  what those bookings' services cost, in the minor unit of the
 *                       business's currency: the price each service had in the
 *                       configuration version in force when the booking was recorded
 *                       (the latest version saved before it); a service without a price
 *                       or priced in another currency counts 0. A rollback (activating
 *                       an older version) is not seen: versions carry no activation time.
 *   messages            messages taken that day
 *   billable_bookings   usage events of that day (what billing charges: a booking
 *                       cancelled later is still billed)
 * The total's average is over every score of the range, not a mean of days. Every
 * figure is one scan of its table's rows in the range (no JIT: see analytics.c). */
#ifndef FD_ANALYTICS_H
#define FD_ANALYTICS_H
#include <jansson.h>
#include <libpq-fe.h>

#include "core/err.h"
#include "owner/list_params.h"

#define ANALYTICS_DAYS_MAX 366

/* {"from", "to", "timezone", "currency", "days": [{"date", <figures>}], "total":
 * {<figures>}} for business_id (the transaction's tenant) over range (both ends set,
 * at most ANALYTICS_DAYS_MAX days). New reference in *out. */
enum app_err analytics_json(PGconn *conn, const char *business_id, const struct date_range *range,
                            json_t **out, char *why, size_t why_len);

#endif
