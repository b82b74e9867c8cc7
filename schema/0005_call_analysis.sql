-- 0005_call_analysis.sql (after 0004_messages.sql): what the worker concludes when a call
-- ends (lib/call/call_analysis.c): a lead score with the reasons behind it, and the upsell
-- opportunities the conversation showed, with the caller's words that showed them.
-- The call's short summary is call_conversations.summary (0002).
-- Locking: new tables only. Runs in one transaction (frontdesk-ctl migrate).
-- Written through the outbox, insert-only, ids deterministic from the business and the
-- call (and the suggested service), so a replayed hang-up writes each row once.

CREATE TABLE lead_scores (
    id              uuid PRIMARY KEY,
    business_id     uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    call_log_id     uuid NOT NULL,          -- no foreign key: may drain before its call log
    call_control_id text NOT NULL,
    score           integer NOT NULL CHECK (score BETWEEN 0 AND 100),
    reasons         text NOT NULL CHECK (length(reasons) <= 2000),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX lead_scores_call_idx ON lead_scores (business_id, call_log_id);
CREATE INDEX lead_scores_business_score_idx ON lead_scores (business_id, score DESC, created_at DESC);

CREATE TABLE upsell_opportunities (
    id                uuid PRIMARY KEY,
    business_id       uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    call_log_id       uuid NOT NULL,
    call_control_id   text NOT NULL,
    service           text NOT NULL CHECK (length(service) BETWEEN 1 AND 100),
    suggested_service text NOT NULL CHECK (length(suggested_service) BETWEEN 1 AND 100),
    evidence          text NOT NULL CHECK (length(evidence) <= 500),
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX upsell_opportunities_business_idx ON upsell_opportunities (business_id, created_at DESC);

ALTER TABLE lead_scores ENABLE ROW LEVEL SECURITY;
ALTER TABLE lead_scores FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON lead_scores TO frontdesk_app
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
CREATE POLICY ops_read_all ON lead_scores FOR SELECT TO frontdesk_ops USING (true);

ALTER TABLE upsell_opportunities ENABLE ROW LEVEL SECURITY;
ALTER TABLE upsell_opportunities FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON upsell_opportunities TO frontdesk_app
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
CREATE POLICY ops_read_all ON upsell_opportunities FOR SELECT TO frontdesk_ops USING (true);

GRANT SELECT, INSERT ON lead_scores, upsell_opportunities TO frontdesk_app;
GRANT SELECT ON lead_scores, upsell_opportunities TO frontdesk_ops;
