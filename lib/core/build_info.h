/* lib/core/build_info.h: the version a binary was built from (git describe, baked in
 * by the Makefile), shown by --version and by the frontdesk_build_info metric, so an
 * operator can tell which release a pod runs without trusting the image tag. */
#ifndef FD_BUILD_INFO_H
#define FD_BUILD_INFO_H
#include <stdbool.h>

struct evbuffer;

/* Defined in the generated $(BUILD)/gen/build_version.c; "unknown" outside git. */
extern const char build_info_version[];

/* True when argv[1] is --version: "<program> <version>" is printed on stdout and the
 * caller exits 0 without reading any configuration. */
bool build_info_is_version_asked(int argc, char **argv, const char *program);

/* Writes the frontdesk_build_info gauge (always 1; the version and binary are labels). */
void build_info_write_metric(struct evbuffer *out, const char *binary);

#endif
