/* lib/store/outbox_insert.h: the statement the outbox drain (outbox_drain.c) writes a
 * table's rows of one batch with: INSERT INTO <table> (business_id, id, <the columns any
 * row sets>) VALUES ($1, ...), ... ON CONFLICT (id) DO NOTHING, business_id always the
 * stream's tenant, a column a row leaves out its DEFAULT. */
#ifndef FD_OUTBOX_INSERT_H
#define FD_OUTBOX_INSERT_H

#include "store/outbox_record.h"

struct evbuffer;

/* Appends the NUL-terminated statement for nrows (> 0) rows of table (borrowed) to sql and
 * returns its parameters ($1 business_id, then the rows' keys and values), which point
 * into business_id and rows: owned by the caller (free() the array), valid while they
 * are. *nparams is their count. */
const char **outbox_insert_build(const char *business_id, const struct outbox_table *table,
                                 const struct outbox_values *const *rows, int nrows,
                                 struct evbuffer *sql, int *nparams);

#endif
