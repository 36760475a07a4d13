-- include: clock, seat-common
-- Confirm-begin: every seat must be held by the caller and unexpired; then pin the holds for the payment
-- window so they can neither expire nor be released while the payment runs. No status change, no version.
-- KEYS: the event's twelve seat keys (seat-common.lua), KEYS[7] the caller's list
-- ARGV: 1 user, 2 payment window ms, 3 seatCount, 4 the purchase's charge key, 5 this request's pin token, 6.. seats
-- Answers: {'pinned'} | {'seat_sold', seat...} | {'hold_missing', seat...} | {'request_in_progress', seat...}
--          | {'seat_paid_by_other_order', seat...} | {'sale_closed'} (the sale ended: no new purchase starts; one
--          already pinned finishes) | {'invalid_request'} | {'not_ready'}
-- The paying hash keeps the original expiry, the charge key and the pin token per pinned seat (payment_of).
-- The token names the one request that pinned: when its answer is lost, that request takes back exactly its
-- own pins (unpin.lua with the token), never those of a later request with the same key.
-- 'request_in_progress' means the seats are being paid for under this very charge key (a second request with
-- the same Idempotency-Key), 'seat_paid_by_other_order' under another one.
if redis.call('EXISTS', K_VERSION) == 0 then
  return {'not_ready'}
end
local user, window, charge_key, token = ARGV[1], tonumber(ARGV[2]), ARGV[4], ARGV[5]
local seats = seats_from(6, tonumber(ARGV[3]))
if not seats or not window or not charge_key or charge_key == '' or not string.match(token or '', '^%S+$') then
  return {'invalid_request'}
end
local now = now_ms()
local refusal = sale_refusal(now)
if refusal and refusal[1] == 'sale_closed' then
  return refusal
end
local sold, missing, busy, same_key = {}, {}, {}, {}
for _, seat in ipairs(seats) do
  if redis.call('SISMEMBER', K_SOLD, seat) == 1 then
    sold[#sold + 1] = seat
  elseif redis.call('HGET', K_HOLDS, seat) ~= user or expiry_of(seat) <= now then
    missing[#missing + 1] = seat
  else
    local original, paid_under = payment_of(seat)
    if original then
      -- Being paid for right now: by this purchase (its key in flight twice) or by another order of the user.
      if paid_under == charge_key then
        same_key[#same_key + 1] = seat
      else
        busy[#busy + 1] = seat
      end
    end
  end
end
if #sold > 0 then return {'seat_sold', unpack(sold)} end
if #missing > 0 then return {'hold_missing', unpack(missing)} end
if #same_key > 0 then return {'request_in_progress', unpack(same_key)} end
if #busy > 0 then return {'seat_paid_by_other_order', unpack(busy)} end
for _, seat in ipairs(seats) do
  local exp = expiry_of(seat)
  redis.call('HSET', K_PAYING, seat, int(exp) .. ' ' .. charge_key .. ' ' .. token)
  set_expiry(seat, math.max(exp, now + window))
end
return {'pinned'}
