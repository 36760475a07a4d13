-- include: clock, seat-common
-- Release one seat, only by the user who holds it.
-- KEYS: the event's twelve seat keys (seat-common.lua), KEYS[7] the caller's list
-- ARGV: 1 user, 2 seat, 3 log max length
-- Answers: {'released', version} | {'hold_not_found'} | {'seat_being_paid'} | {'not_ready'}
if redis.call('EXISTS', K_VERSION) == 0 then
  return {'not_ready'}
end
local user, seat = ARGV[1], tonumber(ARGV[2])
if not seat then
  return {'hold_not_found'}
end
local now = now_ms()
if redis.call('HGET', K_HOLDS, seat) ~= user or expiry_of(seat) <= now then
  return {'hold_not_found'}
end
if redis.call('HEXISTS', K_PAYING, seat) == 1 then
  -- Pinned for a running payment: releasing now could let someone else take a seat being paid for.
  return {'seat_being_paid'}
end
redis.call('HDEL', K_HOLDS, seat)
own(user, -1)
redis.call('ZREM', K_EXPIRY, seat)
redis.call('ZREM', K_MINE, seat)
redis.call('SETBIT', K_TAKEN, seat, 0)
return {'released', int(log_change(seat, 'AVAILABLE', now, ARGV[3]))}
