-- (no includes; KEYS as named in queue-common.lua)
-- A user is done with the waiting room (left it, or their order was confirmed): out of the line, and an
-- admitted user's active slot is freed at once, so the next admission round can give it to the next in line.
-- KEYS: the event's queue keys (queue-common.lua)
-- ARGV: 1 user
-- Answers: 'left' (was waiting) | 'freed' (held an admission) | 'absent'
local user = ARGV[1]
if redis.call('ZREM', KEYS[1], user) == 1 then
  return 'left'
end
local slot = redis.call('ZREM', KEYS[3], user)
local entry = redis.call('HDEL', KEYS[2], user)
if slot + entry > 0 then
  return 'freed'
end
return 'absent'
