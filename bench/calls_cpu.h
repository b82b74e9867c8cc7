/* bench/calls_cpu.h: CPU time of the processes a benchmark names, from /proc, read by
 * the calls driver when its calls start and when the last one has ended, so each
 * process's share covers the measured run and nothing else. */
#ifndef FD_BENCH_CALLS_CPU_H
#define FD_BENCH_CALLS_CPU_H

#include <stdbool.h>

/* User + system time of pid in seconds, with its children's when with_children
 * (PostgreSQL's backends are children of the postmaster); 0 for a process that is gone. */
double cpu_seconds(int pid, bool with_children);

#endif
