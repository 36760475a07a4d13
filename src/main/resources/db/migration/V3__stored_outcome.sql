-- A stored answer names its domain outcome (ORDER_CONFIRMED, PAYMENT_DECLINED); the web layer maps it to a
-- status, so the purchase code never deals in HTTP statuses. For a decline the body keeps only the detail.
ALTER TABLE idempotency_keys ADD COLUMN outcome TEXT;
UPDATE idempotency_keys SET outcome = 'ORDER_CONFIRMED' WHERE status = 'DONE' AND http_status = 201;
UPDATE idempotency_keys SET outcome = 'PAYMENT_DECLINED', body = (body::jsonb ->> 'detail')
  WHERE status = 'DONE' AND http_status = 402;
ALTER TABLE idempotency_keys DROP COLUMN http_status;
