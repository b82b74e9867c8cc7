/* ops/ctl/bookings_rebuild.c: `frontdesk-ctl bookings rebuild --business B [--dry-run]
 * [--wait SECONDS]`: after a Redis loss, puts back B's slot places (fd:{sNNN}:t:B:slot:*)
 * and its callers' booking lines (fd:{sNNN}:t:B:caller:*) from PostgreSQL's booked
 * bookings that have not ended on the receptionist's clock (FRONTDESK_NOW), as
 * lua/booking_hold.lua and lua/caller_booking_add.lua left them: the same keys, a place
 * in every slot the booking covers on the active configuration's slot grid (its first
 * slot's place from bookings.slot_index, the others the first free one), the same line
 * and the same expiries.
 *
 * It only adds: a place or line already there is kept, and a place in Redis that
 * PostgreSQL has no booked booking for (a hold whose call has not committed yet, a
 * booking still in the outbox) is printed and left alone, never removed.
 *
 * Calls go on meanwhile. The rebuild holds the business the way a worker does
 * (ops/ctl/tenant_hold.h: alive in its shard as worker ctl-rebuild-<random>, then its
 * lease), so no worker books, cancels or reads its events while places are being put
 * back: the events wait in the stream, and the release marks the business ready again.
 * When a worker owns the business, the rebuild waits for it to let go (up to --wait
 * seconds, 60 by default; a worker releases an idle business after
 * FRONTDESK_IDLE_RELEASE_MS) and otherwise changes nothing. Every write is fenced by that
 * lease (lua/booking_rebuild.lua, lua/caller_booking_add.lua), so a rebuild that lost it
 * stops; running it again is safe. --dry-run reads only and takes no lease. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/agent_config.h"
#include "booking/booking_hold.h"
#include "booking/booking_slots.h"
#include "booking/caller_bookings.h"
#include "calendar/wall_clock.h"
#include "core/e164.h"
#include "core/xalloc.h"
#include "ctl.h"
#include "store/db.h"
#include "store/lua_args.h"
#include "tenant_hold.h"

#define REBUILD_WORKER_PREFIX "ctl-rebuild-"

static const char select_config[] =
    "SELECT config::text FROM ai_agents WHERE business_id = $1::uuid AND is_active LIMIT 1";

static const char select_booked[] =
    "SELECT id::text, service, (extract(epoch FROM starts_at) * 1000)::bigint, "
    "(extract(epoch FROM ends_at) * 1000)::bigint, slot_index, coalesce(caller_number, ''), "
    "to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI\"Z\"') "
    "FROM bookings WHERE business_id = $1::uuid AND status = 'booked' "
    "AND ends_at > to_timestamp($2::bigint / 1000.0) ORDER BY starts_at, slot_index, id";
enum { B_ID, B_SERVICE, B_START, B_END, B_PLACE, B_CALLER, B_WHEN };

struct rebuild {
    char id[FD_UUID_LEN + 1];
    unsigned shards;
    bool is_dry_run;
    int64_t now_ms;                     /* the receptionist's clock */
    int64_t expiry_shift_ms;            /* real time minus it, as the worker adds */
    PGresult *config;                   /* owned */
    PGresult *booked;                   /* owned */
    redisContext *rc;                   /* owned: redisFree */
    struct tenant_hold hold;            /* the business's lease, held as a worker would */
    unsigned slot_minutes;
    long long places_added, lines_added, moved, redis_only;
};

static enum app_err fetch(PGconn *conn, void *arg, char *why, size_t why_len)
{
    struct rebuild *r = arg;
    char now[24];
    snprintf(now, sizeof now, "%" PRId64, r->now_ms);
    const char *params[] = {r->id, now};
    r->config = PQexecParams(conn, select_config, 1, NULL, params, NULL, NULL, 0);
    enum app_err err = db_result_err(conn, r->config, why, why_len);
    if (err != APP_OK)
        return err;
    r->booked = PQexecParams(conn, select_booked, 2, NULL, params, NULL, NULL, 0);
    return db_result_err(conn, r->booked, why, why_len);
}

