-- include: clock
-- The index of due sweeping: one sorted set for the whole service, event id -> when that event may next have an
-- expired hold to free (ms, Redis clock). The sweeper takes only the events that are due, so its cost follows
-- the sales that have holds, not the catalog. One key, so every call stays in one Redis Cluster slot.
-- KEYS: 1 the index
-- ARGV: 1 'mark' | 'take' | 'settle', then per operation:
--   mark   2 event, 3 expiry ms: a hold of the event expires then. Lowers (or adds) the event's entry; an entry
--          that is already due is moved 1 ms earlier instead, so a sweep that read it before this hold cannot
--          settle it (see settle) and the event is swept once more, seeing this hold.
--   take   2 limit: the due events and the scores read -> {'ok', {event, score, ...}}
--   settle 2 event, 3 the score take read, 4 the event's next expiry after its sweep ('' none): replaces the
--          entry only if nobody marked it since (its score is still the one read), else leaves it due.
-- Answers: {'ok'} | {'ok', list} | {'invalid_request'} (an unknown operation)
local now = now_ms()
local op = ARGV[1]
if op == 'mark' then
  local exp = tonumber(ARGV[3])
  local cur = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[2]) or '')
  if not cur or exp < cur then
    redis.call('ZADD', KEYS[1], exp, ARGV[2])
  elseif cur <= now then
    redis.call('ZADD', KEYS[1], cur - 1, ARGV[2])
  end
  return {'ok'}
elseif op == 'take' then
  return {'ok', redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))}
elseif op == 'settle' then
  if redis.call('ZSCORE', KEYS[1], ARGV[2]) == ARGV[3] then
    if ARGV[4] == '' then
      redis.call('ZREM', KEYS[1], ARGV[2])
    else
      redis.call('ZADD', KEYS[1], ARGV[4], ARGV[2])
    end
  end
  return {'ok'}
end
return {'invalid_request'}
