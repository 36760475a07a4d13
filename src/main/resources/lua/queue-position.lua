-- include: clock, queue-common
-- Where a user stands, without joining. An admitted user's poll also counts as being seen (keeps the slot).
-- KEYS: the event's four queue keys (queue-common.lua)
-- ARGV: 1 user, 2 idle ms
-- Answers: {'admitted', expiry ms} | {'waiting', ...} (see waiting()) | {'lapsed'} | {'absent'}
local user, idle = ARGV[1], tonumber(ARGV[2])
local now = now_ms()

local expiry = touch(user, now, idle)
if expiry then
  return {'admitted', expiry}
end
local w = waiting(user, now)
if w then
  return w
end
if redis.call('HEXISTS', KEYS[2], user) == 1 then
  return {'lapsed'}
end
return {'absent'}
