-- include: clock, seat-common
-- Puts the seats of a cancelled order back on sale, after PostgreSQL committed the cancellation (its tickets
-- VOID; PostgreSQL is the truth, this is the mirror). Each seat still sold leaves the sold set, its buyer's owned
-- count (maxTicketsPerUser) drops by one, and AVAILABLE is logged, so every watcher sees it. Idempotent per
-- order: the first run adds the order to the cancelled set, and any later run (a retry, the completer after a
-- crash, the reconciler) changes nothing, even if the seat was sold again meanwhile.
-- KEYS: the event's twelve seat keys (seat-common.lua), 13 the set of cancelled orders whose seats came back
-- ARGV: 1 log max length, 2 the order id, 3.. its seats
-- Answers: {'ok', seatsMadeAvailable, version} | {'not_ready'}
if redis.call('EXISTS', K_VERSION) == 0 then
  return {'not_ready'}
end
local function version()
  return int(tonumber(redis.call('GET', K_VERSION)))
end
if redis.call('SADD', KEYS[13], ARGV[2]) == 0 then
  return {'ok', 0, version()}
end
local now, n = now_ms(), 0
for i = 3, #ARGV do
  local seat = ARGV[i]
  if redis.call('SREM', K_SOLD, seat) == 1 then
    own(redis.call('HGET', K_BUYERS, seat), -1)
    redis.call('HDEL', K_BUYERS, seat)
    if redis.call('HEXISTS', K_HOLDS, seat) == 0 then
      redis.call('SETBIT', K_TAKEN, seat, 0)
    end
    log_change(seat, 'AVAILABLE', now, ARGV[1])
    n = n + 1
  end
end
return {'ok', n, version()}
