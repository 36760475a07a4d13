-- include: seat-common
-- A new event starts at version 0. NX: never moves an existing counter. Stores the sale's rules and builds the
-- taken bitmap from the holds and sold seats (empty for a new event; an event from before the bitmap gets it here),
-- and marks the event's access codes as loaded.
-- KEYS: the event's twelve seat keys (seat-common.lua)
-- ARGV: 1..5 the sale's rules (rev, start, end, on, cap: see write_sale)
-- Answers: {'ok'}
redis.call('SET', K_VERSION, 0, 'NX')
-- A new event's access codes are all in Redis (none yet; minted ones are added as they are made).
redis.call('HSETNX', K_CODES, '*', '1')
write_sale(ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
rebuild_taken()
return {'ok'}
