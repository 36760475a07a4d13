-- Events are immutable once created: their layout and rules are cached by every node without invalidation.
CREATE TABLE events (
  id                 BIGSERIAL PRIMARY KEY,
  name               TEXT        NOT NULL,
  sections           JSONB       NOT NULL,
  seat_count         INTEGER     NOT NULL CHECK (seat_count BETWEEN 1 AND 100000),
  hold_ttl_ms        BIGINT      NOT NULL CHECK (hold_ttl_ms > 0),
  max_seats_per_user INTEGER     NOT NULL CHECK (max_seats_per_user BETWEEN 1 AND 100),
  queue              JSONB       NOT NULL,
  rate_limits        JSONB       NOT NULL DEFAULT '{}'::jsonb,
  demo               BOOLEAN     NOT NULL DEFAULT FALSE,
  created_by         TEXT        NOT NULL,
  created_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- At most one seeded demo event, however many nodes boot at once.
CREATE UNIQUE INDEX events_one_demo ON events (demo) WHERE demo;
