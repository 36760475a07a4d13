-- Mark seats sold after PostgreSQL committed the order (PostgreSQL is the truth; this is the mirror).
-- Idempotent: a seat already sold is skipped, so the reconciler may replay it freely.
-- ARGV: 1 log max length, 2.. seats
-- Returns {'ok', newlySold, version} | {'not_ready'}
if redis.call('EXISTS', K_VERSION) == 0 then
  return {'not_ready'}
end
local now, n = now_ms(), 0
for i = 2, #ARGV do
  local seat = ARGV[i]
  if redis.call('SADD', K_SOLD, seat) == 1 then
    redis.call('HDEL', K_HOLDS, seat)
    redis.call('ZREM', K_EXPIRY, seat)
    redis.call('HDEL', K_PAYING, seat)
    log_change(seat, 'SOLD', now, ARGV[1])
    n = n + 1
  end
end
return {'ok', n, int(tonumber(redis.call('GET', K_VERSION)))}
