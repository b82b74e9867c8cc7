/* web/pool.h: a fixed set of threads that run blocking jobs (database transactions,
 * password hashing) off the event loop, and hand each finished job back to the loop.
 * Jobs run in the order they were submitted; a job belongs to the pool from
 * pool_submit until the loop's done callback receives it. */
#ifndef FD_WEB_POOL_H
#define FD_WEB_POOL_H
#include <stddef.h>

struct event_base;
struct web_pool;

/* Runs on a pool thread. *state is the thread's own (NULL at first): the database
 * threads keep their connection in it. arg: pool_create's. */
typedef void (*pool_run_fn)(void *job, void **state, void *arg);
/* Runs on the loop with a finished job (pool_create's arg as arg). */
typedef void (*pool_done_fn)(void *job, void *arg);
/* Frees a thread's state when the pool stops (NULL states are not passed). */
typedef void (*pool_state_free_fn)(void *state);

/* Starts nthreads threads. Borrows base, which must have been created after
 * evthread_use_pthreads() so other threads may wake it. Returns NULL (with errno) when
 * a thread cannot be started. */
struct web_pool *pool_create(struct event_base *base, int nthreads, pool_run_fn run,
                             pool_done_fn done, pool_state_free_fn state_free, void *arg);
/* Queues job (loop thread only). */
void pool_submit(struct web_pool *pool, void *job);
/* Jobs queued and not yet started (for /metrics). */
size_t pool_waiting(struct web_pool *pool);
/* Lets the threads finish the job they run, joins them, frees their states, and gives
 * every job not handed back yet (never run, or finished but not delivered) to drop on
 * the calling thread. NULL is fine. */
void pool_free(struct web_pool *pool, pool_done_fn drop);

#endif
