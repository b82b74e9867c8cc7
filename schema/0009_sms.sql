-- 0009_sms.sql (after 0008_owner_api_reads.sql): every text in and out of a business
-- (sms_messages) with the delivery status Telnyx reports, and who asked not to be texted
-- by the business (sms_opt_outs). Written by the worker's outbox drain under the tenant's
-- RLS, idempotent by primary key.
-- Locking: new tables only; nothing to lock. Runs in one transaction (frontdesk-ctl migrate).
--
-- Insert-only, like the cancellations of 0003: the outbox only inserts (ON CONFLICT (id)
-- DO NOTHING), so what changes later is its own record and a trigger applies it, in
-- either arrival order (the status a text reaches, the lifting of an opt-out):
--   sms_status_reports  one per Telnyx answer or message.sent / message.finalized webhook
--                       (id det_uuid of the Telnyx message id and the status); names the
--                       text by our id (the sender's report, which also brings Telnyx's
--                       id) or by Telnyx's id (the webhooks). The text keeps its furthest
--                       status: queued < sent < delivered | failed (final).
--   sms_opt_out_lifts   START after a STOP: one per opt-out (id det_uuid of the opt-out).
-- The opt-out the worker checks before every text is in Redis (fd:...:t:B:sms_optout);
-- these rows are its durable record, for the owner and for rebuilding it.

