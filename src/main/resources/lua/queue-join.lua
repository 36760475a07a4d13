-- include: clock, queue-common
-- Join the waiting room of one event. Joining twice keeps the first place; an admitted, still active user
-- gets the admission again; a user whose admission lapsed (token expired or idle) starts a new turn at the end.
-- KEYS: the event's four queue keys (queue-common.lua)
-- ARGV: 1 user, 2 idle ms, 3 sale start ms (0 = none), 4 the user's draw place in [0,1) (pre-queue only),
--       5 the draw secret (hex) that place was computed with; stored if the event has none yet
-- Answers: {'admitted', expiry ms} | {'waiting', ...} (see waiting())
--          | {'secret', stored secret} when ARGV[5] is not the event's secret: compute the place again
local user, idle, sale = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local now = now_ms()

local expiry = touch(user, now, idle)
if expiry then
  return {'admitted', expiry}
end
local w = waiting(user, now)
if w then
  return w
end

local place
-- Decided on Redis' clock and the 'open' mark the admitter sets, so no join can land in the shuffled
-- pre-queue once admission has begun, whatever the nodes' clocks say.
if sale > now and redis.call('HEXISTS', KEYS[4], 'open') == 0 then
  redis.call('HSETNX', KEYS[4], 'secret', ARGV[5])
  local secret = redis.call('HGET', KEYS[4], 'secret')
  if secret ~= ARGV[5] then
    return {'secret', secret}
  end
  place = tonumber(ARGV[4])
  if not place or place < 0 or place >= 1 then
    return redis.error_reply('pre-queue place must be in [0,1)')
  end
else
  place = redis.call('HINCRBY', KEYS[4], 'next', 1)
end
redis.call('HDEL', KEYS[2], user)
redis.call('ZREM', KEYS[3], user)
redis.call('ZADD', KEYS[1], place, user)
return waiting(user, now)
