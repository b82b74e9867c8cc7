-- 0007_accounts.sql (after 0006_number_requests.sql): the accounts of the owner API
-- (frontdesk-web): users get a role and can be deleted, businesses a time zone, and
-- sessions are stored by the SHA-256 of their token.
-- Locking: brief ACCESS EXCLUSIVE on businesses and users (columns with constant
-- defaults: no rewrite; the email index is built on a table of one row per person).
-- Runs in one transaction (frontdesk-ctl migrate).
--
-- Logging in and finding a request's session happen before the business is known, and
-- frontdesk_app sees no row without a tenant. Rather than a cross-tenant policy for
-- frontdesk_app, the two lookups are SECURITY DEFINER functions owned by the NOLOGIN
-- role frontdesk_auth, whose policies let it read users and sessions of every business
-- and nothing else; frontdesk_app may only EXECUTE them. Each returns the business the
-- row belongs to, and every later query of the request runs as frontdesk_app in that
-- business's RLS scope.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frontdesk_auth') THEN
        CREATE ROLE frontdesk_auth NOLOGIN;
    END IF;
    -- Membership lets the migrating user hand the functions below to frontdesk_auth.
    EXECUTE format('GRANT frontdesk_auth TO %I', current_user);
END
$$;
GRANT USAGE ON SCHEMA public TO frontdesk_auth;

ALTER TABLE businesses ADD COLUMN timezone text NOT NULL DEFAULT 'America/New_York'
    CHECK (length(timezone) BETWEEN 1 AND 64);

ALTER TABLE users ADD COLUMN role text NOT NULL DEFAULT 'owner' CHECK (role IN ('owner', 'staff'));
ALTER TABLE users ADD COLUMN deleted_at timestamptz;
-- An address belongs to one live user at a time, whatever its case; a deleted user's
-- address may be registered again.
ALTER TABLE users DROP CONSTRAINT users_email_key;
CREATE UNIQUE INDEX users_email_live_idx ON users (lower(email)) WHERE deleted_at IS NULL;

CREATE TABLE sessions (
    token_hash   bytea PRIMARY KEY CHECK (length(token_hash) = 32),  -- SHA-256 of the token
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    business_id  uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    csrf_token   text NOT NULL CHECK (length(csrf_token) BETWEEN 16 AND 128),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),    -- idle expiry counts from here
    expires_at   timestamptz NOT NULL,                  -- absolute expiry
    revoked_at   timestamptz                            -- logout, password change, deletion
);
CREATE INDEX sessions_user_idx ON sessions (business_id, user_id);

ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sessions TO frontdesk_app
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);

-- frontdesk-web revokes and prunes sessions; users are soft-deleted (deleted_at).
GRANT SELECT, INSERT, DELETE ON sessions TO frontdesk_app;
GRANT UPDATE (last_seen_at, revoked_at) ON sessions TO frontdesk_app;

-- What the lookups read, and nothing more.
CREATE POLICY auth_lookup ON users FOR SELECT TO frontdesk_auth USING (true);
CREATE POLICY auth_lookup ON sessions FOR SELECT TO frontdesk_auth USING (true);
GRANT SELECT (id, business_id, email, password_hash, role, deleted_at) ON users TO frontdesk_auth;
GRANT SELECT ON sessions TO frontdesk_auth;

-- The live user with this address (compared without case), for logging in and for
-- refusing an address already registered. No row when there is none.
CREATE FUNCTION auth_user_by_email(p_email text)
RETURNS TABLE (user_id uuid, business_id uuid, password_hash text, role text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT u.id, u.business_id, u.password_hash, u.role
      FROM users u
     WHERE lower(u.email) = lower(p_email) AND u.deleted_at IS NULL
$$;

-- The session with this token hash while it is not revoked and its user not deleted,
-- with its expiries: the caller compares them with its configured idle time.
CREATE FUNCTION auth_session(p_token_hash bytea)
RETURNS TABLE (user_id uuid, business_id uuid, role text, csrf_token text,
               last_seen_at timestamptz, expires_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT s.user_id, s.business_id, u.role, s.csrf_token, s.last_seen_at, s.expires_at
      FROM sessions s
      JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = p_token_hash AND s.revoked_at IS NULL AND u.deleted_at IS NULL
$$;

ALTER FUNCTION auth_user_by_email(text) OWNER TO frontdesk_auth;
ALTER FUNCTION auth_session(bytea) OWNER TO frontdesk_auth;
REVOKE ALL ON FUNCTION auth_user_by_email(text), auth_session(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_user_by_email(text), auth_session(bytea) TO frontdesk_app;
