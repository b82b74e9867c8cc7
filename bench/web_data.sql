-- bench/web_data.sql: the owner API benchmark's data (bench/run-web-bench.sh), written
-- straight into PostgreSQL as the database owner in one transaction: other businesses,
-- each with an owner, a receptionist and a few calls, and one big business whose calls
-- spread over the last days, as the worker's outbox drain would have left them: call
-- logs, conversations with their turns, lead scores, bookings (some cancelled) with
-- their usage events, messages and upsells. About 30 s for 200,000 calls.
-- Variables (psql -v): business  the big business (already created, with an owner and
--                                its receptionist: their password hash and configuration
--                                are copied to the others)
--                      calls     its calls;  days  how many days back they spread
--                      others    businesses to add;  other_calls  calls of each of them
--                      logins    extra users of the big business who sign in at once
--                                (login-N@bench.test, the owner's password)
-- Random but repeatable (setseed); times are the big business's local day hours.
\set ON_ERROR_STOP on
BEGIN;
SET LOCAL TimeZone = 'America/New_York';
SELECT setseed(0.42) \g /dev/null

CREATE TEMP TABLE bench_owner ON COMMIT DROP AS
SELECT u.password_hash, a.config
  FROM users u JOIN ai_agents a ON a.business_id = u.business_id AND a.is_active
 WHERE u.business_id = :'business' ORDER BY u.created_at LIMIT 1;

-- The businesses this script fills: the big one and the ones it adds, never any other
-- the database holds (the browser tests load it into a database shared with others).
CREATE TEMP TABLE bench_businesses (id uuid PRIMARY KEY) ON COMMIT DROP;
WITH added AS (INSERT INTO businesses (id, name)
               SELECT gen_random_uuid(), 'Bench business ' || g FROM generate_series(1, :others) g
               RETURNING id)
INSERT INTO bench_businesses SELECT id FROM added;
INSERT INTO users (business_id, email, password_hash, role)
SELECT b.id, 'owner-' || b.id || '@bench.test', o.password_hash, 'owner'
  FROM bench_businesses b, bench_owner o;
INSERT INTO ai_agents (business_id, version, is_active, config)
SELECT b.id, 1, true, o.config FROM bench_businesses b, bench_owner o;
INSERT INTO bench_businesses VALUES (:'business');
INSERT INTO users (business_id, email, password_hash, role)
SELECT :'business', 'login-' || g || '@bench.test', o.password_hash, 'staff'
  FROM generate_series(1, :logins) g, bench_owner o;

-- One row per call of every business: when (a local day of the range, 07:00 to 20:00,
-- never in the future), how long, how it ended, and dice for what it left behind.
CREATE TEMP TABLE bench_calls ON COMMIT DROP AS
SELECT business_id, n, gen_random_uuid() AS id,
       'v3:bench-' || md5(business_id::text || ':' || n) AS call_control_id,
       at AS started_at, at + duration_s * interval '1 second' AS ended_at, duration_s,
       CASE WHEN outcome_die < 0.80 THEN 'answered_by_agent'
            WHEN outcome_die < 0.90 THEN 'forwarded'
            WHEN outcome_die < 0.98 THEN 'missed' ELSE 'rejected_no_agent' END AS outcome,
       outcome_die < 0.90 AS is_answered,
       random() AS booked_die, random() AS message_die, random() AS upsell_die
  FROM (SELECT business_id, n, duration_s, outcome_die,
               CASE WHEN t > now() - interval '1 hour' THEN t - interval '1 day' ELSE t END AS at
          FROM (SELECT b.id AS business_id, g AS n, (20 + random() * 400)::integer AS duration_s,
                       random() AS outcome_die,
                       date_trunc('day', now()) - floor(random() * :days) * interval '1 day'
                           + interval '7 hours' + random() * interval '13 hours' AS t
                  FROM (SELECT id, CASE WHEN id = :'business' THEN :calls
                                        ELSE :other_calls END AS calls
                          FROM bench_businesses) b,
                       generate_series(1, b.calls) g) drawn) timed;

INSERT INTO call_logs (id, business_id, call_control_id, from_number, to_number, direction,
                       started_at, answered_at, ended_at, duration_s, hangup_cause,
                       hangup_source, outcome, created_at)
SELECT id, business_id, call_control_id, '+1312' || lpad((n % 10000000)::text, 7, '0'),
       '+13125550100', 'incoming', started_at,
       CASE WHEN is_answered THEN started_at + interval '2 seconds' END, ended_at, duration_s,
       'normal_clearing', 'caller', outcome, ended_at
  FROM bench_calls;

CREATE TEMP TABLE bench_conversations ON COMMIT DROP AS
SELECT c.*, gen_random_uuid() AS conversation_id FROM bench_calls c WHERE c.is_answered;
INSERT INTO call_conversations (id, business_id, call_log_id, summary, turns, created_at)
SELECT conversation_id, business_id, id, 'The caller asked about a cleaning and its price.',
       6, ended_at
  FROM bench_conversations;
INSERT INTO conversation_history (id, business_id, conversation_id, turn, speaker, text, at,
                                  created_at)
SELECT gen_random_uuid(), business_id, conversation_id, t,
       CASE WHEN t % 2 = 0 THEN 'agent' ELSE 'caller' END,
       CASE WHEN t % 2 = 0 THEN 'Thank you for calling. How can I help you today?'
            ELSE 'Hi, I would like to book a cleaning next week, how much is it?' END,
       started_at + t * interval '10 seconds', ended_at
  FROM bench_conversations, generate_series(0, 5) t;
INSERT INTO lead_scores (id, business_id, call_log_id, call_control_id, score, reasons,
                         created_at)
SELECT gen_random_uuid(), business_id, id, call_control_id, (random() * 100)::integer,
       'asked for a price; booked a visit', ended_at
  FROM bench_conversations;
INSERT INTO upsell_opportunities (id, business_id, call_log_id, call_control_id, service,
                                  suggested_service, evidence, created_at)
SELECT gen_random_uuid(), business_id, id, call_control_id, 'Cleaning', 'Whitening',
       'my teeth are not as white as they used to be', ended_at
  FROM bench_conversations WHERE upsell_die < 0.05;

-- A third of the answered calls book; bookings start on the grid of the following two
-- weeks, one place index each (the unique index of booked places is the guard).
CREATE TEMP TABLE bench_bookings ON COMMIT DROP AS
SELECT gen_random_uuid() AS id, business_id, call_control_id, n, ended_at,
       (ARRAY['Cleaning', 'X-rays', 'Whitening', 'Filling'])[1 + floor(random() * 4)::integer]
           AS service,
       date_trunc('hour', ended_at) + (1 + floor(random() * 14)) * interval '1 day' AS starts_at
  FROM bench_calls WHERE is_answered AND booked_die < 0.33;
INSERT INTO bookings (id, business_id, service, starts_at, ends_at, caller_number,
                      caller_name, slot_index, call_control_id, created_at)
SELECT id, business_id, service, starts_at, starts_at + interval '1 hour',
       '+1312' || lpad((n % 10000000)::text, 7, '0'), 'Caller ' || n, n % 100,
       call_control_id, ended_at
  FROM bench_bookings
ON CONFLICT DO NOTHING;
INSERT INTO usage_events (id, business_id, booking_id, occurred_at, created_at)
SELECT gen_random_uuid(), b.business_id, b.id, b.created_at, b.created_at
  FROM bookings b JOIN bench_bookings USING (id);
INSERT INTO booking_cancellations (id, business_id, booking_id, cancelled_at, reason)
SELECT gen_random_uuid(), b.business_id, b.id, b.created_at + interval '1 day', 'caller cancelled'
  FROM bookings b JOIN bench_bookings USING (id) WHERE random() < 0.1;

INSERT INTO messages (id, business_id, call_control_id, caller_name, callback_number,
                      message, taken_at, created_at)
SELECT gen_random_uuid(), business_id, call_control_id, 'Caller ' || n,
       '+1312' || lpad((n % 10000000)::text, 7, '0'),
       'Please call me back about my appointment.', started_at + interval '30 seconds', ended_at
  FROM bench_calls WHERE message_die < 0.10;
COMMIT;

-- Settled before anything is measured: statistics for the planner, visibility maps for
-- index-only scans, and the written pages flushed rather than checkpointed mid-run.
VACUUM ANALYZE;
CHECKPOINT;
