-- 0003_bookings.sql (after 0002_calls.sql): the receptionist's bookings, their
-- cancellations, and one billable usage event per booking. Written by the worker's
-- outbox drain (lib/store/outbox_drain.c) under the tenant's RLS, idempotent by primary key.
-- Locking: new tables only; nothing to lock. Runs in one transaction (frontdesk-ctl migrate).
--
-- Capacity. The guard that callers meet is the Redis hold (lua/booking_hold.lua): one
-- atomic script per booking claims, for every slot the booking covers, a free place
-- index 0..capacity-1, all or nothing. The hold's index of the booking's first slot is
-- stored here as slot_index, and the partial unique index below refuses a second booked
-- row with the same (business, start, slot_index). So, as long as slot_index comes from
-- the hold, PostgreSQL cannot hold more than capacity booked rows that start at one
-- instant, whatever Redis did (a lost write, a failover to a replica that missed the
-- hold, a bug): the row over capacity is refused (SQLSTATE 23505), stays in the outbox
-- as a dead record, and is logged.
-- Its limits, on purpose: PostgreSQL does not know the capacity (it lives in the agent
-- configuration), so it bounds rows per start by the range of slot_index (0..99, the
-- largest capacity allowed), not by the configured capacity; and it checks a booking
-- only at its start slot. A booking that covers several slots (a 90-minute service on a
-- 30-minute grid) is checked slot by slot in Redis only; an overlap with a booking that
-- started earlier is not visible to this index. An exclusion constraint over time ranges
-- could catch overlaps only for capacity 1, so it is not used.
--
-- Cancellations. The outbox only inserts (ON CONFLICT (id) DO NOTHING), so a
-- cancellation is its own insert-only record, booking_cancellations, with a
-- deterministic id per booking. A trigger then marks the booking cancelled, so that
-- bookings.status is the truth every query reads and the unique index above frees the
-- place index for the next booking (Redis frees it in the same step through
-- lua/booking_release.lua). The trigger works in both orders: a cancellation that lands
-- before its booking (another batch) is applied when the booking is inserted.
--
-- Billing. usage_events gets one row per booking with id = det_uuid("usage_event",
-- booking id), so a replayed event bills nothing twice; the billing issue reports rows
-- whose reported_at is NULL to Stripe and sets it. A cancelled booking stays billed
-- (the receptionist did the work); the billing issue may decide otherwise.

CREATE TABLE bookings (
    id              uuid PRIMARY KEY,           -- det_uuid of business, call, service, start
    business_id     uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    service         text NOT NULL CHECK (length(service) BETWEEN 1 AND 100),
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL,
    caller_number   text,
    caller_name     text,
    status          text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled')),
    slot_index      integer NOT NULL CHECK (slot_index BETWEEN 0 AND 99),
    call_control_id text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    cancelled_at    timestamptz,
    CHECK (ends_at > starts_at),
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
);
-- The last guard against over-capacity (see above).
CREATE UNIQUE INDEX bookings_place_idx ON bookings (business_id, starts_at, slot_index)
    WHERE status = 'booked';
-- frontdesk-ctl bookings and the dashboard list by start; a caller's bookings by number.
CREATE INDEX bookings_business_start_idx ON bookings (business_id, starts_at);
CREATE INDEX bookings_business_caller_idx ON bookings (business_id, caller_number);

CREATE TABLE booking_cancellations (
    id           uuid PRIMARY KEY,              -- det_uuid("booking_cancellation", booking id)
    business_id  uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    booking_id   uuid NOT NULL,                 -- no foreign key: may drain before its booking
    cancelled_at timestamptz NOT NULL,
    reason       text,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX booking_cancellations_booking_idx ON booking_cancellations (business_id, booking_id);

CREATE TABLE usage_events (
    id           uuid PRIMARY KEY,              -- det_uuid("usage_event", booking id)
    business_id  uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    kind         text NOT NULL DEFAULT 'booking' CHECK (kind IN ('booking')),
    booking_id   uuid NOT NULL,
    amount_cents integer NOT NULL DEFAULT 5000 CHECK (amount_cents >= 0),
    occurred_at  timestamptz NOT NULL,
    reported_at  timestamptz,                   -- set by billing once Stripe has it
    created_at   timestamptz NOT NULL DEFAULT now()
);
-- One billable event per booking, whatever ids a bug might make up.
CREATE UNIQUE INDEX usage_events_booking_idx ON usage_events (business_id, kind, booking_id);
CREATE INDEX usage_events_unreported_idx ON usage_events (business_id, occurred_at)
    WHERE reported_at IS NULL;

-- A cancellation marks its booking; a booking inserted after its cancellation is born
-- cancelled. Both run as the inserting role (frontdesk_app), so RLS confines them to
-- the tenant of the transaction: a cancellation can never touch another tenant's rows.
CREATE FUNCTION booking_cancellation_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE bookings SET status = 'cancelled', cancelled_at = NEW.cancelled_at
     WHERE id = NEW.booking_id AND business_id = NEW.business_id AND status = 'booked';
    RETURN NULL;
END
$$;
CREATE TRIGGER booking_cancellations_apply AFTER INSERT ON booking_cancellations
    FOR EACH ROW EXECUTE FUNCTION booking_cancellation_apply();

CREATE FUNCTION booking_born_cancelled() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    at timestamptz;
BEGIN
    SELECT c.cancelled_at INTO at FROM booking_cancellations c
     WHERE c.booking_id = NEW.id AND c.business_id = NEW.business_id
     ORDER BY c.cancelled_at LIMIT 1;
    IF FOUND THEN
        NEW.status := 'cancelled';
        NEW.cancelled_at := at;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER bookings_born_cancelled BEFORE INSERT ON bookings
    FOR EACH ROW EXECUTE FUNCTION booking_born_cancelled();

ALTER TABLE bookings ENABLE ROW LEVEL SECURITY;
ALTER TABLE bookings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON bookings TO frontdesk_app
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
CREATE POLICY ops_read_all ON bookings FOR SELECT TO frontdesk_ops USING (true);

ALTER TABLE booking_cancellations ENABLE ROW LEVEL SECURITY;
ALTER TABLE booking_cancellations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON booking_cancellations TO frontdesk_app
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
CREATE POLICY ops_read_all ON booking_cancellations FOR SELECT TO frontdesk_ops USING (true);

ALTER TABLE usage_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON usage_events TO frontdesk_app
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
CREATE POLICY ops_read_all ON usage_events FOR SELECT TO frontdesk_ops USING (true);

-- UPDATE on bookings is for the cancellation trigger (status, cancelled_at) only;
-- on usage_events for billing's reported_at. Cancellations are append-only.
GRANT SELECT, INSERT ON bookings, booking_cancellations, usage_events TO frontdesk_app;
GRANT UPDATE (status, cancelled_at) ON bookings TO frontdesk_app;
GRANT UPDATE (reported_at) ON usage_events TO frontdesk_app;
GRANT SELECT ON bookings, booking_cancellations, usage_events TO frontdesk_ops;
