/* tests/unit/test_redis_reconnect.c: redis_reconnect against a TCP listener of the test's
 * own (no Redis needed: the helper only connects; what is said on the link is its
 * owner's): it connects at once, makes the link anew after the server hangs up, after a
 * refused connect (waiting longer each time, until the link proves healthy), after a drop
 * and after a connect that hangs, and its hooks see each step. */
#include <event2/listener.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "fake_telnyx.h"
#include "store/redis_reconnect.h"

#define MAX_SEEN 16

/* ---- a listener that accepts and holds every connection ---- */

struct listener {
    struct evconnlistener *l;
    int port;
    int fds[MAX_SEEN];
    int accepted;
};

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
                      int socklen, void *arg)
{
    struct listener *ls = arg;
    (void)l;
    (void)sa;
    (void)socklen;
    if (ls->accepted < MAX_SEEN)
        ls->fds[ls->accepted++] = fd;
    else
        close(fd);
}

static int port_of(int fd)
{
    struct sockaddr_in sin;
    socklen_t len = sizeof sin;
    getsockname(fd, (struct sockaddr *)&sin, &len);
    return ntohs(sin.sin_port);
}

static void listener_start(struct listener *ls, struct event_base *base)
{
    memset(ls, 0, sizeof *ls);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    ls->l = evconnlistener_new_bind(base, on_accept, ls, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE,
                                    16, (struct sockaddr *)&sin, sizeof sin);
    ls->port = port_of(evconnlistener_get_fd(ls->l));
}

/* Closes the server's end of the i-th connection. */
static void listener_hang_up(struct listener *ls, int i)
{
    close(ls->fds[i]);
    ls->fds[i] = -1;
}

static void listener_stop(struct listener *ls)
{
    evconnlistener_free(ls->l);
    for (int i = 0; i < ls->accepted; i++)
        if (ls->fds[i] >= 0)
            close(ls->fds[i]);
}

/* A loopback port nobody listens on: bind, read it, close. */
static int closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(fd, (struct sockaddr *)&sin, sizeof sin);
    int port = port_of(fd);
    close(fd);
    return port;
}

/* ---- what the hooks saw ---- */

