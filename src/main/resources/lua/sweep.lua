-- include: clock, seat-common
-- Turn expired holds into AVAILABLE changes. Safe when several nodes sweep at once: each run is atomic
-- and only touches seats whose expiry has passed by Redis' clock.
-- KEYS: the event's eight seat keys (seat-common.lua)
-- ARGV: 1 log max length, 2 max seats per run
-- Answers: {'ok', freedCount} | {'not_ready'}
if redis.call('EXISTS', K_VERSION) == 0 then
  return {'not_ready'}
end
local now = now_ms()
local due = redis.call('ZRANGEBYSCORE', K_EXPIRY, '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
local freed = 0
for _, seat in ipairs(due) do
  freed = freed + free_expired(seat, now, ARGV[1])
end
return {'ok', freed}
