/* web/pool.c: see pool.h. One mutex guards both lists; a thread that finishes a job
 * appends it to the done list and activates one event, so a burst of finished jobs
 * costs the loop one wake-up. */
#include "pool.h"

#include <errno.h>
#include <event2/event.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "core/xalloc.h"

struct pool_node {
    void *job;
    struct pool_node *next;
};

struct pool_list {
    struct pool_node *head, *tail;
    size_t n;
};

struct web_pool {
    pthread_mutex_t lock;
    pthread_cond_t has_work;
    struct pool_list queue, done;
    bool is_stopping;
    bool is_done_signalled;
    struct event *done_event;
    pool_run_fn run;
    pool_done_fn on_done;
    pool_state_free_fn state_free;
    void *arg;
    int nthreads;
    pthread_t *threads;
};

static void list_push(struct pool_list *l, struct pool_node *node)
{
    node->next = NULL;
    if (l->tail != NULL)
        l->tail->next = node;
    else
        l->head = node;
    l->tail = node;
    l->n++;
}

static struct pool_node *list_pop(struct pool_list *l)
{
    struct pool_node *node = l->head;
    if (node == NULL)
        return NULL;
    l->head = node->next;
    if (l->head == NULL)
        l->tail = NULL;
    l->n--;
    return node;
}

static void *pool_thread(void *arg)
{
    struct web_pool *p = arg;
    void *state = NULL;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (p->queue.head == NULL && !p->is_stopping)
            pthread_cond_wait(&p->has_work, &p->lock);
        if (p->is_stopping)
            break;
        struct pool_node *node = list_pop(&p->queue);
        pthread_mutex_unlock(&p->lock);
        p->run(node->job, &state, p->arg);
        pthread_mutex_lock(&p->lock);
        list_push(&p->done, node);
        if (!p->is_done_signalled) {
            p->is_done_signalled = true;
            event_active(p->done_event, EV_READ, 1);
        }
    }
    pthread_mutex_unlock(&p->lock);
    if (state != NULL && p->state_free != NULL)
        p->state_free(state);
    return NULL;
}

static void on_jobs_done(evutil_socket_t fd, short what, void *arg)
{
    struct web_pool *p = arg;
    (void)fd;
    (void)what;
    pthread_mutex_lock(&p->lock);
    struct pool_list done = p->done;
    p->done = (struct pool_list){0};
    p->is_done_signalled = false;
    pthread_mutex_unlock(&p->lock);
    struct pool_node *node;
    while ((node = list_pop(&done)) != NULL) {
        void *job = node->job;
        free(node);
        p->on_done(job, p->arg);
    }
}

struct web_pool *pool_create(struct event_base *base, int nthreads, pool_run_fn run,
                             pool_done_fn done, pool_state_free_fn state_free, void *arg)
{
    struct web_pool *p = xcalloc(1, sizeof *p);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->has_work, NULL);
    p->run = run;
    p->on_done = done;
    p->state_free = state_free;
    p->arg = arg;
    p->done_event = event_new(base, -1, 0, on_jobs_done, p);
    p->threads = xcalloc((size_t)nthreads, sizeof *p->threads);
    for (int i = 0; i < nthreads; i++) {
        int rc = pthread_create(&p->threads[i], NULL, pool_thread, p);
        if (rc != 0) {
            pool_free(p, NULL);
            errno = rc;
            return NULL;
        }
        p->nthreads++;
    }
    return p;
}

void pool_submit(struct web_pool *pool, void *job)
{
    struct pool_node *node = xmalloc(sizeof *node);
    node->job = job;
    pthread_mutex_lock(&pool->lock);
    list_push(&pool->queue, node);
    pthread_cond_signal(&pool->has_work);
    pthread_mutex_unlock(&pool->lock);
}

size_t pool_waiting(struct web_pool *pool)
{
    pthread_mutex_lock(&pool->lock);
    size_t n = pool->queue.n;
    pthread_mutex_unlock(&pool->lock);
    return n;
}

static void drop_all(struct pool_list *l, pool_done_fn drop, void *arg)
{
    struct pool_node *node;
    while ((node = list_pop(l)) != NULL) {
        void *job = node->job;
        free(node);
        if (drop != NULL)
            drop(job, arg);
    }
}

void pool_free(struct web_pool *pool, pool_done_fn drop)
{
    if (pool == NULL)
        return;
    pthread_mutex_lock(&pool->lock);
    pool->is_stopping = true;
    pthread_cond_broadcast(&pool->has_work);
    pthread_mutex_unlock(&pool->lock);
    for (int i = 0; i < pool->nthreads; i++)
        pthread_join(pool->threads[i], NULL);
    drop_all(&pool->queue, drop, pool->arg);
    drop_all(&pool->done, drop, pool->arg);
    event_free(pool->done_event);
    pthread_cond_destroy(&pool->has_work);
    pthread_mutex_destroy(&pool->lock);
    free(pool->threads);
    free(pool);
}
