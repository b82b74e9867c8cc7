/* lib/store/redis_wait.c: see redis_wait.h. */
#include "store/redis_wait.h"

#include <stdio.h>

void redis_wait_send(struct redis_conn *conn, int replicas, int wait_ms, int deadline_ms,
                     redis_reply_fn cb, void *arg)
{
    char nreplicas[16], timeout[16];
    int nr = snprintf(nreplicas, sizeof nreplicas, "%d", replicas);
    int nt = snprintf(timeout, sizeof timeout, "%d", wait_ms < 1 ? 1 : wait_ms);
    const char *argv[] = {"WAIT", nreplicas, timeout};
    size_t len[] = {4, (size_t)nr, (size_t)nt};
    redis_conn_command(conn, deadline_ms, cb, arg, 3, argv, len);
}

bool redis_wait_reached(const redisReply *reply, enum app_err err, int replicas)
{
    return err == APP_OK && reply != NULL && reply->type == REDIS_REPLY_INTEGER &&
           reply->integer >= replicas;
}
