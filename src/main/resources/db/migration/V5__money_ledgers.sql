-- The dev gateway's ledger (payment.FakePaymentGateway), in PostgreSQL so that every node and every restart
-- see the same charges, as they would see one real gateway. One row per charge key, like an idempotency key.
CREATE TABLE fake_gateway_charges (
  seq          BIGSERIAL   PRIMARY KEY,
  id           TEXT        NOT NULL UNIQUE,
  charge_key   TEXT        NOT NULL UNIQUE,
  status       TEXT        NOT NULL CHECK (status IN ('SUCCEEDED', 'DECLINED', 'REFUNDED')),
  amount_cents BIGINT      NOT NULL,
  client_key   TEXT,
  user_id      TEXT,
  event_id     BIGINT,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Where the gateway-to-purchases reconciliation (order.ChargeReconciler) stands, one row: it walks the
-- gateway's charges newest first, examining those created before walk_boundary, continuing after walk_after
-- (null: from the newest), and stops at watermark (where the previous finished walk started). A lease
-- keeps two nodes from walking at once.
CREATE TABLE charge_reconciliation (
  id            INTEGER     PRIMARY KEY CHECK (id = 1),
  watermark     TIMESTAMPTZ,
  walk_boundary TIMESTAMPTZ,
  walk_after    TEXT,
  lease_token   UUID,
  lease_until   TIMESTAMPTZ NOT NULL DEFAULT 'epoch',
  examined      BIGINT      NOT NULL DEFAULT 0,
  refunded      BIGINT      NOT NULL DEFAULT 0
);
INSERT INTO charge_reconciliation (id) VALUES (1);

-- Purchases whose outcome is still unknown, by age (the completer's bound and the unknown-for-long gauge).
CREATE INDEX purchases_unfinished_by_age ON purchases (created_at)
  WHERE phase IN ('CLAIMED', 'CHARGING', 'CHARGED', 'REFUNDING');
