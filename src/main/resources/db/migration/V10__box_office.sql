-- The box office (v3): prices per category, the sale-wide cap per user, the sale window and its pause switch.
-- Version 10 leaves V5..V9 to migrations written alongside this one. Existing events get the defaults of the
-- contract: USD, one "standard" category at 5000, no cap, always open.
ALTER TABLE events
  ADD COLUMN currency             TEXT        NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  ADD COLUMN categories           JSONB       NOT NULL
    DEFAULT '[{"id": "standard", "name": "Standard", "price": 5000}]'::jsonb,
  ADD COLUMN max_tickets_per_user INTEGER     CHECK (max_tickets_per_user BETWEEN 1 AND 10000),
  ADD COLUMN sales_start_at       TIMESTAMPTZ,
  ADD COLUMN sales_end_at         TIMESTAMPTZ,
  ADD COLUMN on_sale              BOOLEAN     NOT NULL DEFAULT TRUE,
  -- +1 per PATCH: Redis keeps the rules of the highest revision it was given, never an older copy.
  ADD COLUMN sale_revision        BIGINT      NOT NULL DEFAULT 0,
  ADD CONSTRAINT events_sale_window CHECK (sales_end_at > sales_start_at);
