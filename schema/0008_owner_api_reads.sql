-- 0008_owner_api_reads.sql (after 0007_accounts.sql): what the owner API's reads need to
-- stay fast on a business with 100,000 calls: indexes for a call's detail page and for
-- the bookings of one day, and each business's figures per local day, kept by triggers
-- as the records arrive, so GET /api/v1/analytics reads at most a row a day instead of
-- every record of the range (lib/owner/analytics.c).
-- Locking: CREATE INDEX holds SHARE on bookings, messages and upsell_opportunities while
-- it builds, and CREATE TRIGGER holds SHARE ROW EXCLUSIVE on call_logs, lead_scores,
-- bookings, messages and usage_events until the commit, which comes after the figures of
-- every record so far are counted (one scan of each of those tables). Both block inserts,
-- not reads: the outbox drain waits and records pile up in Redis meanwhile, nothing is
-- lost. lock_timeout (below) makes the migration fail, to be run again, rather than queue
-- behind a long transaction and stall everything queued behind it.
-- Runs in one transaction (frontdesk-ctl migrate), so the indexes cannot be built
-- CONCURRENTLY here. On a database whose bookings or messages take more than a few
-- seconds to index, an operator first builds them outside any transaction, under the
-- same names, with the four statements below written CREATE INDEX CONCURRENTLY IF NOT
-- EXISTS ...; checks that none is left invalid by a failed build (SELECT indexrelid::regclass
-- FROM pg_index WHERE NOT indisvalid: DROP INDEX CONCURRENTLY it and build it again);
-- then migrates, and IF NOT EXISTS skips them.
--
-- The figures. daily_figures holds, per business and local day, the calls started that
-- day by outcome, the lead scores recorded (count and sum, for the average), the
-- messages taken and the usage events (billable bookings); daily_bookings the bookings
-- recorded that day and still booked, per service (analytics values them at the price
-- of the configuration in force; on a day a new version was saved it reads that day's
-- bookings one by one instead). A record's day is its time in the business's zone.
-- Statement-level AFTER triggers add each INSERT's rows, from its transition table,
-- which holds only the rows actually inserted: a replayed batch (ON CONFLICT DO NOTHING)
-- adds nothing. A cancellation (UPDATE of bookings.status) takes its booking off. The
-- services only insert records (and cancel bookings), so that is all that changes them;
-- a hand edit of records is followed by SELECT daily_figures_recount(ARRAY[business]).
-- A business that changes zone (businesses.timezone) is recounted in that transaction.
-- Each trigger takes a share lock on the rows' businesses before counting, so a change
-- of zone (which locks its business first: lib/owner/agent_versions.c) and the counting
-- take turns and no day is counted in a zone just left. The triggers run as the role
-- that inserts (frontdesk_app, in the tenant's RLS scope), like booking_cancellation_apply.

SET LOCAL lock_timeout = '10s';

-- A call's detail reads its bookings, messages and upsells by the call; analytics reads
-- the bookings of a day by when they were recorded. Nothing reads lead scores or usage
-- events by time any more (analytics reads the figures below), so they get no such
-- index: each one would cost every insert of the drain.
CREATE INDEX IF NOT EXISTS bookings_business_call_idx ON bookings (business_id, call_control_id);
CREATE INDEX IF NOT EXISTS messages_business_call_idx ON messages (business_id, call_control_id);
CREATE INDEX IF NOT EXISTS upsell_opportunities_business_call_idx
    ON upsell_opportunities (business_id, call_log_id);
CREATE INDEX IF NOT EXISTS bookings_business_created_idx ON bookings (business_id, created_at);

CREATE TABLE daily_figures (
    business_id       uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    day               date NOT NULL,
    calls             integer NOT NULL DEFAULT 0,
    answered          integer NOT NULL DEFAULT 0,   -- answered_by_agent
    missed            integer NOT NULL DEFAULT 0,   -- missed, rejected_no_agent
    transferred       integer NOT NULL DEFAULT 0,   -- forwarded
    scored            integer NOT NULL DEFAULT 0,
    score_sum         bigint NOT NULL DEFAULT 0,
    messages          integer NOT NULL DEFAULT 0,
    billable_bookings integer NOT NULL DEFAULT 0,
    PRIMARY KEY (business_id, day)
);

CREATE TABLE daily_bookings (
    business_id uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    day         date NOT NULL,
    service     text NOT NULL,
    bookings    integer NOT NULL DEFAULT 0,
    PRIMARY KEY (business_id, day, service)
);

-- The zone a business's days are counted in: its own, or UTC when PostgreSQL does not
-- know it, so that a bad zone never makes the outbox drain's inserts fail (the owner API
-- cannot serve that business until its zone is fixed, which recounts it).
CREATE FUNCTION daily_figures_zone(p_zone text) RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN
    PERFORM now() AT TIME ZONE p_zone;
    RETURN p_zone;
