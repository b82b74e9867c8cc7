/* lib/store/redis_failure.c: see redis_failure.h. */
#include "store/redis_failure.h"

#include <string.h>

/* Error prefixes Redis 7 answers for its own condition (a full memory, a load from disk,
 * a busy script, a replica or a cluster in change), never for what a command asked. */
static const char *const state_errors[] = {
    "OOM ", "LOADING ", "BUSY ", "MASTERDOWN ", "READONLY ", "TRYAGAIN ", "NOREPLICAS ",
    "CLUSTERDOWN ",
};

bool redis_failure_is_transient(const redisReply *reply)
{
    if (reply == NULL)
        return true;
    if (reply->type != REDIS_REPLY_ERROR || reply->str == NULL)
        return false;
    for (size_t i = 0; i < sizeof state_errors / sizeof state_errors[0]; i++)
        if (strncmp(reply->str, state_errors[i], strlen(state_errors[i])) == 0)
            return true;
    return false;
}