/* The slot length the worker holds places by, from the active configuration. */
static bool read_slot_minutes(struct rebuild *r)
{
    if (PQntuples(r->config) != 1) {
        ctl_fail("business %s has no active configuration: its slot length is unknown; "
                 "nothing changed", r->id);
        return false;
    }
    const char *json = PQgetvalue(r->config, 0, 0);
    struct agent_config *cfg = NULL;
    char why[512];
    if (agent_config_parse(json, strlen(json), &cfg, why, sizeof why) != APP_OK) {
        ctl_fail("business %s's active configuration is not valid (%s); nothing changed", r->id,
                 why);
        return false;
    }
    r->slot_minutes = cfg->booking.slot_minutes;
    agent_config_free(cfg);
    return r->slot_minutes > 0;
}

/* Puts back one booking's places in starts[0..n) (want: the place wanted in the first,
 * -1 none); returns the places added, or -1 when the script failed (printed). */
static int put_places(struct rebuild *r, const char *id, const int64_t *starts, size_t n,
                      int want, int64_t expire_at, int *place)
{
    char keys[BOOKING_HOLD_SLOTS_MAX][FD_KEY_MAX];
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key(&a, r->hold.lease);
    for (size_t i = 0; i < n; i++) {
        booking_slot_key(keys[i], r->id, r->shards, starts[i]);
        lua_args_key(&a, keys[i]);
    }
    lua_args_arg(&a, r->hold.lease_value);
    lua_args_arg(&a, id);
    lua_args_int(&a, want);
    lua_args_int(&a, expire_at);
    redisReply *reply = ctl_run_script(r->rc, &a, "booking_rebuild");
    if (reply == NULL)
        return -1;
    int added = -1;
    if (reply->type == REDIS_REPLY_ARRAY && reply->elements == 2) {
        added = (int)reply->element[0]->integer;
        *place = (int)reply->element[1]->integer;
    } else {
        ctl_fail("booking_rebuild: unexpected answer (the lease was lost?)");
    }
    freeReplyObject(reply);
    return added;
}

/* How many of starts[0..n) lack the booking (a dry run's question). */
static int count_missing(struct rebuild *r, const char *id, const int64_t *starts, size_t n)
{
    int missing = 0;
    for (size_t i = 0; i < n; i++) {
        char key[FD_KEY_MAX], why[256];
        booking_slot_key(key, r->id, r->shards, starts[i]);
        const char *argv[] = {"HEXISTS", key, id};
        redisReply *reply = ctl_redis_command(r->rc, 3, argv, why, sizeof why);
        if (reply == NULL) {
            ctl_fail("%s", why);
            return -1;
        }
        missing += reply->type == REDIS_REPLY_INTEGER && reply->integer == 0;
        freeReplyObject(reply);
    }
    return missing;
}

/* The caller's line of booking row i, as caller_booking_add.lua keeps it. 1 added, 0
 * there already (or no caller number), -1 failed (printed). */
