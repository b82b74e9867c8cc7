-- 0010_billing.sql (after 0009_sms.sql): each business is its own Stripe customer on a
-- $200 monthly price plus a metered $50 price per booking (docs/billing.md).
-- Locking: businesses gains NULL/defaulted columns (no rewrite on PostgreSQL 11+), new
-- tables, functions and triggers: brief ACCESS EXCLUSIVE locks. Runs in one transaction.
--
-- Two directions, each durable in PostgreSQL:
-- * outbound, stripe_jobs: what frontdesk must tell Stripe (a customer for a new business,
--   one meter event per booking, a credit). A job is written in the same transaction as
--   what it is for (triggers below), so nothing can be billed twice or forgotten; the
--   worker's billing job claims due jobs across tenants, sends each with its deterministic
--   Idempotency-Key and records the answer.
-- * inbound, stripe_events: every Stripe webhook event a worker applied, once per event id;
--   the trigger on it moves the business's billing state, newest Stripe `created` wins.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frontdesk_billing') THEN
        CREATE ROLE frontdesk_billing NOLOGIN;
    END IF;
    EXECUTE format('GRANT frontdesk_billing TO %I', current_user);
END
$$;

-- The business's side of billing. billing_state is what the receptionist obeys
-- (docs/billing.md, "States"); billing_state_at is the Stripe `created` of the event that
-- set it, so an older event arriving late changes nothing.
ALTER TABLE businesses
    ADD COLUMN stripe_customer_id     text UNIQUE CHECK (stripe_customer_id ~ '^cus_[A-Za-z0-9]{1,250}$'),
    ADD COLUMN stripe_subscription_id text CHECK (stripe_subscription_id ~ '^sub_[A-Za-z0-9]{1,250}$'),
    ADD COLUMN billing_state          text NOT NULL DEFAULT 'none'
        CHECK (billing_state IN ('none', 'active', 'past_due', 'unpaid', 'canceled')),
    ADD COLUMN billing_state_at       timestamptz,
    ADD COLUMN past_due_since         timestamptz,
    ADD COLUMN billing_period_start   timestamptz,
    ADD COLUMN billing_period_end     timestamptz;

-- ---------------------------------------------------------------------------------------
-- Outbound: jobs for Stripe.
CREATE TABLE stripe_jobs (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id     uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    kind            text NOT NULL CHECK (kind IN ('customer', 'meter', 'credit')),
    -- The booking a meter event or a credit is for; NULL for a customer.
    booking_id      uuid,
    -- Deterministic, from what the job is for: signup-<business>, meter-<booking>,
    -- credit-<booking>. Sent as Idempotency-Key; unique, so a job exists at most once.
    idempotency_key text NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    claimed_by      text,
    lease_until     timestamptz,
    -- What Stripe answered with: cus_..., the meter event's identifier, ii_...
    result_id       text CHECK (length(result_id) <= 255),
    last_error      text CHECK (length(last_error) <= 1000),   -- for operators
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    done_at         timestamptz,
    CHECK (kind = 'customer' OR booking_id IS NOT NULL)
);
CREATE INDEX stripe_jobs_due_idx ON stripe_jobs (next_attempt_at) WHERE status = 'pending';
CREATE INDEX stripe_jobs_business_idx ON stripe_jobs (business_id, created_at DESC);

-- Every business is a customer: the job is born with the business (sign-up and
-- `frontdesk-ctl tenant create` alike); the owner's email is read when it runs.
CREATE FUNCTION stripe_job_for_business() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stripe_jobs (business_id, kind, idempotency_key)
    VALUES (NEW.id, 'customer', 'signup-' || NEW.id)
    ON CONFLICT (idempotency_key) DO NOTHING;
    RETURN NEW;
END
$$;
CREATE TRIGGER businesses_stripe_customer AFTER INSERT ON businesses
    FOR EACH ROW EXECUTE FUNCTION stripe_job_for_business();

-- One meter event per billable booking, in the transaction that records the booking's
-- usage event (itself unique per booking), whatever replays happen.
CREATE FUNCTION stripe_job_for_usage() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stripe_jobs (business_id, kind, booking_id, idempotency_key)
    VALUES (NEW.business_id, 'meter', NEW.booking_id, 'meter-' || NEW.booking_id)
    ON CONFLICT (idempotency_key) DO NOTHING;
    RETURN NEW;
END
$$;
CREATE TRIGGER usage_events_stripe_meter AFTER INSERT ON usage_events
    FOR EACH ROW EXECUTE FUNCTION stripe_job_for_usage();

-- Jobs already owed when billing arrives: every business needs its customer, every
-- booking not yet reported its meter event.
INSERT INTO stripe_jobs (business_id, kind, idempotency_key)
SELECT id, 'customer', 'signup-' || id FROM businesses
ON CONFLICT (idempotency_key) DO NOTHING;
INSERT INTO stripe_jobs (business_id, kind, booking_id, idempotency_key)
SELECT business_id, 'meter', booking_id, 'meter-' || booking_id FROM usage_events
 WHERE reported_at IS NULL
ON CONFLICT (idempotency_key) DO NOTHING;

