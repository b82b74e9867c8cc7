/* lib/store/host_resolve.h: a host name of FRONTDESK_REDIS_URL, FRONTDESK_REDIS_SENTINELS
 * or FRONTDESK_DATABASE_URL turned into an address without blocking the event loop.
 * getaddrinfo may wait seconds on a slow or unreachable DNS server; called inside the
 * loop (as hiredis and libpq do when handed a name) it would stall every webhook and
 * call of the process meanwhile, and it runs again on every reconnect. So each lookup
 * runs getaddrinfo on a thread of its own and hands the answer back to the loop; a
 * literal address skips the thread.
 * Lookups happen only when connecting (at start and on each reconnect) and, through
 * Redis Sentinel, once a second per connection for the Sentinel asked (redis_sentinel.h),
 * so a thread per lookup is cheap, and a name whose address changed (a failover) is
 * followed. */
#ifndef FD_HOST_RESOLVE_H
#define FD_HOST_RESOLVE_H
#include <stdbool.h>

struct event_base;
struct host_lookup;

#define HOST_ADDRESS_MAX 64    /* an IPv6 address as text, with room */

/* address is the first address found, as text ("10.0.0.5", "::1"), or NULL with error
 * saying why. Both are borrowed for the call. */
typedef void (*host_resolved_fn)(const char *address, const char *error, void *arg);

/* True when host is already a literal IPv4 or IPv6 address. */
bool host_is_address(const char *host);

/* Starts resolving host (at most 255 characters). done runs once, on the loop, never
 * before this returns, unless the lookup is cancelled first. The lookup frees itself
 * after done; NULL (and done never runs) when no thread could be started. */
struct host_lookup *host_lookup_start(struct event_base *base, const char *host,
                                      host_resolved_fn done, void *arg);
/* done will not run. A thread still inside getaddrinfo ends on its own and frees what
 * it holds. NULL is fine. */
void host_lookup_cancel(struct host_lookup *lookup);

#endif