static int put_line(struct rebuild *r, int i, size_t nslots)
{
    const PGresult *b = r->booked;
    const char *caller = PQgetvalue(b, i, B_CALLER);
    if (!e164_is_valid(caller, strlen(caller)))
        return 0;               /* nobody to find it by: the worker keeps no line either */
    struct caller_booking line = {.start_ms = atoll(PQgetvalue(b, i, B_START)),
                                  .end_ms = atoll(PQgetvalue(b, i, B_END)),
                                  .step_ms = (int64_t)r->slot_minutes * 60000,
                                  .nslots = (int)nslots};
    snprintf(line.id, sizeof line.id, "%s", PQgetvalue(b, i, B_ID));
    snprintf(line.service, sizeof line.service, "%s", PQgetvalue(b, i, B_SERVICE));
    char text[CALLER_BOOKING_LINE_MAX + 1], key[FD_KEY_MAX], suffix[40];
    if (!caller_booking_format(&line, text, sizeof text))
        return 0;
    snprintf(suffix, sizeof suffix, "caller:%s", caller);
    tenant_key(key, r->id, r->shards, suffix);
    if (r->is_dry_run) {
        char why[256];
        const char *argv[] = {"HEXISTS", key, line.id};
        redisReply *reply = ctl_redis_command(r->rc, 3, argv, why, sizeof why);
        if (reply == NULL) {
            ctl_fail("%s", why);
            return -1;
        }
        int missing = reply->type == REDIS_REPLY_INTEGER && reply->integer == 0;
        freeReplyObject(reply);
        return missing;
    }
    struct lua_args a;
    lua_args_init(&a);
    lua_args_key(&a, r->hold.lease);
    lua_args_key(&a, key);
    lua_args_arg(&a, r->hold.lease_value);
    lua_args_arg(&a, line.id);
    lua_args_arg(&a, text);
    lua_args_int(&a, (long long)(line.end_ms + BOOKING_SLOT_TTL_MS + r->expiry_shift_ms));
    redisReply *reply = ctl_run_script(r->rc, &a, "caller_booking_add");
    if (reply == NULL)
        return -1;
    int added = reply->type == REDIS_REPLY_INTEGER ? (int)reply->integer : -1;
    freeReplyObject(reply);
    if (added < 0)
        ctl_fail("caller_booking_add: unexpected answer (the lease was lost?)");
    return added;
}

/* The slot starts booking row i covers on the active grid, into starts; 0 when more
 * than BOOKING_HOLD_SLOTS_MAX (printed once, by the first pass). */
static size_t covered(const struct rebuild *r, int i, int64_t *starts, bool is_reported)
{
    const PGresult *b = r->booked;
    int64_t start = atoll(PQgetvalue(b, i, B_START)), end = atoll(PQgetvalue(b, i, B_END));
    unsigned minutes = (unsigned)((end - start + 59999) / 60000);
    size_t n = booking_slots_covered(start, r->slot_minutes, minutes, starts,
                                     BOOKING_HOLD_SLOTS_MAX);
    if (n == 0 && is_reported)
        printf("skipped\t%s\t%s\tcovers more than %d slots\n", PQgetvalue(b, i, B_ID),
               PQgetvalue(b, i, B_WHEN), BOOKING_HOLD_SLOTS_MAX);
    return n;
}

static int64_t expiry_of(const struct rebuild *r, const int64_t *starts, size_t n)
{
    return starts[n - 1] + BOOKING_SLOT_TTL_MS + r->expiry_shift_ms;
}

/* First pass: each booking's place in its first slot, bookings.slot_index, before any
 * booking's later slots take first free places (one of which could be that place).
 * first_added[i] gets how many slots booking i was missing (all of them in a dry run). */
static bool put_first_places(struct rebuild *r, int *first_added)
{
    const PGresult *b = r->booked;
    for (int i = 0; i < PQntuples(b); i++) {
        const char *id = PQgetvalue(b, i, B_ID);
        int64_t starts[BOOKING_HOLD_SLOTS_MAX];
        size_t n = covered(r, i, starts, true);
        if (n == 0)
            continue;
        if (!r->is_dry_run && !tenant_hold_keep(&r->hold))
            return false;
        int want = atoi(PQgetvalue(b, i, B_PLACE)), place = want;
        first_added[i] = r->is_dry_run ? count_missing(r, id, starts, n)
                                       : put_places(r, id, starts, 1, want,
                                                    expiry_of(r, starts, n), &place);
        if (first_added[i] < 0)
            return false;
        if (place != want) {
            r->moved++;
            printf("moved\t%s\t%s\tplace %d taken, given place %d\n", id,
                   PQgetvalue(b, i, B_WHEN), want, place);
        }
    }
    return true;
}

/* Second pass: the other slots (first free places, as a hold takes them) and the
 * callers' lines; one line printed per booking that was missing anything. */
