-- 0012_text_leads.sql (after 0011_billing_credits.sql): the owner API lists the lead scores
-- of text conversations beside those of calls (lib/owner/records_query.c), finding each
-- conversation's first text and caller by its id.
-- Locking: CREATE INDEX takes a SHARE lock on sms_messages (writes wait while it builds;
-- the table is small next to calls). Runs in one transaction.
CREATE INDEX sms_messages_conversation_idx ON sms_messages (business_id, conversation_id, at);
