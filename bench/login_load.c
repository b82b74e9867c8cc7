/* bench/login_load.c: keeps CONNS logins in flight against frontdesk-web for a while,
 * for bench/run-web-bench.sh, which measures other requests meanwhile (each login
 * hashes a password with argon2id on the web's hashing pool).
 *
 * Usage: login_load HOST PORT CONNS SECONDS FILE
 *   FILE     login bodies ({"email": ..., "password": ...}), one a line, used in turn
 * Each login goes on a new connection from a loopback address of its own (127.1.0.1,
 * 127.1.0.2, ...): frontdesk-web allows 30 attempts per client address a minute, and the
 * benchmark wants hashing, not 429s. Prints one line starting with "LOGINS" (counts,
 * logins per second, p50/p99/max latency in µs, from connect to the whole answer);
 * the first answer that is not 200 goes to stderr. Exit status 1 on a set-up failure;
 * counts of failures are for the caller.
 *
 * Workload: tens of logins a second at most (each costs the server ~50 ms of CPU), so
 * one blocking thread per connection is simplest. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "latency.h"

#define LOGIN_CONNS_MAX 256
#define LOGIN_ANSWER_MAX 65536

struct login_load {
    struct sockaddr_in server;
    char host_header[64];
    char **bodies;                      /* owned, nbodies */
    size_t nbodies;
    double deadline_s;
    atomic_uint next_address;           /* last octets of the next source address */
    atomic_uint next_body;
    atomic_long ok, not_ok, errors;
    atomic_bool has_reported;           /* the first unexpected answer went to stderr */
};

struct login_thread {
    struct login_load *load;            /* borrowed */
    pthread_t thread;
    struct latency_log latency;         /* one per answered login */
};

/* A new socket bound to the next source address (127.1.x.y) and connected; -1 on failure. */
static int connect_from_next_address(struct login_load *l)
{
    unsigned n = atomic_fetch_add(&l->next_address, 1);
    struct sockaddr_in source = {.sin_family = AF_INET};
    source.sin_addr.s_addr = htonl((127u << 24) | (1u << 16) | (1 + n % 65000));
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    if (bind(fd, (struct sockaddr *)&source, sizeof source) != 0 ||
        connect(fd, (struct sockaddr *)&l->server, sizeof l->server) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static bool write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

/* Sends one login and reads the answer to its end (the server closes: Connection:
 * close). Returns the HTTP status, or -1 when the exchange failed. */
static int one_login(struct login_load *l, char *answer)
{
    const char *body = l->bodies[atomic_fetch_add(&l->next_body, 1) % l->nbodies];
    char head[256];
    int head_len = snprintf(head, sizeof head,
                            "POST /api/v1/login HTTP/1.1\r\nHost: %s\r\n"
                            "Content-Type: application/json\r\nContent-Length: %zu\r\n"
                            "Connection: close\r\n\r\n", l->host_header, strlen(body));
    int fd = connect_from_next_address(l);
    if (fd < 0)
        return -1;
    int status = -1;
    size_t got = 0;
    if (write_all(fd, head, (size_t)head_len) && write_all(fd, body, strlen(body))) {
        ssize_t n;
        while (got < LOGIN_ANSWER_MAX - 1 &&
               ((n = read(fd, answer + got, LOGIN_ANSWER_MAX - 1 - got)) > 0 ||
                (n < 0 && errno == EINTR)))
            got += n > 0 ? (size_t)n : 0;
        answer[got] = '\0';
        if (strncmp(answer, "HTTP/1.", 7) != 0 || sscanf(answer + 9, "%3d", &status) != 1)
            status = -1;
    }
    close(fd);
    return status;
}

static void *run_logins(void *arg)
{
    struct login_thread *t = arg;
    struct login_load *l = t->load;
    char *answer = malloc(LOGIN_ANSWER_MAX);
    if (answer == NULL)
        return NULL;
    while (latency_now_s() < l->deadline_s) {
        double start = latency_now_s();
        int status = one_login(l, answer);
        if (status < 0) {
            atomic_fetch_add(&l->errors, 1);
            continue;
        }
        latency_log_add(&t->latency, (latency_now_s() - start) * 1e6);
        if (status == 200) {
            atomic_fetch_add(&l->ok, 1);
        } else {
            atomic_fetch_add(&l->not_ok, 1);
            if (!atomic_exchange(&l->has_reported, true))
                fprintf(stderr, "login_load: an answer that is not 200:\n%.600s\n", answer);
        }
    }
    free(answer);
    return NULL;
}

/* Reads the lines of path into l->bodies; 0 on success. */
static int read_bodies(struct login_load *l, const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "login_load: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        char **more = realloc(l->bodies, (l->nbodies + 1) * sizeof *more);
        char *copy = strdup(line);
        if (more == NULL || copy == NULL) {
            free(copy);
            l->bodies = more ? more : l->bodies;
            break;
        }
        l->bodies = more;
        l->bodies[l->nbodies++] = copy;
    }
    free(line);
    fclose(f);
    if (l->nbodies == 0) {
        fprintf(stderr, "login_load: no login bodies in %s\n", path);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: login_load HOST PORT CONNS SECONDS FILE\n");
        return 2;
    }
    static struct login_load l;
    static struct login_thread threads[LOGIN_CONNS_MAX];
    int conns = atoi(argv[3]);
    double seconds = atof(argv[4]);
    l.server.sin_family = AF_INET;
    l.server.sin_port = htons((uint16_t)atoi(argv[2]));
    if (conns < 1 || conns > LOGIN_CONNS_MAX || seconds <= 0 ||
        inet_pton(AF_INET, argv[1], &l.server.sin_addr) != 1) {
        fprintf(stderr, "login_load: need an IPv4 HOST, 1 <= CONNS <= %d and SECONDS > 0\n",
                LOGIN_CONNS_MAX);
        return 2;
    }
    snprintf(l.host_header, sizeof l.host_header, "%s:%s", argv[1], argv[2]);
    if (read_bodies(&l, argv[5]) != 0)
        return 1;
    double start = latency_now_s();
    l.deadline_s = start + seconds;
    int started = 0;
    for (; started < conns; started++) {
        threads[started].load = &l;
        if (pthread_create(&threads[started].thread, NULL, run_logins, &threads[started]) != 0) {
            fprintf(stderr, "login_load: cannot start thread %d\n", started);
            l.deadline_s = 0;       /* the others stop after their login in flight */
            break;
        }
    }
    struct latency_log all = {0};
    for (int i = 0; i < started; i++) {
        pthread_join(threads[i].thread, NULL);
        latency_log_append(&all, &threads[i].latency);
        latency_log_free(&threads[i].latency);
    }
    double elapsed = latency_now_s() - start;
    latency_log_sort(&all);
    printf("LOGINS conns=%d seconds=%.1f requests=%ld ok=%ld not_ok=%ld errors=%ld rate=%.1f "
           "p50_us=%.0f p99_us=%.0f max_us=%.0f\n", conns, elapsed,
           all.n + atomic_load(&l.errors), atomic_load(&l.ok), atomic_load(&l.not_ok),
           atomic_load(&l.errors), (double)all.n / elapsed, latency_log_percentile(&all, 50),
           latency_log_percentile(&all, 99), latency_log_max(&all));
    latency_log_free(&all);
    for (size_t i = 0; i < l.nbodies; i++)
        free(l.bodies[i]);
    free(l.bodies);
    return started == conns ? 0 : 1;
}