static bool put_the_rest(struct rebuild *r, const int *first_added)
{
    const PGresult *b = r->booked;
    const char *verb = r->is_dry_run ? "missing" : "added";
    for (int i = 0; i < PQntuples(b); i++) {
        const char *id = PQgetvalue(b, i, B_ID);
        int64_t starts[BOOKING_HOLD_SLOTS_MAX];
        size_t n = covered(r, i, starts, false);
        if (n == 0)
            continue;
        if (!r->is_dry_run && !tenant_hold_keep(&r->hold))
            return false;
        int place = 0, added = first_added[i];
        if (!r->is_dry_run && n > 1) {
            int rest = put_places(r, id, starts + 1, n - 1, -1, expiry_of(r, starts, n), &place);
            if (rest < 0)
                return false;
            added += rest;
        }
        r->places_added += added;
        if (added > 0)
            printf("%s\t%s\t%s\t%d of %zu places\n", verb, id, PQgetvalue(b, i, B_WHEN),
                   added, n);
        int line = put_line(r, i, n);
        if (line < 0)
            return false;
        r->lines_added += line;
        if (line > 0)
            printf("%s\t%s\t%s\tcaller %s\n", verb, id, PQgetvalue(b, i, B_WHEN),
                   PQgetvalue(b, i, B_CALLER));
    }
    return true;
}

static bool is_booked(const PGresult *b, const char *id, size_t len)
{
    for (int i = 0; i < PQntuples(b); i++)
        if (strlen(PQgetvalue(b, i, B_ID)) == len && memcmp(PQgetvalue(b, i, B_ID), id, len) == 0)
            return true;
    return false;
}

/* Prints the places of slots still ahead that no booked booking of PostgreSQL has: left
 * as they are (a hold whose call has not committed, a booking still in the outbox). */
static bool report_redis_only(struct rebuild *r)
{
    char match[FD_KEY_MAX], why[256], cursor[32] = "0";
    size_t prefix = tenant_key(match, r->id, r->shards, "slot:");
    snprintf(match + prefix, sizeof match - prefix, "*");
    do {
        const char *argv[] = {"SCAN", cursor, "MATCH", match, "COUNT", "1000"};
        redisReply *page = ctl_redis_command(r->rc, 6, argv, why, sizeof why);
        if (page == NULL || page->type != REDIS_REPLY_ARRAY || page->elements != 2) {
            if (page != NULL)
                freeReplyObject(page);
            ctl_fail("cannot list the slots: %s", page == NULL ? why : "unexpected answer");
            return false;
        }
        snprintf(cursor, sizeof cursor, "%s", page->element[0]->str);
        const redisReply *keys = page->element[1];
        for (size_t k = 0; k < keys->elements; k++) {
            const char *key = keys->element[k]->str;
            if (atoll(key + prefix) < r->now_ms)
                continue;               /* a past slot: its bookings have ended */
            const char *hkeys[] = {"HKEYS", key};
            redisReply *ids = ctl_redis_command(r->rc, 2, hkeys, why, sizeof why);
            for (size_t j = 0; ids != NULL && j < ids->elements; j++) {
                const redisReply *id = ids->element[j];
                if (id->type == REDIS_REPLY_STRING && !is_booked(r->booked, id->str, id->len)) {
                    r->redis_only++;
                    printf("redis only\t%s\tslot %s\tleft as it is\n", id->str, key + prefix);
                }
            }
            if (ids != NULL)
                freeReplyObject(ids);
        }
        freeReplyObject(page);
    } while (strcmp(cursor, "0") != 0);
    return true;
}

/* Reads argv into r; CTL_EXIT_OK, or a usage error printed. */
static int parse_args(int argc, char **argv, struct rebuild *r, int *wait_s)
{
    const char *business = NULL, *wait_arg = "60";
    for (int i = 1; i < argc;) {
        const char *arg = argv[i], *v = NULL;
        if (strcmp(arg, "--dry-run") == 0) {
            r->is_dry_run = true;
            i++;
            continue;
        }
        if (ctl_opt(argc, argv, &i, "--business", &v))
            business = v;
        else if (ctl_opt(argc, argv, &i, "--wait", &v))
            wait_arg = v;
        else
            return ctl_usage_error("bookings rebuild: unknown argument '%s'", arg);
        if (v == NULL)
            return ctl_usage_error("bookings rebuild: %s needs a value", arg);
    }
    if (business == NULL || !uuid_canonical(business, strlen(business), r->id))
        return ctl_usage_error("bookings rebuild: --business needs the business id (a UUID)");
    if (!config_parse_int(wait_arg, 0, 3600, wait_s))
        return ctl_usage_error("bookings rebuild: --wait needs seconds, 0 to 3600");
    return CTL_EXIT_OK;
}

