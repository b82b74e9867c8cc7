/* lib/core/mp_check.h: a check to run on MessagePack bytes from outside (a Redis value,
 * a stream entry) before msgpack-c unpacks them. msgpack-c allocates a container's
 * elements when it reads the container's header, so without it a few bytes could ask
 * for gigabytes. */
#ifndef FD_MP_CHECK_H
#define FD_MP_CHECK_H
#include <stdbool.h>
#include <stddef.h>

/* True if data[0..len) starts with one whole MessagePack object every container of which
 * declares no more elements than bytes remain. */
bool mp_sizes_fit(const void *data, size_t len);

#endif