EXCEPTION WHEN invalid_parameter_value THEN
    RETURN 'UTC';
END
$$;

-- The statement that adds to the figures the rows of p_rows (a table, or a trigger's
-- transition table) holding records of p_source, for the businesses $1 (uuid[]), each
-- row counting $2 (integer: 1, or -1 to take rows off). Rows are grouped and locked in
-- key order, so two transactions counting the same days cannot deadlock on them.
CREATE FUNCTION daily_figures_sql(p_source text, p_rows text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    target text := 'daily_figures';
    at_col text;
    cols text[];
    counts text[];
    by_service boolean := p_source = 'bookings';
BEGIN
    CASE p_source
    WHEN 'call_logs' THEN
        at_col := 'started_at';
        cols := ARRAY['calls', 'answered', 'missed', 'transferred'];
        counts := ARRAY['count(*)', 'count(*) FILTER (WHERE n.outcome = ''answered_by_agent'')',
                        'count(*) FILTER (WHERE n.outcome IN (''missed'', ''rejected_no_agent''))',
                        'count(*) FILTER (WHERE n.outcome = ''forwarded'')'];
    WHEN 'lead_scores' THEN
        at_col := 'created_at';
        cols := ARRAY['scored', 'score_sum'];
        counts := ARRAY['count(*)', 'sum(n.score)'];
    WHEN 'messages' THEN
        at_col := 'taken_at';
        cols := ARRAY['messages'];
        counts := ARRAY['count(*)'];
    WHEN 'usage_events' THEN
        at_col := 'occurred_at';
        cols := ARRAY['billable_bookings'];
        counts := ARRAY['count(*)'];
    WHEN 'bookings' THEN
        target := 'daily_bookings';
        at_col := 'created_at';
        cols := ARRAY['bookings'];
        counts := ARRAY['count(*) FILTER (WHERE n.status = ''booked'')'];
    END CASE;
    RETURN format(
        'WITH zones AS MATERIALIZED (SELECT id, daily_figures_zone(timezone) AS zone '
        '  FROM businesses WHERE id = ANY($1)) '
        'INSERT INTO %1$I AS f (business_id, day%2$s, %3$s) '
        'SELECT n.business_id, (n.%4$I AT TIME ZONE z.zone)::date%5$s, %6$s '
        '  FROM %7$I n JOIN zones z ON z.id = n.business_id '
        ' GROUP BY 1, 2%8$s ORDER BY 1, 2%8$s '
        'ON CONFLICT (business_id, day%2$s) DO UPDATE SET (%3$s) = ROW(%9$s)',
        target,
        CASE WHEN by_service THEN ', service' ELSE '' END,
        array_to_string(cols, ', '),
        at_col,
        CASE WHEN by_service THEN ', n.service' ELSE '' END,
        (SELECT string_agg('$2 * ' || c, ', ') FROM unnest(counts) c),
        p_rows,
        CASE WHEN by_service THEN ', 3' ELSE '' END,
        (SELECT string_agg(format('f.%1$I + EXCLUDED.%1$I', c), ', ') FROM unnest(cols) c));
END
$$;

-- Counts the figures of p_businesses again from their records, in each one's zone.
CREATE FUNCTION daily_figures_recount(p_businesses uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    source text;
BEGIN
    DELETE FROM daily_figures WHERE business_id = ANY(p_businesses);
    DELETE FROM daily_bookings WHERE business_id = ANY(p_businesses);
    FOREACH source IN ARRAY ARRAY['call_logs', 'lead_scores', 'messages', 'usage_events', 'bookings']
    LOOP
        EXECUTE daily_figures_sql(source, source) USING p_businesses, 1;
    END LOOP;
END
$$;

-- The trigger of each table: adds the rows the statement inserted (new_rows), or, for
-- an UPDATE of bookings, takes the rows as they were (old_rows) off and adds them as
-- they are. The transition tables are visible to this function's statements only,
-- hence the EXECUTE here rather than in a function of its own.
CREATE FUNCTION daily_figures_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched uuid[];
BEGIN
    IF TG_OP = 'UPDATE' THEN
        touched := ARRAY(SELECT business_id FROM new_rows UNION SELECT business_id FROM old_rows);
    ELSE
        touched := ARRAY(SELECT DISTINCT business_id FROM new_rows);
    END IF;
    PERFORM 1 FROM businesses WHERE id = ANY(touched) ORDER BY id FOR SHARE;
    IF TG_OP = 'UPDATE' THEN
        EXECUTE daily_figures_sql(TG_TABLE_NAME, 'old_rows') USING touched, -1;
    END IF;
    EXECUTE daily_figures_sql(TG_TABLE_NAME, 'new_rows') USING touched, 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER call_logs_daily_figures AFTER INSERT ON call_logs
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION daily_figures_count();
CREATE TRIGGER lead_scores_daily_figures AFTER INSERT ON lead_scores
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION daily_figures_count();
CREATE TRIGGER messages_daily_figures AFTER INSERT ON messages
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION daily_figures_count();
CREATE TRIGGER usage_events_daily_figures AFTER INSERT ON usage_events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION daily_figures_count();
CREATE TRIGGER bookings_daily_figures AFTER INSERT ON bookings
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION daily_figures_count();
CREATE TRIGGER bookings_daily_figures_changed AFTER UPDATE ON bookings
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION daily_figures_count();

CREATE FUNCTION daily_figures_follow_zone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM daily_figures_recount(ARRAY[NEW.id]);
    RETURN NULL;
END
$$;
CREATE TRIGGER businesses_daily_figures_zone AFTER UPDATE OF timezone ON businesses
    FOR EACH ROW WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone)
    EXECUTE FUNCTION daily_figures_follow_zone();

-- The records so far, counted after the triggers exist: their locks keep every insert
-- out until the commit, so no record is counted twice or missed. frontdesk_ops reads
-- every business (FORCE'd RLS hides them from the owner unless it is a superuser); it
-- may write the new tables for this one statement, before their RLS is on.
GRANT SELECT, INSERT, UPDATE, DELETE ON daily_figures, daily_bookings TO frontdesk_ops;
SET LOCAL ROLE frontdesk_ops;
SELECT daily_figures_recount(coalesce(array_agg(id), '{}')) FROM businesses;
RESET ROLE;
REVOKE INSERT, UPDATE, DELETE ON daily_figures, daily_bookings FROM frontdesk_ops;

ALTER TABLE daily_figures ENABLE ROW LEVEL SECURITY;
ALTER TABLE daily_figures FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON daily_figures TO frontdesk_app
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
CREATE POLICY ops_read_all ON daily_figures FOR SELECT TO frontdesk_ops USING (true);

ALTER TABLE daily_bookings ENABLE ROW LEVEL SECURITY;
ALTER TABLE daily_bookings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON daily_bookings TO frontdesk_app
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
CREATE POLICY ops_read_all ON daily_bookings FOR SELECT TO frontdesk_ops USING (true);

-- The triggers write the figures as the inserting role; a change of zone recounts them.
GRANT SELECT, INSERT, UPDATE, DELETE ON daily_figures, daily_bookings TO frontdesk_app;