-- Claiming crosses tenants, which frontdesk_app's policies never allow: the billing job
-- calls stripe_job_claim(), owned by the NOLOGIN role frontdesk_billing whose only policy
-- lets it see and lease due jobs. Every other write runs as frontdesk_app under the job's
-- own tenant.
CREATE FUNCTION stripe_job_claim(claimant text, lease_ms integer)
RETURNS SETOF stripe_jobs
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    UPDATE stripe_jobs AS j
       SET claimed_by = claimant,
           lease_until = now() + lease_ms * interval '1 millisecond',
           updated_at = now()
     WHERE j.id = (SELECT q.id FROM stripe_jobs AS q
                    WHERE q.status = 'pending'
                      AND q.next_attempt_at <= now()
                      AND (q.lease_until IS NULL OR q.lease_until <= now())
                    ORDER BY q.next_attempt_at
                    LIMIT 1
                    FOR UPDATE SKIP LOCKED)
    RETURNING j.*;
$$;

-- ---------------------------------------------------------------------------------------
-- Inbound: Stripe's events, once each.
CREATE TABLE stripe_events (
    id          text PRIMARY KEY CHECK (id ~ '^evt_[A-Za-z0-9_]{1,250}$'),
    business_id uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    type        text NOT NULL CHECK (length(type) BETWEEN 1 AND 100),
    created     timestamptz NOT NULL,          -- Stripe's, the order of states
    -- What the event says of the business (NULL: nothing): the state it implies, and
    -- the ids and period it carries. The trigger below applies them.
    state       text CHECK (state IN ('none', 'active', 'past_due', 'unpaid', 'canceled')),
    customer_id     text,
    subscription_id text,
    period_start    timestamptz,
    period_end      timestamptz,
    object      jsonb NOT NULL,                 -- data.object as Stripe sent it
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stripe_events_business_idx ON stripe_events (business_id, created DESC);

-- State-based, not order-based: an event moves the business only when it is newer than
-- the one that set the current state. Ids only fill what is unknown or newer.
CREATE FUNCTION stripe_event_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE businesses AS b
       SET stripe_customer_id = COALESCE(b.stripe_customer_id, NEW.customer_id),
           stripe_subscription_id = CASE
               WHEN NEW.subscription_id IS NOT NULL
                    AND (b.billing_state_at IS NULL OR NEW.created >= b.billing_state_at)
               THEN NEW.subscription_id ELSE COALESCE(b.stripe_subscription_id, NEW.subscription_id) END,
           billing_state = CASE
               WHEN NEW.state IS NOT NULL
                    AND (b.billing_state_at IS NULL OR NEW.created >= b.billing_state_at)
               THEN NEW.state ELSE b.billing_state END,
           past_due_since = CASE
               WHEN NEW.state IS NULL
                    OR (b.billing_state_at IS NOT NULL AND NEW.created < b.billing_state_at)
                   THEN b.past_due_since
               WHEN NEW.state = 'past_due' THEN COALESCE(b.past_due_since, NEW.created)
               WHEN NEW.state IN ('unpaid', 'canceled') THEN b.past_due_since
               ELSE NULL END,
           billing_period_start = CASE
               WHEN NEW.period_start IS NOT NULL
                    AND (b.billing_period_start IS NULL OR NEW.period_start >= b.billing_period_start)
               THEN NEW.period_start ELSE b.billing_period_start END,
           billing_period_end = CASE
               WHEN NEW.period_end IS NOT NULL
                    AND (b.billing_period_end IS NULL OR NEW.period_end >= b.billing_period_end)
               THEN NEW.period_end ELSE b.billing_period_end END,
           billing_state_at = CASE
               WHEN NEW.state IS NOT NULL
                    AND (b.billing_state_at IS NULL OR NEW.created >= b.billing_state_at)
               THEN NEW.created ELSE b.billing_state_at END
     WHERE b.id = NEW.business_id;
    RETURN NEW;
END
$$;
CREATE TRIGGER stripe_events_apply AFTER INSERT ON stripe_events
    FOR EACH ROW EXECUTE FUNCTION stripe_event_apply();

-- ---------------------------------------------------------------------------------------
ALTER TABLE stripe_jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE stripe_jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON stripe_jobs TO frontdesk_app
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
CREATE POLICY billing_claims ON stripe_jobs TO frontdesk_billing
    USING (status = 'pending') WITH CHECK (status = 'pending');
CREATE POLICY ops_read_all ON stripe_jobs FOR SELECT TO frontdesk_ops USING (true);

ALTER TABLE stripe_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE stripe_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON stripe_events TO frontdesk_app
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
CREATE POLICY ops_read_all ON stripe_events FOR SELECT TO frontdesk_ops USING (true);

GRANT SELECT, INSERT, UPDATE ON stripe_jobs TO frontdesk_app;
GRANT SELECT, INSERT ON stripe_events TO frontdesk_app;
GRANT SELECT ON stripe_jobs, stripe_events TO frontdesk_ops;
GRANT SELECT, UPDATE ON stripe_jobs TO frontdesk_billing;

GRANT CREATE ON SCHEMA public TO frontdesk_billing;
ALTER FUNCTION stripe_job_claim(text, integer) OWNER TO frontdesk_billing;
REVOKE CREATE ON SCHEMA public FROM frontdesk_billing;
REVOKE ALL ON FUNCTION stripe_job_claim(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stripe_job_claim(text, integer) TO frontdesk_app;
