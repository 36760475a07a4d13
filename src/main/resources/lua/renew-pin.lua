-- include: clock, seat-common
-- The payment-aware hold lease: while a payment is pending (a slow gateway, or the completer resolving an
-- unknown outcome), its pins are kept alive. Every seat must still be held by the caller, unexpired and
-- pinned under this purchase's charge key; then its expiry moves to at least now + window. No status change,
-- no version. A seat pinned by another purchase is missing to this one (it never renews someone else's pin).
-- KEYS: the event's twelve seat keys (seat-common.lua), KEYS[7] the caller's list
-- ARGV: 1 user, 2 window ms, 3 the purchase's charge key, 4.. seats
-- Answers: {'pinned'} | {'seat_sold', seat...} | {'hold_missing', seat...} | {'invalid_request'} | {'not_ready'}
if redis.call('EXISTS', K_VERSION) == 0 then
  return {'not_ready'}
end
local user, window, charge_key = ARGV[1], tonumber(ARGV[2]), ARGV[3]
if not window or not charge_key or charge_key == '' or #ARGV < 4 then
  return {'invalid_request'}
end
local now = now_ms()
local sold, lost = {}, {}
for i = 4, #ARGV do
  local seat = ARGV[i]
  if redis.call('SISMEMBER', K_SOLD, seat) == 1 then
    sold[#sold + 1] = seat
  else
    local original, paid_under = payment_of(seat)
    if redis.call('HGET', K_HOLDS, seat) ~= user or expiry_of(seat) <= now or not original
        or paid_under ~= charge_key then
      lost[#lost + 1] = seat
    end
  end
end
if #sold > 0 then return {'seat_sold', unpack(sold)} end
if #lost > 0 then return {'hold_missing', unpack(lost)} end
for i = 4, #ARGV do
  local seat = ARGV[i]
  set_expiry(seat, math.max(expiry_of(seat), now + window))
end
return {'pinned'}
