/* lib/receptionist_tools.c: see receptionist_tools.h. */
#include "receptionist_tools.h"

#include <string.h>

static const char *const names[] = {"", "check_availability", "book", "cancel_booking",
                                    "transfer", "take_message", "end_call"};

const char *rtool_name(enum rtool tool)
{
    return (unsigned)tool < sizeof names / sizeof names[0] ? names[tool] : "";
}

enum rtool rtool_from_name(const char *name)
{
    for (size_t i = 1; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0)
            return (enum rtool)i;
    return RTOOL_NONE;
}
