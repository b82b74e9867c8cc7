-- 0006_number_requests.sql (after 0005_call_analysis.sql): a business's requests for a
-- phone number of its own. Sign-up and POST /api/v1/numbers insert one (business,
-- optional area code); a background job fulfils it through Telnyx (docs/telnyx.md §6).
-- Locking: a new table only. Runs in one transaction (frontdesk-ctl migrate).

CREATE TABLE number_requests (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    -- A US area code, when the owner asked for one; NULL: any.
    area_code   text CHECK (area_code ~ '^[2-9][0-9]{2}$'),
    status      text NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'ordering', 'active', 'failed'))
);
CREATE INDEX number_requests_business_idx ON number_requests (business_id);

ALTER TABLE number_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE number_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON number_requests TO frontdesk_app
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
CREATE POLICY ops_read_all ON number_requests FOR SELECT TO frontdesk_ops USING (true);

GRANT SELECT, INSERT ON number_requests TO frontdesk_app;
GRANT SELECT ON number_requests TO frontdesk_ops;
