-- 0013_message_handlings.sql (after 0012_text_leads.sql): a message the business has
-- answered. The dashboard's Today lists the messages nobody has handled yet, and an owner
-- or staff user marks one handled (POST /api/v1/messages/{id}/handled).
-- Locking: a new table only. Runs in one transaction.
--
-- Messages stay append-only, as every record is (docs/design.md, "Roles"): handling one
-- inserts a row here rather than updating it, as a cancellation does for a booking. One
-- row per message (its id is the key), so marking it twice keeps the first time and who.
-- The row is inserted by frontdesk-web only from a message the transaction can see
-- (INSERT ... SELECT FROM messages), so another business's message cannot be marked.

CREATE TABLE message_handlings (
    message_id  uuid PRIMARY KEY,               -- messages.id (no foreign key, as records)
    business_id uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    user_id     uuid,                           -- who marked it (users.id; users are never removed)
    handled_at  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE message_handlings ENABLE ROW LEVEL SECURITY;
ALTER TABLE message_handlings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON message_handlings TO frontdesk_app
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
CREATE POLICY ops_read_all ON message_handlings FOR SELECT TO frontdesk_ops USING (true);

GRANT SELECT, INSERT ON message_handlings TO frontdesk_app;
GRANT SELECT ON message_handlings TO frontdesk_ops;
