/* api/number_watch.c: follows changes of fd:numbers, so the api's number cache never
 * routes a moved number to its former business for long. Every writer of fd:numbers
 * (frontdesk-ctl tenant create, numbers add/remove/sync, the workers' provisioning)
 * INCRs fd:numbers:version after its change; the api reads that version every
 * NUMBER_WATCH_INTERVAL_MS with one GET and drops its whole cache when it moved.
 * Polling, rather than a subscription, cannot miss a change made while the api was
 * disconnected: the next read sees the version. The cost is one GET per interval per
 * process, whatever the webhook rate. */
#include <event2/event.h>
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "store/number_cache.h"
#include "store/redis_conn.h"
#include "store/tenant_keys.h"

#define NUMBER_WATCH_INTERVAL_MS 200
#define NUMBER_WATCH_TIMEOUT_MS 1000

/* Replies on the api's one Redis connection come in the order the commands went, so an
 * HGET sent before this GET has filled the cache before a drop here, and one sent after
 * it reads the new value. */
static void on_version(const redisReply *reply, enum app_err err, void *arg)
{
    struct number_watch *nw = arg;
    nw->is_asking = false;
    if (err != APP_OK || reply == NULL)
        return;
    const char *version = reply->type == REDIS_REPLY_STRING ? reply->str : "";
    if (nw->has_version && strcmp(version, nw->version) == 0)
        return;
    /* The first answer too: what was cached before it may predate a change it shows. */
    number_cache_clear(nw->api->numbers);
    snprintf(nw->version, sizeof nw->version, "%s", version);
    nw->has_version = true;
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    struct number_watch *nw = arg;
    (void)fd;
    (void)what;
    if (nw->is_asking || !redis_conn_is_ready(nw->api->redis))
        return;
    const char *argv[] = {"GET", FD_NUMBERS_VERSION_KEY};
    size_t len[] = {3, strlen(FD_NUMBERS_VERSION_KEY)};
    nw->is_asking = true;
    redis_conn_command(nw->api->redis, NUMBER_WATCH_TIMEOUT_MS, on_version, nw, 2, argv, len);
}

void number_watch_start(struct number_watch *nw, struct api *api)
{
    memset(nw, 0, sizeof *nw);
    nw->api = api;
    nw->timer = event_new(api->base, -1, EV_PERSIST, on_tick, nw);
    struct timeval every = {0, NUMBER_WATCH_INTERVAL_MS * 1000};
    event_add(nw->timer, &every);
}

void number_watch_stop(struct number_watch *nw)
{
    if (nw->timer != NULL)
        event_free(nw->timer);
    nw->timer = NULL;
}
