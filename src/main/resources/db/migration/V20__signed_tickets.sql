-- Tickets become things a buyer holds: an id, a holder, a signed code (a compact JWS made at confirm time) and a
-- status. A void ticket (cancelled order, transferred ticket) no longer holds its seat, so "one ticket per seat"
-- becomes "one live ticket per seat": a seat put back on sale can be sold again.
ALTER TABLE tickets
  ADD COLUMN id            UUID,
  ADD COLUMN holder        TEXT,
  ADD COLUMN code          TEXT,
  ADD COLUMN status        TEXT        NOT NULL DEFAULT 'VALID' CHECK (status IN ('VALID', 'USED', 'VOID')),
  ADD COLUMN checked_in_at TIMESTAMPTZ,
  ADD COLUMN voided_at     TIMESTAMPTZ,
  -- Every change of status bumps this sequence value: door apps sync check-ins "since a cursor".
  ADD COLUMN changed_seq   BIGINT,
  ADD COLUMN changed_at    TIMESTAMPTZ;
UPDATE tickets t SET id = gen_random_uuid(), holder = o.user_id FROM orders o WHERE o.id = t.order_id;
ALTER TABLE tickets ALTER COLUMN id SET NOT NULL, ALTER COLUMN holder SET NOT NULL, ADD PRIMARY KEY (id);
-- Codes of tickets sold before this migration are signed when first listed (the claims are the row's own).
ALTER TABLE tickets DROP CONSTRAINT tickets_one_per_seat;
CREATE UNIQUE INDEX tickets_one_live_per_seat ON tickets (event_id, seat_id) WHERE status <> 'VOID';
CREATE INDEX tickets_by_holder ON tickets (event_id, holder);
CREATE SEQUENCE ticket_changes;
CREATE INDEX tickets_changes ON tickets (event_id, changed_seq) WHERE changed_seq IS NOT NULL;
