-- include: clock
-- The index of live events: one sorted set for the whole service, event id -> until when it is live (ms, Redis
-- clock: its last hold, order, watcher read or queue join plus the grace). The reconciler and the admitter work
-- only on live events, so their cost follows the sales going on, not the catalog. One key: one Redis Cluster slot.
-- KEYS: 1 the index
-- ARGV: 1 'touch' | 'live' | 'ended' | 'forget', then per operation:
--   touch  2 event, 3 grace ms: live until now + grace (never earlier than it already was)
--   adopt  2.. events: those without an entry get one that has just ended (events from before the index, or
--          whose entry was lost): the reconciler then drops their keys, or finds holds and makes them live
--   live   (nothing): the live events -> {'ok', {event, ...}}
--   ended  2 limit: events whose grace passed, with the scores read -> {'ok', {event, score, ...}}
--   forget 2 event, 3 the score 'ended' read: drops the entry only if nobody touched it since
-- Answers: {'ok'} | {'ok', list} | {'invalid_request'} (an unknown operation)
local now = now_ms()
local op = ARGV[1]
if op == 'touch' then
  redis.call('ZADD', KEYS[1], 'GT', now + tonumber(ARGV[3]), ARGV[2])
  return {'ok'}
elseif op == 'adopt' then
  for i = 2, #ARGV do
    redis.call('ZADD', KEYS[1], 'NX', now - 1, ARGV[i])
  end
  return {'ok'}
elseif op == 'live' then
  return {'ok', redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')}
elseif op == 'ended' then
  return {'ok', redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. now, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))}
elseif op == 'forget' then
  if redis.call('ZSCORE', KEYS[1], ARGV[2]) == ARGV[3] then
    redis.call('ZREM', KEYS[1], ARGV[2])
  end
  return {'ok'}
end
return {'invalid_request'}
