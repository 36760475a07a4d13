-- include: clock, seat-common
-- Turn expired holds into AVAILABLE changes. Safe when several nodes sweep at once: each run is atomic
-- and only touches seats whose expiry has passed by Redis' clock.
-- KEYS: the event's twelve seat keys (seat-common.lua)
-- ARGV: 1 log max length, 2 max seats per run
-- Answers: {'ok', freedCount, nextExpiryMs or ''} | {'not_ready'}: when the event's next hold expires (the
--          sweeper's index of due work keeps it; see sweep-due.lua), '' when it has no hold left.
if redis.call('EXISTS', K_VERSION) == 0 then
  return {'not_ready'}
end
local now = now_ms()
local due = redis.call('ZRANGEBYSCORE', K_EXPIRY, '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
local freed = 0
for _, seat in ipairs(due) do
  freed = freed + free_expired(seat, now, ARGV[1])
end
local next_exp = redis.call('ZRANGE', K_EXPIRY, 0, 0, 'WITHSCORES')[2]
return {'ok', freed, next_exp and int(tonumber(next_exp)) or ''}
