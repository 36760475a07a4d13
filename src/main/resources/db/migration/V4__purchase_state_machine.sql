-- The purchase as a durable state machine (see order/PurchasePhase): every phase is committed before the next
-- foreign call, and every write after the claim names the claim token, so a takeover by the completer can
-- never be overwritten by the request it replaced.
ALTER TABLE idempotency_keys RENAME TO purchases;
-- Claims left IN_PROGRESS by the old code name no event or seats and cannot be resolved; nothing was stored
-- for them (their requests never reached a committed answer), so their keys start afresh.
DELETE FROM purchases WHERE status = 'IN_PROGRESS';
ALTER TABLE purchases
  ADD COLUMN phase        TEXT,
  ADD COLUMN claim_token  UUID,
  ADD COLUMN event_id     BIGINT REFERENCES events (id),
  ADD COLUMN seats        INTEGER[],
  ADD COLUMN payment_token TEXT,
  ADD COLUMN amount_cents BIGINT,
  ADD COLUMN charge_key   TEXT,
  ADD COLUMN charge_id    TEXT,
  ADD COLUMN order_id     UUID,
  ADD COLUMN deadline     TIMESTAMPTZ NOT NULL DEFAULT now(),
  ADD COLUMN attempts     INTEGER     NOT NULL DEFAULT 0,
  ADD COLUMN updated_at   TIMESTAMPTZ NOT NULL DEFAULT now();
UPDATE purchases SET phase = CASE outcome WHEN 'ORDER_CONFIRMED' THEN 'CONFIRMED' ELSE 'DECLINED' END;
ALTER TABLE purchases DROP COLUMN status;
ALTER TABLE purchases ALTER COLUMN phase SET NOT NULL;
ALTER TABLE purchases ADD CONSTRAINT purchases_phase CHECK
  (phase IN ('CLAIMED', 'CHARGING', 'CHARGED', 'CONFIRMED', 'DECLINED', 'REFUNDING', 'REFUNDED', 'FAILED'));
-- One gateway idempotency key per purchase, ever: a refunded key can never be charged again.
CREATE UNIQUE INDEX purchases_charge_key ON purchases (charge_key);
-- What the completer scans: unfinished purchases by deadline.
CREATE INDEX purchases_due ON purchases (deadline) WHERE phase IN ('CLAIMED', 'CHARGING', 'CHARGED', 'REFUNDING');
