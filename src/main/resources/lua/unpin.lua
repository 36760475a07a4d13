-- include: seat-common
-- A payment ended without an order: give the caller's holds back their original expiry (they stay at least
-- until then). Only pins made under this charge key are touched: one purchase cannot strip another's pins.
-- KEYS: the event's twelve seat keys (seat-common.lua), KEYS[7] the caller's list
-- ARGV: 1 user, 2 the purchase's charge key, 3.. seats
-- Answers: {'ok', unpinnedCount}
local user, charge_key, n = ARGV[1], ARGV[2], 0
for i = 3, #ARGV do
  local seat = ARGV[i]
  local original, paid_under = payment_of(seat)
  if original and paid_under == charge_key and redis.call('HGET', K_HOLDS, seat) == user then
    set_expiry(seat, original)
    redis.call('HDEL', K_PAYING, seat)
    n = n + 1
  end
end
return {'ok', n}
