-- A payment failed: give the caller's holds back their original expiry (they stay at least until then).
-- ARGV: 1 user, 2.. seats
-- Returns {'ok', unpinnedCount}
local user, n = ARGV[1], 0
for i = 2, #ARGV do
  local seat = ARGV[i]
  -- "<original expiry> <charge key>" (see pin.lua); a bare number from before the charge key was kept
  local original = string.match(redis.call('HGET', K_PAYING, seat) or '', '^(%d+)')
  if original and redis.call('HGET', K_HOLDS, seat) == user then
    redis.call('ZADD', K_EXPIRY, original, seat)
    redis.call('ZADD', K_MINE, original, seat)
    redis.call('HDEL', K_PAYING, seat)
    n = n + 1
  end
end
return {'ok', n}
