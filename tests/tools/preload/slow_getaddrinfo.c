/* tests/tools/preload/slow_getaddrinfo.c: an LD_PRELOAD getaddrinfo for the tests of
 * resolving host names off the event loop (tests/integration/test_host_names.py). A name
 * ending in ".slow.test" takes FD_TEST_SLOW_DNS_MS (default 3000) milliseconds and
 * resolves to 127.0.0.1, as a slow DNS server would make it; every other name goes to
 * the real getaddrinfo at once. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int (*getaddrinfo_fn)(const char *, const char *, const struct addrinfo *, struct addrinfo **);

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                struct addrinfo **res)
{
    getaddrinfo_fn real = (getaddrinfo_fn)dlsym(RTLD_NEXT, "getaddrinfo");
    static const char suffix[] = ".slow.test";
    size_t n = node ? strlen(node) : 0;
    if (n > sizeof suffix - 1 && strcmp(node + n - (sizeof suffix - 1), suffix) == 0) {
        const char *ms_text = getenv("FD_TEST_SLOW_DNS_MS");
        long ms = ms_text ? atol(ms_text) : 3000;
        struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        node = "127.0.0.1";
    }
    return real(node, service, hints, res);
}
