/* lib/store/host_resolve.c: see host_resolve.h.
 *
 * The loop and the thread share one record under a mutex, counted by references: the
 * loop's (until done ran or the lookup was cancelled) and the thread's (until it wrote
 * its answer). Whoever lets go last closes the pipe and frees it, so the thread never
 * writes to a closed pipe and a cancelled lookup still ends cleanly. The thread writes
 * one byte on the pipe when the answer is in; the loop reads it as an event. */
#include "store/host_resolve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/xalloc.h"

struct shared {
    pthread_mutex_t mutex;
    int refs;
    int pipe_fds[2];                  /* [0] read by the loop, [1] written by the thread */
    char host[256];
    char address[HOST_ADDRESS_MAX];   /* "" until found */
    char error[160];
};

struct host_lookup {
    struct shared *shared;
    struct event *ready;
    host_resolved_fn done;
    void *arg;
};

bool host_is_address(const char *host)
{
    unsigned char buf[sizeof(struct in6_addr)];
    return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

static void shared_release(struct shared *s)
{
    pthread_mutex_lock(&s->mutex);
    int left = --s->refs;
    pthread_mutex_unlock(&s->mutex);
    if (left > 0)
        return;
    close(s->pipe_fds[0]);
    close(s->pipe_fds[1]);
    pthread_mutex_destroy(&s->mutex);
    free(s);
}

static void resolve(struct shared *s)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(s->host, NULL, &hints, &res);
    char address[HOST_ADDRESS_MAX] = "";
    char error[160] = "";
    if (rc != 0 || res == NULL) {
        snprintf(error, sizeof error, "cannot resolve %.80s: %s", s->host, gai_strerror(rc));
    } else {
        const void *addr = res->ai_family == AF_INET
                               ? (const void *)&((struct sockaddr_in *)res->ai_addr)->sin_addr
                               : (const void *)&((struct sockaddr_in6 *)res->ai_addr)->sin6_addr;
        if (inet_ntop(res->ai_family, addr, address, sizeof address) == NULL)
            snprintf(error, sizeof error, "cannot resolve %.80s: unusable address", s->host);
    }
    if (res != NULL)
        freeaddrinfo(res);
    pthread_mutex_lock(&s->mutex);
    memcpy(s->address, address, sizeof address);
    memcpy(s->error, error, sizeof error);
    pthread_mutex_unlock(&s->mutex);
}

static void signal_ready(struct shared *s)
{
    char byte = 1;
    ssize_t rc;
    do
        rc = write(s->pipe_fds[1], &byte, 1);
    while (rc < 0 && errno == EINTR);
}

static void *resolver_thread(void *arg)
{
    struct shared *s = arg;
    resolve(s);
    signal_ready(s);
    shared_release(s);
    return NULL;
}

static void on_ready(evutil_socket_t fd, short what, void *arg)
{
    struct host_lookup *l = arg;
    (void)fd;
    (void)what;
    char address[HOST_ADDRESS_MAX];
    char error[160];
    pthread_mutex_lock(&l->shared->mutex);
    memcpy(address, l->shared->address, sizeof address);
    memcpy(error, l->shared->error, sizeof error);
    pthread_mutex_unlock(&l->shared->mutex);
    host_resolved_fn done = l->done;
    void *done_arg = l->arg;
    event_free(l->ready);
    shared_release(l->shared);
    free(l);
    /* after freeing: done may start the next lookup or free its owner */
    if (address[0] != '\0')
        done(address, NULL, done_arg);
    else
        done(NULL, error[0] ? error : "cannot resolve the host", done_arg);
}

struct host_lookup *host_lookup_start(struct event_base *base, const char *host,
                                      host_resolved_fn done, void *arg)
{
    struct shared *s = xcalloc(1, sizeof *s);
    if (strlen(host) >= sizeof s->host || pipe(s->pipe_fds) != 0) {
        free(s);
        return NULL;
    }
    fcntl(s->pipe_fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(s->pipe_fds[1], F_SETFD, FD_CLOEXEC);
    pthread_mutex_init(&s->mutex, NULL);
    strcpy(s->host, host);
    s->refs = 1;
    struct host_lookup *l = xcalloc(1, sizeof *l);
    l->shared = s;
    l->done = done;
    l->arg = arg;
    l->ready = event_new(base, s->pipe_fds[0], EV_READ, on_ready, l);
    event_add(l->ready, NULL);
    if (host_is_address(host)) {
        strcpy(s->address, host);
        signal_ready(s);
        return l;
    }
    pthread_attr_t attr;
    pthread_t thread;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    s->refs = 2;
    int rc = pthread_create(&thread, &attr, resolver_thread, s);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        s->refs = 1;
        host_lookup_cancel(l);
        return NULL;
    }
    return l;
}

void host_lookup_cancel(struct host_lookup *lookup)
{
    if (lookup == NULL)
        return;
    event_free(lookup->ready);
    shared_release(lookup->shared);
    free(lookup);
}
