-- (no includes; KEYS as named in queue-common.lua)
-- The event's draw as it may be published: the secret (created here if no join created it yet), whether the
-- draw has happened, and then its entrants. The caller reveals the secret only when drawn = 1.
-- KEYS: the event's queue keys (queue-common.lua)
-- ARGV: 1 a fresh secret (hex), stored only if the event has none
-- Answers: {secret, drawn (0|1), entrant user ids...} (entrants only when drawn)
redis.call('HSETNX', KEYS[4], 'secret', ARGV[1])
local secret = redis.call('HGET', KEYS[4], 'secret')
if redis.call('HEXISTS', KEYS[4], 'open') == 0 then
  return {secret, 0}
end
local answer = redis.call('ZRANGE', KEYS[5], 0, -1)
table.insert(answer, 1, 1)
table.insert(answer, 1, secret)
return answer
