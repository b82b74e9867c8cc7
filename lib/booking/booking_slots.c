/* lib/booking/booking_slots.c: see booking_slots.h. Everything is on the caller's arrays; the
 * largest loop is a day's slots times the slots a booking covers (288 x 288 at worst,
 * a 24-hour service on a 5-minute grid), each step a binary search. */
#include "booking/booking_slots.h"

#define MINUTE_MS 60000LL

unsigned booking_slots_spanned(unsigned slot_minutes, unsigned duration_minutes)
{
    if (slot_minutes == 0)
        return 0;
    unsigned n = (duration_minutes + slot_minutes - 1) / slot_minutes;
    return n == 0 ? 1 : n;
}

/* The local date of the instant now_ms; false if out of the zone's range. */
static bool local_today(const struct tz *tz, int64_t now_ms, struct civil_date *out)
{
    struct tz_local local;
    if (!tz_to_local(tz, civil_floor_div(now_ms, 1000), &local))
        return false;
    *out = local.wall.date;
    return true;
}

/* Appends the grid points of range r that fit the service and are not too soon. */
static void add_range(const struct agent_range *r, const struct tz *tz,
                      const struct civil_date *day, unsigned slot_minutes,
                      unsigned duration_minutes, int64_t earliest_ms, struct booking_slot *out,
                      size_t *nout, bool *has_fitting)
{
    for (unsigned m = r->open_minute; m + duration_minutes <= r->close_minute; m += slot_minutes) {
        struct civil_time wall = {*day, (int)(m / 60), (int)(m % 60), 0};
        int64_t utc_s;
        enum tz_wall_kind kind;
        if (!tz_from_local(tz, &wall, &utc_s, &kind) || kind == TZ_WALL_GAP)
            continue;
        *has_fitting = true;
        int64_t start_ms = utc_s * 1000;
        if (start_ms < earliest_ms || *nout >= BOOKING_SLOTS_MAX)
            continue;
        out[(*nout)++] = (struct booking_slot){start_ms, (int)m, false};
    }
}

enum booking_day booking_slots_for_day(const struct agent_config *cfg, const struct tz *tz,
                                       unsigned duration_minutes, const struct civil_date *day,
                                       int64_t now_ms, struct booking_slot *out, size_t *nout)
{
    *nout = 0;
    unsigned slot_minutes = cfg->booking.slot_minutes;
    struct civil_date today;
    if (!cfg->booking.is_enabled || slot_minutes == 0 || duration_minutes == 0 ||
        !civil_date_is_valid(day) || !local_today(tz, now_ms, &today))
        return BOOKING_DAY_DISABLED;
    int64_t days_ahead = civil_days_from_date(day) - civil_days_from_date(&today);
    if (days_ahead < 0)
        return BOOKING_DAY_PAST;
    if (days_ahead > (int64_t)cfg->booking.max_days_ahead)
        return BOOKING_DAY_TOO_FAR;
    if (agent_config_is_closed_on(cfg, day->year, day->month, day->day, NULL))
        return BOOKING_DAY_CLOSURE;
    const struct agent_day *hours =
        agent_config_hours(cfg, civil_weekday_from_days(civil_days_from_date(day)));
    int64_t earliest_ms = now_ms + (int64_t)cfg->booking.lead_time_minutes * MINUTE_MS;
    bool has_fitting = false;
    for (size_t i = 0; hours != NULL && i < hours->nranges; i++)
        add_range(&hours->ranges[i], tz, day, slot_minutes, duration_minutes, earliest_ms, out,
                  nout, &has_fitting);
    if (*nout > 0)
        return BOOKING_DAY_OPEN;
    return has_fitting ? BOOKING_DAY_TOO_SOON : BOOKING_DAY_CLOSED;
}

size_t booking_slots_covered(int64_t start_ms, unsigned slot_minutes, unsigned duration_minutes,
                             int64_t *out, size_t max)
{
    unsigned n = booking_slots_spanned(slot_minutes, duration_minutes);
    if (n == 0 || n > max)
        return 0;
    for (unsigned k = 0; k < n; k++)
        out[k] = start_ms + (int64_t)k * slot_minutes * MINUTE_MS;
    return n;
}

/* The position of v in sorted a[0..n), or where it would go; *is_found says which. */
static size_t search(const int64_t *a, size_t n, int64_t v, bool *is_found)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    *is_found = lo < n && a[lo] == v;
    return lo;
}

size_t booking_slots_to_count(const struct booking_slot *slots, size_t n, unsigned slot_minutes,
                              unsigned duration_minutes, int64_t *out, size_t max)
{
    unsigned spanned = booking_slots_spanned(slot_minutes, duration_minutes);
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        for (unsigned k = 0; k < spanned; k++) {
            int64_t start = slots[i].start_ms + (int64_t)k * slot_minutes * MINUTE_MS;
            bool is_found;
            size_t at = search(out, count, start, &is_found);
            if (is_found || count == max)
                continue;
            for (size_t j = count; j > at; j--)
                out[j] = out[j - 1];
            out[at] = start;
            count++;
        }
    return count;
}

void booking_slots_mark_free(struct booking_slot *slots, size_t n, unsigned slot_minutes,
                             unsigned duration_minutes, unsigned capacity,
                             const int64_t *starts, const unsigned *taken, size_t nstarts)
{
    unsigned spanned = booking_slots_spanned(slot_minutes, duration_minutes);
    for (size_t i = 0; i < n; i++) {
        bool is_free = spanned > 0;
        for (unsigned k = 0; is_free && k < spanned; k++) {
            bool is_found;
            size_t at = search(starts, nstarts,
                               slots[i].start_ms + (int64_t)k * slot_minutes * MINUTE_MS,
                               &is_found);
            is_free = is_found && taken[at] < capacity;
        }
        slots[i].is_free = is_free;
    }
}

int booking_slots_find(const struct booking_slot *slots, size_t n, int64_t start_ms)
{
    for (size_t i = 0; i < n; i++)
        if (slots[i].start_ms == start_ms)
            return (int)i;
    return -1;
}

static int64_t distance(int64_t a, int64_t b)
{
    return a > b ? a - b : b - a;
}

size_t booking_slots_nearest_free(const struct booking_slot *slots, size_t n, int64_t want_ms,
                                  size_t *out, size_t max)
{
    size_t count = 0;
    /* Slots are in time order, so the nearest ones are one contiguous run of the free
     * slots: grow it from the split point toward whichever side is nearer. */
    size_t split = 0;
    while (split < n && slots[split].start_ms < want_ms)
        split++;
    size_t lo = split, hi = split;          /* taken so far: free slots in [lo, hi) */
    while (count < max) {
        size_t left = lo, right = hi;
        while (left > 0 && !slots[left - 1].is_free)
            left--;
        while (right < n && !slots[right].is_free)
            right++;
        bool has_left = left > 0, has_right = right < n;
        if (!has_left && !has_right)
            break;
        if (has_left && (!has_right || distance(slots[left - 1].start_ms, want_ms) <=
                                           distance(slots[right].start_ms, want_ms))) {
            lo = left - 1;
        } else {
            hi = right + 1;
        }
        count++;
    }
    size_t k = 0;
    for (size_t i = lo; i < hi && k < count; i++)
        if (slots[i].is_free)
            out[k++] = i;
    return k;
}
