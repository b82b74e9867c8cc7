/* workers/retention_daily.h: the daily deletion of transcripts and texts older than
 * FRONTDESK_RETENTION_DAYS (schema/0014_retention.sql), run by one worker a UTC day. */
#ifndef FD_RETENTION_DAILY_H
#define FD_RETENTION_DAILY_H

struct worker;
struct retention_daily;

/* NULL when retention is off (FRONTDESK_RETENTION_DAYS=0). Borrows w, which outlives it. */
struct retention_daily *retention_daily_create(struct worker *w);
/* Stops asking PostgreSQL for more batches (a batch in flight ends on its own). NULL is fine. */
void retention_daily_stop(struct retention_daily *r);
/* NULL is fine. After the PostgreSQL connection is freed (its callbacks have run). */
void retention_daily_free(struct retention_daily *r);
/* Once a minute: takes today's key in Redis if no worker has, then deletes in batches. */
void retention_daily_tick(struct retention_daily *r, long long now_ms);

#endif
