-- 0006_number_requests.sql (after 0005_call_analysis.sql): a business asks for a phone
-- number and the worker's provisioning job (workers/number_orders.c, its steps in
-- lib/numbers/number_order.h) buys one from Telnyx and routes it; and a business can be
-- suspended by an operator.
-- Locking: new table and function; businesses gains a NULL column (no rewrite) and
-- ai_agents a read policy: brief ACCESS EXCLUSIVE locks. Runs in one transaction
-- (frontdesk-ctl migrate).
--
-- A request's life: status pending (no number chosen yet) -> ordering (phone_number
-- chosen; order_id once Telnyx accepted the order) -> active (the number is in
-- phone_numbers and fd:numbers) or failed (failure_reason says why, for the owner).
-- Sign-up and the owner API insert (business_id, area_code) and read the rest.
--
-- Claiming crosses tenants, which frontdesk_app's policies never allow: the job calls
-- number_request_claim(), a SECURITY DEFINER function owned by the NOLOGIN role
-- frontdesk_provisioner, whose only policy lets it see and lease due requests. Every
-- other write of the job runs as frontdesk_app under the request's own tenant.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frontdesk_provisioner') THEN
        CREATE ROLE frontdesk_provisioner NOLOGIN;
    END IF;
    EXECUTE format('GRANT frontdesk_provisioner TO %I', current_user);
END
$$;

-- NULL: the business takes calls. Set: its data stays, its owners may still log in and
-- read, and its calls go to its fallback number or hear that it cannot take calls
-- (workers/agent_cache.c reads it as "no active receptionist").
ALTER TABLE businesses ADD COLUMN suspended_at timestamptz;

CREATE TABLE number_requests (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id     uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    area_code       text CHECK (area_code ~ '^[2-9][0-9]{2}$'),     -- NULL: any US number
    status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'ordering', 'active', 'failed')),
    -- The number chosen from a search, then ordered; the one the business gets.
    phone_number    text CHECK (phone_number ~ '^\+[1-9][0-9]{6,14}$'),
    -- Telnyx's number order id, written as soon as Telnyx accepted the order.
    order_id        text CHECK (length(order_id) BETWEEN 1 AND 100),
    -- Orders sent for phone_number; more than one means an earlier answer was lost.
    order_attempts  integer NOT NULL DEFAULT 0 CHECK (order_attempts >= 0),
    -- Tries of the current step without progress (failures, or polls of a pending order);
    -- the next one is due at next_attempt_at (exponential backoff with jitter).
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    -- The worker's claim ("<worker id>/<claim uuid>") and its lease; NULL when unclaimed.
    claimed_by      text,
    lease_until     timestamptz,
    failure_reason  text CHECK (length(failure_reason) <= 500),    -- for the owner
    last_error      text CHECK (length(last_error) <= 1000),       -- for operators
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    completed_at    timestamptz,
    CHECK (status NOT IN ('ordering', 'active') OR phone_number IS NOT NULL),
    CHECK (status <> 'failed' OR failure_reason IS NOT NULL)
);
CREATE INDEX number_requests_business_id_idx ON number_requests (business_id, created_at DESC);
-- What the claim scans: due requests only.
CREATE INDEX number_requests_due_idx ON number_requests (next_attempt_at)
    WHERE status IN ('pending', 'ordering');

ALTER TABLE number_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE number_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON number_requests TO frontdesk_app
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
CREATE POLICY ops_read_all ON number_requests FOR SELECT TO frontdesk_ops USING (true);
CREATE POLICY provisioner_claim ON number_requests TO frontdesk_provisioner
    USING (true) WITH CHECK (true);

GRANT SELECT, INSERT, UPDATE ON number_requests TO frontdesk_app;
GRANT SELECT ON number_requests TO frontdesk_ops;
GRANT SELECT, UPDATE ON number_requests TO frontdesk_provisioner;

-- `frontdesk-ctl tenant list|show` name each business's active receptionist version.
CREATE POLICY ops_read_all ON ai_agents FOR SELECT TO frontdesk_ops USING (true);
GRANT SELECT ON ai_agents TO frontdesk_ops;

-- Leases the request due first that no live claim holds, for lease_ms, to claimant, and
-- returns it (no row when nothing is due). SKIP LOCKED: any number of workers claim at
-- once, each a different request; a row another claim just leased fails the re-check of
-- the WHERE clause and is not returned.
CREATE FUNCTION number_request_claim(claimant text, lease_ms integer)
RETURNS SETOF number_requests
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    UPDATE number_requests AS r
       SET claimed_by = claimant,
           lease_until = now() + lease_ms * interval '1 millisecond',
           updated_at = now()
     WHERE r.id = (SELECT q.id FROM number_requests AS q
                    WHERE q.status IN ('pending', 'ordering')
                      AND q.next_attempt_at <= now()
                      AND (q.lease_until IS NULL OR q.lease_until <= now())
                    ORDER BY q.next_attempt_at
                    LIMIT 1
                    FOR UPDATE SKIP LOCKED)
    RETURNING r.*;
$$;

-- The owner of a function must be allowed to create in its schema (PostgreSQL 15 gives
-- PUBLIC no CREATE on public): granted for the change of owner only.
GRANT CREATE ON SCHEMA public TO frontdesk_provisioner;
ALTER FUNCTION number_request_claim(text, integer) OWNER TO frontdesk_provisioner;
REVOKE CREATE ON SCHEMA public FROM frontdesk_provisioner;
REVOKE ALL ON FUNCTION number_request_claim(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION number_request_claim(text, integer) TO frontdesk_app;
