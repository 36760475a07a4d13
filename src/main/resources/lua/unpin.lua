-- include: seat-common
-- A payment failed: give the caller's holds back their original expiry (they stay at least until then).
-- KEYS: the event's eight seat keys (seat-common.lua), KEYS[7] the caller's list
-- ARGV: 1 user, 2.. seats
-- Answers: {'ok', unpinnedCount}
local user, n = ARGV[1], 0
for i = 2, #ARGV do
  local seat = ARGV[i]
  local original = payment_of(seat)
  if original and redis.call('HGET', K_HOLDS, seat) == user then
    set_expiry(seat, original)
    redis.call('HDEL', K_PAYING, seat)
    n = n + 1
  end
end
return {'ok', n}
