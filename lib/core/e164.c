/* lib/core/e164.c: see e164.h. */
#include "core/e164.h"

bool e164_is_valid(const char *text, size_t len)
{
    if (text == NULL || len < 8 || len > E164_MAX_LEN || text[0] != '+')
        return false;
    if (text[1] < '1' || text[1] > '9')
        return false;
    for (size_t i = 2; i < len; i++)
        if (text[i] < '0' || text[i] > '9')
            return false;
    return true;
}
