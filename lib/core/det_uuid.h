/* lib/core/det_uuid.h: deterministic UUIDs, so that a replayed event produces the same
 * Telnyx command_id and the same PostgreSQL primary keys as the first attempt. */
#ifndef FD_DET_UUID_H
#define FD_DET_UUID_H

/* Writes into out[37] the version-8 UUID made from the SHA-256 of namespace_text and
 * each of the nparts strings, each followed by a 0 byte (so ("ab","c") != ("a","bc")). */
void det_uuid(char out[37], const char *namespace_text, int nparts, const char *const *parts);

/* Convenience for two parts. */
void det_uuid2(char out[37], const char *namespace_text, const char *a, const char *b);

#endif
