/* bench/calls_util.h: small helpers the calls driver's files share. */
#ifndef FD_BENCH_CALLS_UTIL_H
#define FD_BENCH_CALLS_UTIL_H

/* p, or an exit on out-of-memory: a benchmark that lost a record has nothing to say. */
void *must(void *p);
/* A random (version 4) UUID in its 36-character form. */
void uuid4(char out[37]);
/* t (seconds since the epoch) as Telnyx's times: "2026-01-02T03:04:05.678901Z". */
void iso_time(double t, char out[32]);
/* Words of s, split on whitespace as Python's str.split() does for ASCII. */
int count_words(const char *s);

#endif
