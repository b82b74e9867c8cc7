/* lib/core/build_info.c: see build_info.h. */
#include "core/build_info.h"

#include <event2/buffer.h>
#include <stdio.h>
#include <string.h>

#include "core/metrics.h"

bool build_info_is_version_asked(int argc, char **argv, const char *program)
{
    if (argc < 2 || strcmp(argv[1], "--version") != 0)
        return false;
    printf("%s %s\n", program, build_info_version);
    return true;
}

void build_info_write_metric(struct evbuffer *out, const char *binary)
{
    metrics_write_header(out, "frontdesk_build_info", "gauge",
                         "Always 1; the version (git describe) this binary was built from.");
    evbuffer_add_printf(out, "frontdesk_build_info{version=\"%s\",binary=\"%s\"} 1\n",
                        build_info_version, binary);
}
