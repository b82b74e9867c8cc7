/* bench/calls_cpu.c: see calls_cpu.h. Scanning /proc for children takes a few
 * milliseconds; it is done twice a run, outside the measured intervals. */
#include "calls_cpu.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* utime + stime (fields 14 and 15 of /proc/PID/stat, every thread's) in ticks, and the
 * parent's PID; false if the process is gone. */
static bool read_stat(int pid, long long *ticks, int *ppid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return false;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *rest = strrchr(buf, ')');     /* the command name may hold spaces */
    long long utime, stime;
    if (rest == NULL || sscanf(rest + 2, "%*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lld %lld",
                               ppid, &utime, &stime) != 3)
        return false;
    *ticks = utime + stime;
    return true;
}

/* Nanoseconds the threads of pid spent runnable but not running (the second field of
 * /proc/PID/task/TID/schedstat); threads that have exited are not counted. */
static long long wait_ns(int pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", pid);
    DIR *d = opendir(path);
    long long total = 0;
    for (struct dirent *e = d ? readdir(d) : NULL; e != NULL; e = readdir(d)) {
        int tid = atoi(e->d_name);
        if (tid <= 0)
            continue;
        char stat_path[96];
        long long run, wait;
        snprintf(stat_path, sizeof stat_path, "/proc/%d/task/%d/schedstat", pid, tid);
        FILE *f = fopen(stat_path, "r");
        if (f != NULL && fscanf(f, "%lld %lld", &run, &wait) == 2)
            total += wait;
        if (f != NULL)
            fclose(f);
    }
    if (d != NULL)
        closedir(d);
    return total;
}

struct cpu_use cpu_use_of(int pid, bool with_children)
{
    long long ticks = 0, waited = 0, t;
    int ppid;
    if (read_stat(pid, &t, &ppid)) {
        ticks += t;
        waited += wait_ns(pid);
    }
    DIR *d = with_children ? opendir("/proc") : NULL;
    for (struct dirent *e = d ? readdir(d) : NULL; e != NULL; e = readdir(d)) {
        int child = atoi(e->d_name);
        if (child > 0 && read_stat(child, &t, &ppid) && ppid == pid) {
            ticks += t;
            waited += wait_ns(child);
        }
    }
    if (d != NULL)
        closedir(d);
    struct cpu_use u = {(double)ticks / (double)sysconf(_SC_CLK_TCK), (double)waited / 1e9};
    return u;
}
