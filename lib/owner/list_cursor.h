/* lib/owner/list_cursor.h: the opaque cursor of the owner API's lists (GET
 * /api/v1/calls?cursor=...). Every list is newest first and pages by keyset: a cursor
 * names the last row shown, by its sort key (a time in microseconds, or a version
 * number) and its id, so the next page is "the rows before that one" and a deep page
 * costs what the first does.
 *
 * A cursor is base64url (no padding) of: a format byte, the key (8 bytes, big-endian),
 * the id (16 bytes) and a check (the first 8 bytes of BLAKE2b over the list's scope and
 * the rest). The scope names the list, its filters and the business, so a cursor
 * that was edited, cut short, or made by another list, other filters or another
 * business is refused. The check is not a secret: a cursor grants nothing (its query
 * runs in the session's business under RLS), it only has to mean what it says. */
#ifndef FD_LIST_CURSOR_H
#define FD_LIST_CURSOR_H
#include <stdbool.h>
#include <stdint.h>

#include "store/tenant_keys.h"

#define LIST_CURSOR_LEN 44          /* characters of an encoded cursor */

/* The last row a page showed. */
struct list_position {
    int64_t key;                    /* microseconds since 1970 (times) or a version number */
    char id[FD_UUID_LEN + 1];       /* canonical lowercase UUID */
};

/* Writes pos as a cursor of scope (a NUL-terminated text, any length) into out. False
 * when pos->id is not a UUID. */
bool list_cursor_encode(const struct list_position *pos, const char *scope,
                        char out[LIST_CURSOR_LEN + 1]);
/* Reads text (NUL-terminated) into *out. False when it is not a cursor that
 * list_cursor_encode made for this scope. */
bool list_cursor_decode(const char *text, const char *scope, struct list_position *out);

#endif