/* The receptionist's clock (FRONTDESK_NOW, as the worker reads it) and how far real time
 * is ahead of it, which the worker adds to every expiry. */
static int read_clock(struct rebuild *r)
{
    const char *why = NULL;
    struct wall_clock *clock = wall_clock_create_from_env(&why);
    if (clock == NULL) {
        fprintf(stderr, "configuration error: " WALL_CLOCK_ENV ": %s\n", why);
        return CTL_EXIT_USAGE;
    }
    struct timespec real;
    clock_gettime(CLOCK_REALTIME, &real);
    r->now_ms = wall_clock_now_ms(clock);
    r->expiry_shift_ms = (int64_t)real.tv_sec * 1000 + real.tv_nsec / 1000000 - r->now_ms;
    wall_clock_free(clock);
    return CTL_EXIT_OK;
}

/* With the lease held (or in a dry run): both passes, the report, the summary. */
static int rebuild_all(struct rebuild *r)
{
    int n = PQntuples(r->booked);
    int *first_added = xcalloc(n > 0 ? (size_t)n : 1, sizeof *first_added);
    bool is_done = put_first_places(r, first_added) &&
                   put_the_rest(r, first_added) && report_redis_only(r);
    free(first_added);
    if (!is_done)
        fprintf(stderr, "the rebuild stopped part way; what it added stays, and running it "
                        "again completes it\n");
    fprintf(stderr, "%d booked booking%s ahead; %s %lld place%s and %lld caller line%s; "
            "%lld given another place; %lld place%s in Redis only\n", n, n == 1 ? "" : "s",
            r->is_dry_run ? "missing" : "added", r->places_added,
            r->places_added == 1 ? "" : "s", r->lines_added, r->lines_added == 1 ? "" : "s",
            r->moved, r->redis_only, r->redis_only == 1 ? "" : "s");
    return is_done ? CTL_EXIT_OK : CTL_EXIT_FAIL;
}

int ctl_bookings_rebuild(int argc, char **argv)
{
    struct rebuild r = {.is_dry_run = false};
    int wait_s = 0;
    int status = parse_args(argc, argv, &r, &wait_s);
    if (status == CTL_EXIT_OK)
        status = read_clock(&r);
    if (status != CTL_EXIT_OK)
        return status;
    struct fd_config cfg;
    config_load_or_exit(&cfg, 0);
    r.shards = (unsigned)cfg.shards;
    PGconn *conn = NULL;
    status = ctl_connect_for_change(&cfg, "nothing changed", &r.rc, &conn);
    if (status != CTL_EXIT_OK)
        return status;
    char why[1024];
    enum app_err err = db_with_tenant(conn, r.id, fetch, &r, why, sizeof why);
    PQfinish(conn);
    if (err != APP_OK)
        status = ctl_fail("cannot read the bookings: %s; nothing changed", why);
    else if (!read_slot_minutes(&r))
        status = CTL_EXIT_FAIL;
    else if (r.is_dry_run)
        status = rebuild_all(&r);
    else {
        tenant_hold_init(&r.hold, r.rc, r.id, r.shards, REBUILD_WORKER_PREFIX);
        status = tenant_hold_take(&r.hold, wait_s) ? rebuild_all(&r) : CTL_EXIT_FAIL;
        tenant_hold_release(&r.hold);
    }
    PQclear(r.config);
    PQclear(r.booked);
    redisFree(r.rc);
    return status;
}
