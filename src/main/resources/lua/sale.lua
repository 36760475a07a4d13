-- include: seat-common
-- A sale's rules changed (PATCH /api/events/{id}, after PostgreSQL committed them): every node's hold and best
-- scripts decide by them from the next call on. An older revision than the stored one is ignored.
-- KEYS: the event's twelve seat keys (seat-common.lua)
-- ARGV: 1..5 the sale's rules (rev, start, end, on, cap: see write_sale)
-- Answers: {'ok', stored(0|1)}
return {'ok', write_sale(ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])}
