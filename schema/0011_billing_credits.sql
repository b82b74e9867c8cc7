-- 0011_billing_credits.sql (after 0010_billing.sql): a booking the business cancels within
-- 24 hours of its being made is credited back on Stripe, and billing's reconciliation
-- compares, per business, its bookings with the meter events owed and reported
-- (docs/billing.md, "Outbound").
-- Locking: a new trigger on booking_cancellations (brief SHARE ROW EXCLUSIVE), new
-- functions and policies: no table is rewritten. Runs in one transaction.
--
-- The credit rule. A booking is billed when it is made ($50, its usage_events row and
-- meter job). When the business itself cancels it (the owner API; reason 'cancelled by
-- the business', workers/owner_actions.c) no later than 24 hours after it was made, the
-- receptionist's work was of no use to it: a `credit` job gives the $50 back as a
-- negative invoice item on the next invoice. A caller's own cancellation, a move, or a
-- cancellation after 24 hours stays billed (the receptionist did the work). Both times
-- come from the same clock (the worker's), so the rule reads occurred_at against
-- cancelled_at. A cancellation whose usage event is not in PostgreSQL yet (the outbox
-- drains them in order, so only by a hand edit) earns no credit.
--
-- Reconciling crosses tenants, which frontdesk_app's policies never allow: it runs in
-- stripe_billing_reconcile(), a SECURITY DEFINER function owned by the NOLOGIN role
-- frontdesk_reconcile, whose policies let it read businesses, usage events and jobs,
-- create the jobs that are missing and mark usage events reported. frontdesk_ops (the
-- operator's `frontdesk-ctl billing reconcile`) may call it and see every difference;
-- frontdesk_app (the worker's nightly run) calls stripe_billing_repair_all(), which
-- repairs and answers only counts, so no service ever reads another business's rows.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frontdesk_reconcile') THEN
        CREATE ROLE frontdesk_reconcile NOLOGIN;
    END IF;
    EXECUTE format('GRANT frontdesk_reconcile TO %I', current_user);
END
$$;

CREATE FUNCTION stripe_job_for_credit() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.reason = 'cancelled by the business' THEN
        INSERT INTO stripe_jobs (business_id, kind, booking_id, idempotency_key)
        SELECT e.business_id, 'credit', e.booking_id, 'credit-' || e.booking_id
          FROM usage_events e
         WHERE e.business_id = NEW.business_id AND e.booking_id = NEW.booking_id
           AND NEW.cancelled_at <= e.occurred_at + interval '24 hours'
        ON CONFLICT (idempotency_key) DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER booking_cancellations_stripe_credit AFTER INSERT ON booking_cancellations
    FOR EACH ROW EXECUTE FUNCTION stripe_job_for_credit();

-- ---------------------------------------------------------------------------------------
-- Reconciliation: one row per difference. p_business NULL: every business. With
-- p_repair, what can be repaired is, in the same call:
--   business without a customer job        -> the job is created
--   usage event without a meter job        -> the job is created (pending: it is sent)
--   usage event reported without a job     -> a done job is recorded (it was sent)
--   meter job done, usage event unreported -> reported_at = the job's done_at
-- and what needs an operator is only reported:
--   meter job failed                       -> `frontdesk-ctl billing retry`
--   meter job without a usage event        -> a hand edit; nothing is billed twice
CREATE FUNCTION stripe_billing_reconcile(p_business uuid, p_repair boolean)
RETURNS TABLE (business_id uuid, kind text, booking_id uuid, problem text, repaired boolean)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS reconcile_found (
        business_id uuid, kind text, booking_id uuid, problem text, repaired boolean,
        done_at timestamptz
    ) ON COMMIT DROP;
    TRUNCATE reconcile_found;

    INSERT INTO reconcile_found
    SELECT b.id, 'customer', NULL::uuid, 'business without a customer job', p_repair, NULL
      FROM businesses b
     WHERE (p_business IS NULL OR b.id = p_business)
       AND NOT EXISTS (SELECT 1 FROM stripe_jobs j
                        WHERE j.business_id = b.id AND j.kind = 'customer');

    INSERT INTO reconcile_found
    SELECT e.business_id, 'meter', e.booking_id,
           CASE WHEN e.reported_at IS NULL THEN 'usage event without a meter job'
                ELSE 'usage event reported without a meter job' END,
           p_repair, e.reported_at
      FROM usage_events e
     WHERE (p_business IS NULL OR e.business_id = p_business)
       AND NOT EXISTS (SELECT 1 FROM stripe_jobs j
                        WHERE j.business_id = e.business_id AND j.kind = 'meter'
                          AND j.booking_id = e.booking_id);

    INSERT INTO reconcile_found
    SELECT j.business_id, 'meter', j.booking_id,
           CASE WHEN e.booking_id IS NULL THEN 'meter job without a usage event'
                WHEN j.status = 'failed' THEN 'meter job failed: ' || coalesce(j.last_error, '')
                ELSE 'meter job done but usage event not reported' END,
           p_repair AND e.booking_id IS NOT NULL AND j.status = 'done', j.done_at
      FROM stripe_jobs j
      LEFT JOIN usage_events e ON e.business_id = j.business_id AND e.booking_id = j.booking_id
     WHERE (p_business IS NULL OR j.business_id = p_business) AND j.kind = 'meter'
       AND (e.booking_id IS NULL OR j.status = 'failed'
            OR (j.status = 'done' AND e.reported_at IS NULL));

    IF p_repair THEN
        INSERT INTO stripe_jobs (business_id, kind, idempotency_key)
        SELECT f.business_id, 'customer', 'signup-' || f.business_id
          FROM reconcile_found f WHERE f.problem = 'business without a customer job'
        ON CONFLICT (idempotency_key) DO NOTHING;
        INSERT INTO stripe_jobs (business_id, kind, booking_id, idempotency_key)
        SELECT f.business_id, 'meter', f.booking_id, 'meter-' || f.booking_id
          FROM reconcile_found f WHERE f.problem = 'usage event without a meter job'
        ON CONFLICT (idempotency_key) DO NOTHING;
        INSERT INTO stripe_jobs (business_id, kind, booking_id, idempotency_key, status,
                                 result_id, last_error, done_at)
        SELECT f.business_id, 'meter', f.booking_id, 'meter-' || f.booking_id, 'done',
               f.booking_id::text, 'recorded by billing reconcile: the usage event was reported',
               f.done_at
          FROM reconcile_found f WHERE f.problem = 'usage event reported without a meter job'
        ON CONFLICT (idempotency_key) DO NOTHING;
        UPDATE usage_events e SET reported_at = f.done_at
          FROM reconcile_found f
         WHERE f.problem = 'meter job done but usage event not reported'
           AND e.business_id = f.business_id AND e.booking_id = f.booking_id
           AND e.reported_at IS NULL;
    END IF;

    RETURN QUERY SELECT f.business_id, f.kind, f.booking_id, f.problem, f.repaired
                   FROM reconcile_found f ORDER BY f.business_id, f.kind, f.booking_id;
END
$$;

-- The worker's nightly run: repairs everything, answers counts only.
CREATE FUNCTION stripe_billing_repair_all()
RETURNS TABLE (problem text, found bigint, repaired bigint)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT regexp_replace(r.problem, ':.*$', ''), count(*), count(*) FILTER (WHERE r.repaired)
      FROM stripe_billing_reconcile(NULL, true) AS r
     GROUP BY 1 ORDER BY 1;
$$;

-- The worker's gauge of jobs waiting to be sent, every tenant's: a count, nothing else.
CREATE FUNCTION stripe_jobs_pending_count() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT count(*) FROM stripe_jobs WHERE status = 'pending';
$$;

-- ---------------------------------------------------------------------------------------
CREATE POLICY reconcile_read ON businesses FOR SELECT TO frontdesk_reconcile USING (true);
CREATE POLICY reconcile_read ON usage_events FOR SELECT TO frontdesk_reconcile USING (true);
CREATE POLICY reconcile_report ON usage_events FOR UPDATE TO frontdesk_reconcile
    USING (reported_at IS NULL) WITH CHECK (reported_at IS NOT NULL);
CREATE POLICY reconcile_read ON stripe_jobs FOR SELECT TO frontdesk_reconcile USING (true);
CREATE POLICY reconcile_create ON stripe_jobs FOR INSERT TO frontdesk_reconcile
    WITH CHECK (kind IN ('customer', 'meter') AND status IN ('pending', 'done'));

GRANT SELECT (id) ON businesses TO frontdesk_reconcile;
GRANT SELECT ON usage_events TO frontdesk_reconcile;
GRANT UPDATE (reported_at) ON usage_events TO frontdesk_reconcile;
GRANT SELECT, INSERT ON stripe_jobs TO frontdesk_reconcile;
GRANT USAGE ON SCHEMA public TO frontdesk_reconcile;

GRANT CREATE ON SCHEMA public TO frontdesk_reconcile, frontdesk_billing;
ALTER FUNCTION stripe_billing_reconcile(uuid, boolean) OWNER TO frontdesk_reconcile;
ALTER FUNCTION stripe_billing_repair_all() OWNER TO frontdesk_reconcile;
ALTER FUNCTION stripe_jobs_pending_count() OWNER TO frontdesk_billing;
REVOKE CREATE ON SCHEMA public FROM frontdesk_reconcile, frontdesk_billing;
REVOKE ALL ON FUNCTION stripe_billing_reconcile(uuid, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION stripe_billing_repair_all() FROM PUBLIC;
REVOKE ALL ON FUNCTION stripe_jobs_pending_count() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stripe_billing_reconcile(uuid, boolean) TO frontdesk_ops;
GRANT EXECUTE ON FUNCTION stripe_billing_repair_all() TO frontdesk_app;
GRANT EXECUTE ON FUNCTION stripe_jobs_pending_count() TO frontdesk_app;
