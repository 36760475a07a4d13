-- include: seat-common
-- Mirrors a ticket transfer PostgreSQL committed: the seat's buyer becomes the receiver, so maxTicketsPerUser
-- counts it for the receiver (+1) and no longer for the giver (-1). Idempotent: only a seat sold to `from` moves.
-- KEYS: the event's twelve seat keys (seat-common.lua)
-- ARGV: 1 seat, 2 from (the giver), 3 to (the receiver)
-- Answers: {'ok', moved (0 or 1)} | {'not_ready'}
if redis.call('EXISTS', K_VERSION) == 0 then
  return {'not_ready'}
end
if redis.call('SISMEMBER', K_SOLD, ARGV[1]) == 0 or redis.call('HGET', K_BUYERS, ARGV[1]) ~= ARGV[2] then
  return {'ok', 0}
end
redis.call('HSET', K_BUYERS, ARGV[1], ARGV[3])
own(ARGV[2], -1)
own(ARGV[3], 1)
return {'ok', 1}
