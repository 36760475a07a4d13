-- include: seat-common
-- A new event starts at version 0. NX: never moves an existing counter. Builds the taken bitmap from the
-- holds and sold seats (empty for a new event; an event from before the bitmap gets it here).
-- KEYS: the event's eight seat keys (seat-common.lua)
-- ARGV: none
-- Answers: {'ok'}
redis.call('SET', K_VERSION, 0, 'NX')
rebuild_taken()
return {'ok'}
