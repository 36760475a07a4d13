CREATE TABLE orders (
  id          UUID        PRIMARY KEY,
  event_id    BIGINT      NOT NULL REFERENCES events (id),
  user_id     TEXT        NOT NULL,
  status      TEXT        NOT NULL CHECK (status IN ('CONFIRMED', 'REFUNDED')),
  seats       INTEGER[]   NOT NULL,
  payment_ref TEXT        NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX orders_by_user ON orders (event_id, user_id, created_at);

-- The last line against overselling, whatever Redis says: one ticket per seat per event, ever.
CREATE TABLE tickets (
  event_id BIGINT  NOT NULL REFERENCES events (id),
  seat_id  INTEGER NOT NULL,
  order_id UUID    NOT NULL REFERENCES orders (id),
  CONSTRAINT tickets_one_per_seat UNIQUE (event_id, seat_id)
);
CREATE INDEX tickets_by_order ON tickets (order_id);

-- A claim row is inserted before payment (status IN_PROGRESS) so a concurrent retry with the same key
-- waits instead of charging twice; the final answer is written in the same transaction as the order.
CREATE TABLE idempotency_keys (
  user_id      TEXT        NOT NULL,
  key          TEXT        NOT NULL,
  request_hash TEXT        NOT NULL,
  status       TEXT        NOT NULL CHECK (status IN ('IN_PROGRESS', 'DONE')),
  http_status  INTEGER,
  body         TEXT,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);
