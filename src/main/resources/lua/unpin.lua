-- include: seat-common
-- A payment ended without an order: give the caller's holds back their original expiry (they stay at least
-- until then). Only pins made under this charge key are touched: one purchase cannot strip another's pins. With
-- a pin token, only the pins that one request made (a request whose pin answer was lost takes back its own).
-- KEYS: the event's twelve seat keys (seat-common.lua), KEYS[7] the caller's list
-- ARGV: 1 user, 2 the purchase's charge key, 3 a pin token or '' (every pin of the charge key), 4.. seats
-- Answers: {'ok', unpinnedCount}
local user, charge_key, token, n = ARGV[1], ARGV[2], ARGV[3], 0
for i = 4, #ARGV do
  local seat = ARGV[i]
  local original, paid_under, pinned_by = payment_of(seat)
  if original and paid_under == charge_key and (token == '' or pinned_by == token) and redis.call('HGET', K_HOLDS, seat) == user then
    set_expiry(seat, original)
    redis.call('HDEL', K_PAYING, seat)
    n = n + 1
  end
end
return {'ok', n}
