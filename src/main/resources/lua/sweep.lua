-- Turn expired holds into AVAILABLE changes. Safe when several nodes sweep at once: each run is atomic
-- and only touches seats whose expiry has passed by Redis' clock.
-- ARGV: 1 log max length, 2 max seats per run
-- Returns {'ok', freedCount} | {'not_ready'}
if redis.call('EXISTS', K_VERSION) == 0 then
  return {'not_ready'}
end
local now = now_ms()
local due = redis.call('ZRANGEBYSCORE', K_EXPIRY, '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
local freed = 0
for _, seat in ipairs(due) do
  redis.call('ZREM', K_EXPIRY, seat)
  redis.call('HDEL', K_PAYING, seat)
  if redis.call('HDEL', K_HOLDS, seat) == 1 then
    if redis.call('SISMEMBER', K_SOLD, seat) == 0 then
      redis.call('SETBIT', K_TAKEN, seat, 0)
    end
    log_change(seat, 'AVAILABLE', now, ARGV[1])
    freed = freed + 1
  end
end
return {'ok', freed}
