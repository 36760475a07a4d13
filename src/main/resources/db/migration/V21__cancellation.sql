-- Cancellation (v3): the purchase state machine run backwards, CONFIRMED -> CANCELLING -> CANCELLED (see
-- order/CancelService). The order's tickets turn VOID in the transaction that makes it CANCELLING; the refund
-- follows under a key derived from the charge; CANCELLED is committed once the gateway answered.
ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check
  CHECK (status IN ('CONFIRMED', 'REFUNDED', 'CANCELLING', 'CANCELLED'));
-- Until then an order's owner may cancel it (null: only an admin may); an admin may cancel any time.
ALTER TABLE events ADD COLUMN refundable_until TIMESTAMPTZ;

-- One cancellation per order, ever. Every write after the insert names the claim token, so the completer's
-- takeover fences out the request it replaced (as for purchases).
CREATE TABLE cancellations (
  order_id     UUID        PRIMARY KEY REFERENCES orders (id),
  event_id     BIGINT      NOT NULL REFERENCES events (id),
  requested_by TEXT        NOT NULL,
  key          TEXT        NOT NULL,
  phase        TEXT        NOT NULL CHECK (phase IN ('CANCELLING', 'CANCELLED')),
  claim_token  UUID        NOT NULL,
  charge_id    TEXT,
  amount_cents BIGINT      NOT NULL,
  currency     TEXT        NOT NULL,
  seats        INTEGER[]   NOT NULL,
  deadline     TIMESTAMPTZ NOT NULL,
  attempts     INTEGER     NOT NULL DEFAULT 0,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  cancelled_at TIMESTAMPTZ
);
-- An Idempotency-Key names one cancellation of its caller.
CREATE UNIQUE INDEX cancellations_by_key ON cancellations (requested_by, key);
-- What the completer scans: unfinished cancellations by deadline.
CREATE INDEX cancellations_due ON cancellations (deadline) WHERE phase = 'CANCELLING';
CREATE INDEX cancellations_by_event ON cancellations (event_id);
