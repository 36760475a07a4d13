-- include: clock, seat-common
-- Mark seats sold after PostgreSQL committed the order (PostgreSQL is the truth; this is the mirror).
-- Idempotent: a seat already sold is skipped, so the reconciler may replay it freely. KEYS[7] is the buyer's
-- list of holds (see live_holds), or one nobody has.
-- KEYS: the event's twelve seat keys (seat-common.lua), KEYS[7] the buyer's list or one nobody has
-- ARGV: 1 log max length, 2 the buyer ('' when unknown; the seats count toward the buyer's maxTicketsPerUser),
--       3.. seats
-- Answers: {'ok', newlySold, version} | {'not_ready'}
if redis.call('EXISTS', K_VERSION) == 0 then
  return {'not_ready'}
end
local now, n = now_ms(), 0
for i = 3, #ARGV do
  n = n + mark_sold(ARGV[i], now, ARGV[1], ARGV[2])
end
return {'ok', n, int(tonumber(redis.call('GET', K_VERSION)))}
