-- (no includes)
-- Uses a queue-join challenge once: only its own user can, and only while it lives (the key's TTL).
-- KEYS: 1 the challenge (Keyspace.queueChallenge)
-- ARGV: 1 user
-- Answers: 1 (it was this user's and is now used) | 0 (unknown, expired, used, or another user's: left as is)
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
