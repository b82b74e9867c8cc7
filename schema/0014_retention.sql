-- 0014_retention.sql (after 0013_message_handlings.sql): transcripts and texts are kept
-- FRONTDESK_RETENTION_DAYS (default 365) and then deleted, every business's, once a day
-- by one worker and by hand with `frontdesk-ctl retention run` (docs/design.md,
-- "Retention").
-- Locking: three new indexes (SHARE on their tables while they build, no rewrite), a new
-- role, policies and functions. Runs in one transaction.
--
-- What goes: conversation_history rows (a call's turns, the transcript) by `at`;
-- sms_messages rows (texts in and out, with their bodies) by `at`; sms_status_reports rows
-- (Telnyx's answers about a text, with its error details) by `at`. What stays: call_logs,
-- call_conversations (a call's record and its summary), bookings and their cancellations,
-- messages taken for the business, leads, billing, opt-outs (a STOP must outlive any
-- retention, or the business would text a number that asked it not to).
--
-- Deleting crosses tenants, which frontdesk_app's policies never allow, and no service may
-- delete records otherwise: retention_delete() is SECURITY DEFINER, owned by the NOLOGIN
-- role frontdesk_retention, whose policies let it see and delete only those three tables'
-- rows older than the limit the function computes itself from PostgreSQL's clock (a
-- caller's wrong clock cannot reach younger rows). It answers counts only, so the worker
-- (frontdesk_app) and the operator (frontdesk_ops) learn nothing of any business's rows.
--
-- Batches: one call deletes at most p_batch rows of each table, oldest first, and commits
-- with its caller's statement, so row locks are held for one batch only; callers repeat
-- while a table still had a whole batch to delete. Two runs at once (the worker's and an
-- operator's) only wait on each other's batch: a row one deleted the other skips.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frontdesk_retention') THEN
        CREATE ROLE frontdesk_retention NOLOGIN;
    END IF;
    EXECUTE format('GRANT frontdesk_retention TO %I', current_user);
END
$$;

-- The oldest rows are found without reading the tables whole.
CREATE INDEX conversation_history_at_idx ON conversation_history (at);
CREATE INDEX sms_messages_at_idx ON sms_messages (at);
CREATE INDEX sms_status_reports_at_idx ON sms_status_reports (at);

-- p_days 1..36500 (0, keep forever, is the callers' to honour: they do not call);
-- p_batch 1..100000; p_dry_run counts every row older than the limit and deletes nothing.
CREATE FUNCTION retention_delete(p_days integer, p_batch integer, p_dry_run boolean)
RETURNS TABLE (what text, rows bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    cutoff timestamptz;
    n bigint;
BEGIN
    IF p_days IS NULL OR p_days < 1 OR p_days > 36500 THEN
        RAISE EXCEPTION 'retention: days must be from 1 to 36500, got %', p_days
            USING ERRCODE = '22023';
    END IF;
    IF p_batch IS NULL OR p_batch < 1 OR p_batch > 100000 THEN
        RAISE EXCEPTION 'retention: batch must be from 1 to 100000, got %', p_batch
            USING ERRCODE = '22023';
    END IF;
    cutoff := now() - make_interval(days => p_days);

    IF p_dry_run THEN
        RETURN QUERY SELECT 'conversation_history'::text, count(*) FROM conversation_history
                      WHERE at < cutoff;
        RETURN QUERY SELECT 'sms_messages'::text, count(*) FROM sms_messages WHERE at < cutoff;
        RETURN QUERY SELECT 'sms_status_reports'::text, count(*) FROM sms_status_reports
                      WHERE at < cutoff;
        RETURN;
    END IF;

    DELETE FROM conversation_history WHERE id IN (
        SELECT id FROM conversation_history WHERE at < cutoff ORDER BY at LIMIT p_batch);
    GET DIAGNOSTICS n = ROW_COUNT;
    what := 'conversation_history'; rows := n; RETURN NEXT;

    DELETE FROM sms_messages WHERE id IN (
        SELECT id FROM sms_messages WHERE at < cutoff ORDER BY at LIMIT p_batch);
    GET DIAGNOSTICS n = ROW_COUNT;
    what := 'sms_messages'; rows := n; RETURN NEXT;

    DELETE FROM sms_status_reports WHERE id IN (
        SELECT id FROM sms_status_reports WHERE at < cutoff ORDER BY at LIMIT p_batch);
    GET DIAGNOSTICS n = ROW_COUNT;
    what := 'sms_status_reports'; rows := n; RETURN NEXT;
END
$$;

-- The limit is also in the policies: even a bug in the function cannot delete a row
-- younger than a day.
CREATE POLICY retention_read ON conversation_history FOR SELECT TO frontdesk_retention
    USING (at < now() - interval '1 day');
CREATE POLICY retention_delete ON conversation_history FOR DELETE TO frontdesk_retention
    USING (at < now() - interval '1 day');
CREATE POLICY retention_read ON sms_messages FOR SELECT TO frontdesk_retention
    USING (at < now() - interval '1 day');
CREATE POLICY retention_delete ON sms_messages FOR DELETE TO frontdesk_retention
    USING (at < now() - interval '1 day');
CREATE POLICY retention_read ON sms_status_reports FOR SELECT TO frontdesk_retention
    USING (at < now() - interval '1 day');
CREATE POLICY retention_delete ON sms_status_reports FOR DELETE TO frontdesk_retention
    USING (at < now() - interval '1 day');
GRANT SELECT, DELETE ON conversation_history, sms_messages, sms_status_reports
    TO frontdesk_retention;
GRANT USAGE ON SCHEMA public TO frontdesk_retention;

GRANT CREATE ON SCHEMA public TO frontdesk_retention;
ALTER FUNCTION retention_delete(integer, integer, boolean) OWNER TO frontdesk_retention;
REVOKE CREATE ON SCHEMA public FROM frontdesk_retention;
REVOKE ALL ON FUNCTION retention_delete(integer, integer, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION retention_delete(integer, integer, boolean)
    TO frontdesk_app, frontdesk_ops;
