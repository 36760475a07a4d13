-- Release one seat, only by the user who holds it.
-- ARGV: 1 user, 2 seat, 3 log max length
-- Returns {'ok', version} | {'not_found'} | {'paying'} | {'not_ready'}
if redis.call('EXISTS', K_VERSION) == 0 then
  return {'not_ready'}
end
local user, seat = ARGV[1], tonumber(ARGV[2])
if not seat then
  return {'not_found'}
end
local now = now_ms()
if redis.call('HGET', K_HOLDS, seat) ~= user or expiry_of(seat) <= now then
  return {'not_found'}
end
if redis.call('HEXISTS', K_PAYING, seat) == 1 then
  -- Pinned for a running payment: releasing now could let someone else take a seat being paid for.
  return {'paying'}
end
redis.call('HDEL', K_HOLDS, seat)
own(user, -1)
redis.call('ZREM', K_EXPIRY, seat)
redis.call('ZREM', K_MINE, seat)
redis.call('SETBIT', K_TAKEN, seat, 0)
return {'ok', int(log_change(seat, 'AVAILABLE', now, ARGV[3]))}
