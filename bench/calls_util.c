/* bench/calls_util.c: see calls_util.h. */
#include "calls_util.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void *must(void *p)
{
    if (p == NULL) {
        fprintf(stderr, "calls_driver: out of memory\n");
        exit(1);
    }
    return p;
}

void uuid4(char out[37])
{
    unsigned char b[16];
    randombytes_buf(b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
}

void iso_time(double t, char out[32])
{
    time_t sec = (time_t)t;
    struct tm tm;
    gmtime_r(&sec, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%06dZ", (int)((t - (double)sec) * 1e6));
}

int count_words(const char *s)
{
    int n = 0;
    for (bool in_word = false; *s != '\0'; s++) {
        bool is_space = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v';
        n += !is_space && !in_word;
        in_word = !is_space;
    }
    return n;
}
