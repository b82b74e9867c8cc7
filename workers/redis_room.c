/* workers/redis_room.c: how much room Redis has left, read once a second with INFO
 * memory. Redis runs with noeviction, so a business whose outbox keeps growing while
 * PostgreSQL is away would in the end make every write fail, for every business. A
 * business whose outbox holds FRONTDESK_OUTBOX_MAX entries waits instead (its events stay
 * in its stream, retried uncounted) once Redis is within FRONTDESK_OUTBOX_RESERVE_PCT of
 * maxmemory, which keeps that reserve for the businesses under the cap. worker_commit.lua
 * makes the same check at the moment of the commit; this one only spares Telnyx the
 * commands of steps that would not commit. */
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "store/outbox_drain.h"
#include "store/redis_conn.h"
#include "tenant.h"
#include "worker.h"

#define EVERY_MS 1000
#define TIMEOUT_MS 1000

static long long info_field(const char *info, const char *name)
{
    const char *p = strstr(info, name);
    return p != NULL ? strtoll(p + strlen(name), NULL, 10) : 0;
}

static void on_info(const redisReply *reply, enum app_err err, void *arg)
{
    struct worker *w = arg;
    w->room.is_asking = false;
    if (err != APP_OK || reply == NULL || reply->type != REDIS_REPLY_STRING)
        return;                 /* as it was: the next second asks again */
    bool was_short = w->room.is_short;
    w->room.used = info_field(reply->str, "\nused_memory:");
    w->room.max = info_field(reply->str, "\nmaxmemory:");
    w->room.is_short = w->room.max > 0 &&
                       w->room.used * 100 >= w->room.max * (100 - w->wcfg.outbox_reserve_pct);
    if (w->room.is_short != was_short)
        log_msg(w->room.is_short ? LOG_WARN : LOG_INFO,
                w->room.is_short ? "redis short of room: businesses over the outbox cap wait"
                                 : "redis has room again", NULL, NULL);
}

void redis_room_tick(struct worker *w, long long now_ms)
{
    if (w->room.is_asking || now_ms - w->room.last_ms < EVERY_MS)
        return;
    w->room.last_ms = now_ms;
    w->room.is_asking = true;
    const char *argv[] = {"INFO", "memory"};
    size_t len[] = {4, 6};
    redis_conn_command(w->redis, TIMEOUT_MS, on_info, w, 2, argv, len);
}

bool redis_room_lets(const struct tenant *t)
{
    const struct worker *w = t->w;
    return !w->room.is_short || w->wcfg.outbox_max == 0 ||
           outbox_drain_length(w->drain, t->id) < w->wcfg.outbox_max;
}
