-- A free order (total 0) is confirmed without a charge, so it has no payment reference. Every order that
-- costs something still names the charge that paid it.
ALTER TABLE orders ALTER COLUMN payment_ref DROP NOT NULL;
ALTER TABLE orders ADD CONSTRAINT orders_paid_or_free CHECK (payment_ref IS NOT NULL OR total_cents = 0);
