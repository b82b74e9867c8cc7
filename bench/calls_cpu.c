/* bench/calls_cpu.c: see calls_cpu.h. Scanning /proc for children takes a few
 * milliseconds; it is done twice a run, outside the measured intervals. */
#include "calls_cpu.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* utime + stime (fields 14 and 15 of /proc/PID/stat) in ticks, and the parent's PID;
 * false if the process is gone. */
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

double cpu_seconds(int pid, bool with_children)
{
    long long total = 0, ticks;
    int ppid;
    if (read_stat(pid, &ticks, &ppid))
        total += ticks;
    DIR *d = with_children ? opendir("/proc") : NULL;
    for (struct dirent *e = d ? readdir(d) : NULL; e != NULL; e = readdir(d)) {
        int child = atoi(e->d_name);
        if (child > 0 && read_stat(child, &ticks, &ppid) && ppid == pid)
            total += ticks;
    }
    if (d != NULL)
        closedir(d);
    return (double)total / (double)sysconf(_SC_CLK_TCK);
}
