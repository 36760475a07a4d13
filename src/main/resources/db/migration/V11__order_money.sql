-- The order's money (box office v3): a purchase's total is computed on the server from the event's prices
-- (amount_cents, already stored) in the event's currency, stored with the purchase so that the completer sends
-- the very same charge again. Purchases from before the box office were USD.
ALTER TABLE purchases ADD COLUMN currency TEXT NOT NULL DEFAULT 'USD';
-- The order keeps its money too, so GET /api/orders/{id} answers what the purchase's 201 did.
ALTER TABLE orders
  ADD COLUMN currency    TEXT   NOT NULL DEFAULT 'USD',
  ADD COLUMN total_cents BIGINT NOT NULL DEFAULT 0;