struct seen {
    struct redis_reconnect *r;      /* set once create returns */
    bool is_healthy_after_down;     /* mark the link healthy in every down hook */
    int connecting, connected, downs;
    enum redis_reconnect_cause causes[MAX_SEEN];
    long long down_ms[MAX_SEEN];
    char error[128];
    int context_left_in_down;       /* downs that still saw a context: must stay 0 */
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_connecting(void *arg)
{
    struct seen *s = arg;
    s->connecting++;
}

static void on_connected(redisAsyncContext *ac, void *arg)
{
    struct seen *s = arg;
    s->connected++;
    CHECK(ac != NULL);
    CHECK(s->r == NULL || redis_reconnect_context(s->r) == ac);
}

static void on_down(enum redis_reconnect_cause cause, const char *error, void *arg)
{
    struct seen *s = arg;
    if (s->downs < MAX_SEEN) {
        s->causes[s->downs] = cause;
        s->down_ms[s->downs] = now_ms();
    }
    s->downs++;
    snprintf(s->error, sizeof s->error, "%s", error != NULL ? error : "");
    if (s->r != NULL && redis_reconnect_context(s->r) != NULL)
        s->context_left_in_down++;
    if (s->r != NULL && s->is_healthy_after_down)
        redis_reconnect_mark_healthy(s->r);
}

static const struct redis_reconnect_hooks hooks = {
    .connecting = on_connecting, .connected = on_connected, .down = on_down,
};

/* ---- tests ---- */

static void test_connects_at_once_and_again_after_the_server_hangs_up(void)
{
    struct event_base *base = event_base_new();
    struct listener ls;
    listener_start(&ls, base);
    struct seen s = {0};
    s.r = redis_reconnect_create(base, "127.0.0.1", ls.port, 1000, &hooks, &s);
    CHECK_INT_EQ(s.connecting, 1);
    CHECK(redis_reconnect_context(s.r) != NULL);
    CHECK(run_until(base, &s.connected, 1, 2000));
    CHECK(run_until(base, &ls.accepted, 1, 2000));
    listener_hang_up(&ls, 0);
    CHECK(run_until(base, &s.downs, 1, 2000));
    CHECK_INT_EQ(s.causes[0], REDIS_RECONNECT_DISCONNECTED);
    CHECK(s.error[0] != '\0');
    CHECK(redis_reconnect_context(s.r) == NULL);
    CHECK(run_until(base, &s.connected, 2, 2000));  /* after 25..75 ms */
    CHECK_INT_EQ(s.connecting, 2);
    CHECK_INT_EQ(s.downs, 1);
    CHECK_INT_EQ(s.context_left_in_down, 0);
    redis_reconnect_free(s.r);
    CHECK_INT_EQ(s.downs, 1);                       /* freeing is no loss to report */
    listener_stop(&ls);
    event_base_free(base);
}

static void test_a_refused_connect_is_tried_again_later_each_time(void)
{
    struct event_base *base = event_base_new();
    struct seen s = {0};
    s.r = redis_reconnect_create(base, "127.0.0.1", closed_port(), 1000, &hooks, &s);
    CHECK(run_until(base, &s.downs, 5, 5000));
    CHECK_INT_EQ(s.connected, 0);
    for (int i = 0; i < 5; i++)
        CHECK_INT_EQ(s.causes[i], REDIS_RECONNECT_CONNECT_FAILED);
    CHECK(s.error[0] != '\0');
    /* Retry n waits 50 * 2^(n-1) ms jittered to 50..150%: the fourth waits 200 ms or more. */
    CHECK(s.down_ms[4] - s.down_ms[3] >= 200);
    CHECK_INT_EQ(s.context_left_in_down, 0);
    redis_reconnect_free(s.r);
    event_base_free(base);
}

static void test_a_healthy_link_brings_the_backoff_back_to_its_shortest(void)
{
    struct event_base *base = event_base_new();
    struct seen s = {0};
    s.r = redis_reconnect_create(base, "127.0.0.1", closed_port(), 1000, &hooks, &s);
    CHECK(run_until(base, &s.downs, 4, 5000));
    s.is_healthy_after_down = true;
    CHECK(run_until(base, &s.downs, 6, 5000));
    /* Without it the fifth retry would wait 400 ms or more; with it 25..75 ms. */
    CHECK(s.down_ms[5] - s.down_ms[4] < 300);
    redis_reconnect_free(s.r);
    event_base_free(base);
}

static void test_a_dropped_link_is_made_anew(void)
{
    struct event_base *base = event_base_new();
    struct listener ls;
    listener_start(&ls, base);
    struct seen s = {0};
    s.r = redis_reconnect_create(base, "127.0.0.1", ls.port, 1000, &hooks, &s);
    CHECK(run_until(base, &s.connected, 1, 2000));
    redis_reconnect_drop(s.r);
    CHECK_INT_EQ(s.downs, 1);
    CHECK_INT_EQ(s.causes[0], REDIS_RECONNECT_DROPPED);
    CHECK_STR_EQ(s.error, "");
    CHECK(redis_reconnect_context(s.r) == NULL);
    redis_reconnect_drop(s.r);                      /* while down: nothing */
    CHECK_INT_EQ(s.downs, 1);
    CHECK(run_until(base, &s.connected, 2, 2000));
    CHECK(run_until(base, &ls.accepted, 2, 2000));
    CHECK_INT_EQ(s.context_left_in_down, 0);
    redis_reconnect_free(s.r);
    listener_stop(&ls);
    event_base_free(base);
}

/* A listener whose accept queue is full: the kernel drops further SYNs, so a connect to it
 * hangs. With backlog 0 Linux queues one connection, which a first blocking connect takes. */
static void test_a_connect_that_hangs_ends_at_its_limit(void)
{
    struct event_base *base = event_base_new();
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(lfd, (struct sockaddr *)&sin, sizeof sin);
    listen(lfd, 0);
    sin.sin_port = htons((unsigned short)port_of(lfd));
    int filler = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(connect(filler, (struct sockaddr *)&sin, sizeof sin) == 0);
    struct seen s = {0};
    s.r = redis_reconnect_create(base, "127.0.0.1", port_of(lfd), 100, &hooks, &s);
    CHECK(run_until(base, &s.downs, 1, 3000));
    CHECK_INT_EQ(s.causes[0], REDIS_RECONNECT_CONNECT_TIMED_OUT);
    CHECK_INT_EQ(s.connected, 0);
    CHECK_INT_EQ(s.context_left_in_down, 0);
    redis_reconnect_free(s.r);
    close(filler);
    close(lfd);
    event_base_free(base);
}

int main(void)
{
    RUN(test_connects_at_once_and_again_after_the_server_hangs_up);
    RUN(test_a_refused_connect_is_tried_again_later_each_time);
    RUN(test_a_healthy_link_brings_the_backoff_back_to_its_shortest);
    RUN(test_a_dropped_link_is_made_anew);
    RUN(test_a_connect_that_hangs_ends_at_its_limit);
    return check_summary();
}