CREATE TABLE sms_messages (
    id                uuid PRIMARY KEY,       -- det_uuid: the inbound event, or the queued text
    business_id       uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    conversation_id   uuid NOT NULL,          -- the text conversation (business, caller number)
    direction         text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    from_number       text NOT NULL CHECK (length(from_number) BETWEEN 1 AND 48),
    to_number         text NOT NULL CHECK (length(to_number) BETWEEN 1 AND 48),
    caller_number     text NOT NULL CHECK (caller_number ~ '^\+[1-9][0-9]{6,14}$'),
    body              text NOT NULL CHECK (length(body) <= 4000),
    -- what the text was: a reply of the receptionist, a compliance answer, a notice
    kind              text NOT NULL DEFAULT 'conversation'
                      CHECK (kind IN ('conversation', 'opt_out', 'opt_in', 'help', 'missed_call', 'notice')),
    telnyx_message_id text,                   -- inbound: from the webhook; outbound: set by a report
    status            text NOT NULL CHECK (status IN ('received', 'pending', 'queued', 'sent',
                                                      'delivered', 'failed')),
    error_code        text,
    error_detail      text,
    at                timestamptz NOT NULL,   -- received, or queued for sending
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sms_messages_thread_idx ON sms_messages (business_id, caller_number, at);
CREATE INDEX sms_messages_business_at_idx ON sms_messages (business_id, at DESC);
CREATE UNIQUE INDEX sms_messages_telnyx_idx ON sms_messages (business_id, telnyx_message_id)
    WHERE telnyx_message_id IS NOT NULL;

CREATE TABLE sms_status_reports (
    id                uuid PRIMARY KEY,       -- det_uuid("sms_status_reports", telnyx id, status)
    business_id       uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    message_id        uuid,                   -- ours, when the sender reports (no foreign key)
    telnyx_message_id text NOT NULL CHECK (length(telnyx_message_id) BETWEEN 1 AND 128),
    status            text NOT NULL CHECK (status IN ('queued', 'sent', 'delivered', 'failed')),
    error_code        text,
    error_detail      text,
    at                timestamptz NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sms_status_reports_telnyx_idx ON sms_status_reports (business_id, telnyx_message_id);
CREATE INDEX sms_status_reports_message_idx ON sms_status_reports (business_id, message_id);

CREATE TABLE sms_opt_outs (
    id          uuid PRIMARY KEY,             -- det_uuid("sms_opt_outs", business, number, event)
    business_id uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    number      text NOT NULL CHECK (number ~ '^\+[1-9][0-9]{6,14}$'),
    how         text NOT NULL CHECK (how IN ('keyword', 'carrier', 'operator')),
    keyword     text CHECK (length(keyword) <= 40),   -- the word the caller texted
    opted_out_at timestamptz NOT NULL,
    lifted_at   timestamptz,                  -- set by sms_opt_out_lifts
    lifted_how  text CHECK (lifted_how IN ('keyword', 'operator')),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sms_opt_outs_number_idx ON sms_opt_outs (business_id, number, opted_out_at DESC);

CREATE TABLE sms_opt_out_lifts (
    id          uuid PRIMARY KEY,             -- det_uuid("sms_opt_out_lifts", opt-out id)
    business_id uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    opt_out_id  uuid NOT NULL,                -- no foreign key: may drain before its opt-out
    how         text NOT NULL CHECK (how IN ('keyword', 'operator')),
    lifted_at   timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sms_opt_out_lifts_opt_out_idx ON sms_opt_out_lifts (business_id, opt_out_id);

-- How far a status is: a text never goes back (a late message.sent after the
-- message.finalized changes nothing).
CREATE FUNCTION sms_status_rank(status text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE status WHEN 'received' THEN 0 WHEN 'pending' THEN 0 WHEN 'queued' THEN 1
                       WHEN 'sent' THEN 2 ELSE 3 END
$$;

-- A report moves its text on. Runs as the inserting role (frontdesk_app), so RLS keeps
-- it inside the transaction's tenant.
CREATE FUNCTION sms_status_report_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sms_messages m
       SET telnyx_message_id = COALESCE(m.telnyx_message_id, NEW.telnyx_message_id),
           status = CASE WHEN sms_status_rank(NEW.status) > sms_status_rank(m.status)
                         THEN NEW.status ELSE m.status END,
           error_code = COALESCE(NEW.error_code, m.error_code),
           error_detail = COALESCE(NEW.error_detail, m.error_detail)
     WHERE m.business_id = NEW.business_id AND m.direction = 'outbound'
       AND (m.id = NEW.message_id OR m.telnyx_message_id = NEW.telnyx_message_id);
    IF NEW.message_id IS NOT NULL THEN
        -- the webhooks that came before the sender's report: now their text is known
        UPDATE sms_messages m
           SET status = r.status, error_code = COALESCE(r.error_code, m.error_code),
               error_detail = COALESCE(r.error_detail, m.error_detail)
          FROM (SELECT status, error_code, error_detail FROM sms_status_reports
                 WHERE business_id = NEW.business_id AND telnyx_message_id = NEW.telnyx_message_id
                 ORDER BY sms_status_rank(status) DESC LIMIT 1) r
         WHERE m.id = NEW.message_id AND m.business_id = NEW.business_id
           AND sms_status_rank(r.status) > sms_status_rank(m.status);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER sms_status_reports_apply AFTER INSERT ON sms_status_reports
    FOR EACH ROW EXECUTE FUNCTION sms_status_report_apply();

-- A text inserted after its reports (another batch) is born with them applied.
CREATE FUNCTION sms_message_born_reported() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    IF NEW.direction <> 'outbound' THEN
        RETURN NEW;
    END IF;
    FOR r IN SELECT telnyx_message_id, status, error_code, error_detail FROM sms_status_reports
              WHERE business_id = NEW.business_id
                AND (message_id = NEW.id OR telnyx_message_id = NEW.telnyx_message_id
                     OR telnyx_message_id IN (SELECT telnyx_message_id FROM sms_status_reports
                                               WHERE business_id = NEW.business_id
                                                 AND message_id = NEW.id))
    LOOP
        NEW.telnyx_message_id := COALESCE(NEW.telnyx_message_id, r.telnyx_message_id);
        IF sms_status_rank(r.status) > sms_status_rank(NEW.status) THEN
            NEW.status := r.status;
        END IF;
        NEW.error_code := COALESCE(r.error_code, NEW.error_code);
        NEW.error_detail := COALESCE(r.error_detail, NEW.error_detail);
    END LOOP;
    RETURN NEW;
END
$$;
CREATE TRIGGER sms_messages_born_reported BEFORE INSERT ON sms_messages
    FOR EACH ROW EXECUTE FUNCTION sms_message_born_reported();

CREATE FUNCTION sms_opt_out_lift_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sms_opt_outs SET lifted_at = NEW.lifted_at, lifted_how = NEW.how
     WHERE id = NEW.opt_out_id AND business_id = NEW.business_id AND lifted_at IS NULL;
    RETURN NULL;
END
$$;
CREATE TRIGGER sms_opt_out_lifts_apply AFTER INSERT ON sms_opt_out_lifts
    FOR EACH ROW EXECUTE FUNCTION sms_opt_out_lift_apply();

CREATE FUNCTION sms_opt_out_born_lifted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    l record;
BEGIN
    SELECT lifted_at, how INTO l FROM sms_opt_out_lifts
     WHERE opt_out_id = NEW.id AND business_id = NEW.business_id LIMIT 1;
    IF FOUND THEN
        NEW.lifted_at := l.lifted_at;
        NEW.lifted_how := l.how;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER sms_opt_outs_born_lifted BEFORE INSERT ON sms_opt_outs
    FOR EACH ROW EXECUTE FUNCTION sms_opt_out_born_lifted();

ALTER TABLE sms_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE sms_messages FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sms_messages TO frontdesk_app
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
CREATE POLICY ops_read_all ON sms_messages FOR SELECT TO frontdesk_ops USING (true);

ALTER TABLE sms_status_reports ENABLE ROW LEVEL SECURITY;
ALTER TABLE sms_status_reports FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sms_status_reports TO frontdesk_app
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
CREATE POLICY ops_read_all ON sms_status_reports FOR SELECT TO frontdesk_ops USING (true);

ALTER TABLE sms_opt_outs ENABLE ROW LEVEL SECURITY;
ALTER TABLE sms_opt_outs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sms_opt_outs TO frontdesk_app
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
CREATE POLICY ops_read_all ON sms_opt_outs FOR SELECT TO frontdesk_ops USING (true);

ALTER TABLE sms_opt_out_lifts ENABLE ROW LEVEL SECURITY;
ALTER TABLE sms_opt_out_lifts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sms_opt_out_lifts TO frontdesk_app
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
CREATE POLICY ops_read_all ON sms_opt_out_lifts FOR SELECT TO frontdesk_ops USING (true);

-- UPDATE only for the triggers: a text's status and Telnyx id, an opt-out's lifting.
GRANT SELECT, INSERT ON sms_messages, sms_status_reports, sms_opt_outs, sms_opt_out_lifts
    TO frontdesk_app;
GRANT UPDATE (telnyx_message_id, status, error_code, error_detail) ON sms_messages TO frontdesk_app;
GRANT UPDATE (lifted_at, lifted_how) ON sms_opt_outs TO frontdesk_app;
GRANT SELECT ON sms_messages, sms_status_reports, sms_opt_outs, sms_opt_out_lifts TO frontdesk_ops;
