-- Confirm-begin: every seat must be held by the caller and unexpired; then pin the holds for the payment
-- window so they can neither expire nor be released while the payment runs. No status change, no version.
-- ARGV: 1 user, 2 payment window ms, 3 seatCount, 4.. seats
-- Returns {'ok'} | {'sold', seat...} | {'missing', seat...} | {'busy', seat...} | {'bad_args'} | {'not_ready'}
if redis.call('EXISTS', K_VERSION) == 0 then
  return {'not_ready'}
end
local user, window = ARGV[1], tonumber(ARGV[2])
local seats = seats_from(4, tonumber(ARGV[3]))
if not seats or not window then
  return {'bad_args'}
end
local now = now_ms()
local sold, missing, busy = {}, {}, {}
for _, seat in ipairs(seats) do
  if redis.call('SISMEMBER', K_SOLD, seat) == 1 then
    sold[#sold + 1] = seat
  elseif redis.call('HGET', K_HOLDS, seat) ~= user or expiry_of(seat) <= now then
    missing[#missing + 1] = seat
  elseif redis.call('HEXISTS', K_PAYING, seat) == 1 then
    -- Another order of the same user is paying for this seat right now.
    busy[#busy + 1] = seat
  end
end
if #sold > 0 then return {'sold', unpack(sold)} end
if #missing > 0 then return {'missing', unpack(missing)} end
if #busy > 0 then return {'busy', unpack(busy)} end
for _, seat in ipairs(seats) do
  local exp = expiry_of(seat)
  local pinned = math.max(exp, now + window)
  redis.call('HSET', K_PAYING, seat, int(exp))
  redis.call('ZADD', K_EXPIRY, pinned, seat)
  redis.call('ZADD', K_MINE, pinned, seat)
end
return {'ok'}
