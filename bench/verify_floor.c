/* bench/verify_floor.c: the CPU cost of one Ed25519 verification with libsodium on
 * one core, the yardstick of `make bench`: a verified webhook cannot cost less.
 *
 * Usage: verify_floor [SECONDS [BYTES...]]   (defaults: 2 s, one 1024-byte message)
 * For each size it signs one random message of that many bytes, verifies it in a loop
 * for about SECONDS of CPU time, and prints one line:
 *   verify_floor bytes=N verifies=N cpu_us_per_verify=F wall_us_per_verify=F
 * Exit status 1 if libsodium fails or a verification is refused. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define VERIFY_BATCH 64

static double clock_s(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Verifies a signed message of msg_len bytes for about seconds of CPU; 0 on success. */
static int measure(size_t msg_len, double seconds)
{
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    unsigned char sig[crypto_sign_BYTES];
    unsigned char *msg = malloc(msg_len ? msg_len : 1);
    if (msg == NULL) {
        fprintf(stderr, "verify_floor: out of memory\n");
        return 1;
    }
    crypto_sign_keypair(pk, sk);
    randombytes_buf(msg, msg_len);
    crypto_sign_detached(sig, NULL, msg, msg_len, sk);

    long long verifies = 0;
    int failures = 0;
    double cpu0 = clock_s(CLOCK_THREAD_CPUTIME_ID), wall0 = clock_s(CLOCK_MONOTONIC);
    double cpu1 = cpu0;
    while (cpu1 - cpu0 < seconds) {
        for (int i = 0; i < VERIFY_BATCH; i++)
            failures += crypto_sign_verify_detached(sig, msg, msg_len, pk) != 0;
        verifies += VERIFY_BATCH;
        cpu1 = clock_s(CLOCK_THREAD_CPUTIME_ID);
    }
    double wall1 = clock_s(CLOCK_MONOTONIC);
    free(msg);
    if (failures != 0) {
        fprintf(stderr, "verify_floor: %d verifications failed\n", failures);
        return 1;
    }
    printf("verify_floor bytes=%zu verifies=%lld cpu_us_per_verify=%.2f wall_us_per_verify=%.2f\n",
           msg_len, verifies, (cpu1 - cpu0) * 1e6 / (double)verifies,
           (wall1 - wall0) * 1e6 / (double)verifies);
    return 0;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 2.0;
    if (seconds <= 0 || seconds > 60) {
        fprintf(stderr, "usage: verify_floor [SECONDS (0-60] [BYTES...]]\n");
        return 2;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "verify_floor: libsodium failed to initialise\n");
        return 1;
    }
    if (argc <= 2)
        return measure(1024, seconds);
    for (int i = 2; i < argc; i++) {
        long bytes = atol(argv[i]);
        if (bytes < 0 || bytes > 1024 * 1024) {
            fprintf(stderr, "verify_floor: BYTES must be 0..1048576, not %s\n", argv[i]);
            return 2;
        }
        if (measure((size_t)bytes, seconds) != 0)
            return 1;
    }
    return 0;
}
