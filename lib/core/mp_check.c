/* lib/core/mp_check.c: see mp_check.h. Walks the object's headers once, counting the
 * elements still to read, without unpacking anything. */
#include "core/mp_check.h"

#include <stdint.h>

static uint64_t be(const unsigned char *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

bool mp_sizes_fit(const void *data, size_t len)
{
    const unsigned char *p = data;
    size_t pos = 0;
    uint64_t need = 1;
    while (need > 0) {
        if (pos >= len)
            return false;
        unsigned char b = p[pos++];
        uint64_t items = 0, skip = 0;
        size_t hdr = 0;
        need--;
        if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
            continue;
        } else if (b >= 0x80 && b <= 0x8f) {
            items = 2u * (b & 0x0fu);
        } else if (b >= 0x90 && b <= 0x9f) {
            items = b & 0x0fu;
        } else if (b >= 0xa0 && b <= 0xbf) {
            skip = b & 0x1fu;
        } else if (b == 0xc4 || b == 0xd9) {
            hdr = 1;
        } else if (b == 0xc5 || b == 0xda) {
            hdr = 2;
        } else if (b == 0xc6 || b == 0xdb) {
            hdr = 4;
        } else if (b >= 0xc7 && b <= 0xc9) {
            hdr = b == 0xc7 ? 1 : b == 0xc8 ? 2 : 4;
        } else if (b == 0xca || b == 0xcb) {
            skip = b == 0xca ? 4 : 8;
        } else if ((b >= 0xcc && b <= 0xcf) || (b >= 0xd0 && b <= 0xd3)) {
            skip = 1u << (b & 3u);
        } else if (b >= 0xd4 && b <= 0xd8) {
            skip = 1 + (1u << (b - 0xd4));
        } else if (b == 0xdc || b == 0xdd || b == 0xde || b == 0xdf) {
            size_t n = b == 0xdc || b == 0xde ? 2 : 4;
            if (len - pos < n)
                return false;
            items = be(p + pos, n) * (b >= 0xde ? 2 : 1);
            pos += n;
        } else {
            return false;               /* 0xc1 is never used */
        }
        if (hdr > 0) {
            if (len - pos < hdr)
                return false;
            skip = be(p + pos, hdr) + (b >= 0xc7 && b <= 0xc9 ? 1 : 0);
            pos += hdr;
        }
        if (skip > len - pos || items > len - pos)
            return false;
        pos += (size_t)skip;
        need += items;
    }
    return true;
}
