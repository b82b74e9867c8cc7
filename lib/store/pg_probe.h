/* lib/store/pg_probe.h: tells whether PostgreSQL answers, for /readyz, without ever
 * blocking the event loop: every second it runs SELECT 1 over a non-blocking libpq
 * connection (reconnecting when needed), each attempt bounded by a deadline. */
#ifndef FD_PG_PROBE_H
#define FD_PG_PROBE_H
#include <stdbool.h>

struct event_base;
struct pg_probe;

/* Borrows base; copies database_url. Starts probing at once. */
struct pg_probe *pg_probe_create(struct event_base *base, const char *database_url);
void pg_probe_free(struct pg_probe *probe);   /* NULL is fine */
/* True when the last probe succeeded less than three seconds ago. */
bool pg_probe_is_ready(const struct pg_probe *probe);

#endif
