-- 0002_calls.sql (after 0001_v1.sql): what a finished call leaves behind — its log, its
-- conversation and the conversation's turns — written by the worker's outbox drain
-- (lib/store/outbox_drain.c) in batches under the tenant's RLS, idempotent by primary key.
-- Locking: new tables only; nothing to lock. Runs in one transaction (frontdesk-ctl migrate).
--
-- Ids are deterministic UUIDs (lib/core/det_uuid.h) derived from the call, so a replayed
-- event or a re-drained batch lands on the same key and ON CONFLICT (id) DO NOTHING keeps
-- each record once. No column default makes up an id for that reason.
-- Constraints are few on purpose: a row the database refuses stays in the outbox as a
-- dead record (logged), so only what is a real invariant is checked here.
-- call_log_id / conversation_id carry no foreign key: the three records of one call
-- drain in one batch but may be split across batches (200 entries a batch), and the
-- drain inserts table by table; a foreign key would refuse a history row whose
-- conversation is in the next batch.

CREATE TABLE call_logs (
    id              uuid PRIMARY KEY,
    business_id     uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    call_control_id text NOT NULL,
    call_session_id text,
    from_number     text,
    to_number       text,
    direction       text NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
    started_at      timestamptz NOT NULL,
    answered_at     timestamptz,
    ended_at        timestamptz,
    duration_s      integer CHECK (duration_s >= 0),
    hangup_cause    text,
    hangup_source   text,
    outcome         text NOT NULL CHECK (outcome IN ('answered_by_agent', 'forwarded',
                                                     'rejected_no_agent', 'missed')),
    created_at      timestamptz NOT NULL DEFAULT now()
);
-- The dashboard lists a business's calls newest first.
CREATE INDEX call_logs_business_started_idx ON call_logs (business_id, started_at DESC);

CREATE TABLE call_conversations (
    id          uuid PRIMARY KEY,
    business_id uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    call_log_id uuid NOT NULL,
    summary     text,
    turns       integer NOT NULL DEFAULT 0 CHECK (turns >= 0),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX call_conversations_business_created_idx
    ON call_conversations (business_id, created_at DESC);
CREATE INDEX call_conversations_call_log_idx ON call_conversations (call_log_id);

CREATE TABLE conversation_history (
    id              uuid PRIMARY KEY,
    business_id     uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    conversation_id uuid NOT NULL,
    turn            integer NOT NULL CHECK (turn >= 0),
    speaker         text NOT NULL CHECK (speaker IN ('caller', 'agent')),
    text            text NOT NULL,
    at              timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
-- A conversation is read back in turn order; business_id leads for the RLS filter.
CREATE INDEX conversation_history_conversation_turn_idx
    ON conversation_history (business_id, conversation_id, turn);

ALTER TABLE call_logs ENABLE ROW LEVEL SECURITY;
ALTER TABLE call_logs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON call_logs TO frontdesk_app
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
CREATE POLICY ops_read_all ON call_logs FOR SELECT TO frontdesk_ops USING (true);

ALTER TABLE call_conversations ENABLE ROW LEVEL SECURITY;
ALTER TABLE call_conversations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON call_conversations TO frontdesk_app
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
CREATE POLICY ops_read_all ON call_conversations FOR SELECT TO frontdesk_ops USING (true);

ALTER TABLE conversation_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE conversation_history FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON conversation_history TO frontdesk_app
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
CREATE POLICY ops_read_all ON conversation_history FOR SELECT TO frontdesk_ops USING (true);

-- Records are append-only: the drain inserts, the dashboard reads. No UPDATE or DELETE
-- for the services (a business's deletion cascades as the owner).
GRANT SELECT, INSERT ON call_logs, call_conversations, conversation_history TO frontdesk_app;
GRANT SELECT ON call_logs, call_conversations, conversation_history TO frontdesk_ops;
