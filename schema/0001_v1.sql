-- 0001_v1.sql (first migration): businesses, their users, AI agents and phone numbers,
-- with Row Level Security so the database itself keeps tenants apart.
-- Locking: new tables only; nothing to lock. Runs in one transaction (frontdesk-ctl migrate).
--
-- Roles. frontdesk_app is what every service query runs as (db_connect does SET ROLE):
-- a non-owner, so FORCE'd RLS policies bind it, whatever role the connection URL names.
-- A transaction declares its tenant with set_config('app.business_id', id, true); with
-- the setting missing or empty the policies match no row, so a forgotten declaration
-- reads and writes nothing instead of everything.
-- frontdesk_ops reads every tenant (never writes): `frontdesk-ctl numbers sync` and
-- `status` need all numbers and names, and FORCE RLS binds even the owner unless it is
-- a superuser, which managed PostgreSQL does not give us.
-- Both roles are NOLOGIN; the migrating user is made a member so it can SET ROLE.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frontdesk_app') THEN
        CREATE ROLE frontdesk_app NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frontdesk_ops') THEN
        CREATE ROLE frontdesk_ops NOLOGIN;
    END IF;
    EXECUTE format('GRANT frontdesk_app TO %I', current_user);
    EXECUTE format('GRANT frontdesk_ops TO %I', current_user);
END
$$;

GRANT USAGE ON SCHEMA public TO frontdesk_app, frontdesk_ops;

CREATE TABLE businesses (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- Where calls go when the business has no active agent.
    fallback_number text CHECK (fallback_number ~ '^\+[1-9][0-9]{6,14}$'),
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id   uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    email         text NOT NULL UNIQUE,
    password_hash text,             -- NULL until the user sets a password
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_business_id_idx ON users (business_id);

CREATE TABLE ai_agents (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    version     integer NOT NULL CHECK (version > 0),
    is_active   boolean NOT NULL DEFAULT false,
    config      jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (business_id, version)
);
-- A call must find exactly one receptionist: at most one active agent per business.
CREATE UNIQUE INDEX ai_agents_one_active_idx ON ai_agents (business_id) WHERE is_active;

CREATE TABLE phone_numbers (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    -- Unique across all businesses: a number routes to exactly one tenant.
    number      text NOT NULL UNIQUE CHECK (number ~ '^\+[1-9][0-9]{6,14}$'),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX phone_numbers_business_id_idx ON phone_numbers (business_id);

ALTER TABLE businesses ENABLE ROW LEVEL SECURITY;
ALTER TABLE businesses FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON businesses TO frontdesk_app
    USING (id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (id = NULLIF(current_setting('app.business_id', true), '')::uuid);
CREATE POLICY ops_read_all ON businesses FOR SELECT TO frontdesk_ops USING (true);

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON users TO frontdesk_app
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);

ALTER TABLE ai_agents ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_agents FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ai_agents TO frontdesk_app
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);

ALTER TABLE phone_numbers ENABLE ROW LEVEL SECURITY;
ALTER TABLE phone_numbers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON phone_numbers TO frontdesk_app
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
CREATE POLICY ops_read_all ON phone_numbers FOR SELECT TO frontdesk_ops USING (true);

GRANT SELECT, INSERT, UPDATE, DELETE ON businesses, users, ai_agents, phone_numbers
    TO frontdesk_app;
GRANT SELECT ON businesses, phone_numbers TO frontdesk_ops;
