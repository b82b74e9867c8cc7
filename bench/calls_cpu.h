/* bench/calls_cpu.h: what the processes a benchmark names did with the CPU, from /proc,
 * read by the calls driver when its calls start and when the last one has ended, so
 * each figure covers the measured run and nothing else: the CPU time each used, and the
 * time its threads were ready to run but waited for a core (the kernel's schedstat),
 * which says how much the shared cores delayed it. */
#ifndef FD_BENCH_CALLS_CPU_H
#define FD_BENCH_CALLS_CPU_H

#include <stdbool.h>

struct cpu_use {
    double run_s;               /* user + system time */
    double wait_s;              /* runnable, waiting for a core */
};

/* The use of pid so far, with its children's when with_children (PostgreSQL's backends
 * are children of the postmaster); zeros for a process that is gone. */
struct cpu_use cpu_use_of(int pid, bool with_children);

#endif
