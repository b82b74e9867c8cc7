-- 0004_messages.sql (after 0003_bookings.sql): messages the receptionist takes for the
-- business (caller's name, callback number read back and confirmed, the message).
-- Locking: a new table only. Runs in one transaction (frontdesk-ctl migrate).
-- Written by the worker through the outbox (insert-only, id deterministic from the call
-- and the message, so a replay writes it once).

CREATE TABLE messages (
    id              uuid PRIMARY KEY,
    business_id     uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    call_control_id text,
    caller_name     text NOT NULL CHECK (length(caller_name) BETWEEN 1 AND 200),
    callback_number text NOT NULL CHECK (callback_number ~ '^\+[1-9][0-9]{6,14}$'),
    message         text NOT NULL CHECK (length(message) <= 4000),
    taken_at        timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_business_taken_idx ON messages (business_id, taken_at DESC);

ALTER TABLE messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE messages FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON messages TO frontdesk_app
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
CREATE POLICY ops_read_all ON messages FOR SELECT TO frontdesk_ops USING (true);

GRANT SELECT, INSERT ON messages TO frontdesk_app;
GRANT SELECT ON messages TO frontdesk_ops;
