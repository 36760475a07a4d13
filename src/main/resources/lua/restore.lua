-- include: clock, seat-common
-- Reconciler: make Redis agree with PostgreSQL. When the version counter is gone, Redis lost its data:
-- restart the counter at Redis' clock in microseconds, above every version issued before (versions grow
-- by far less than one per microsecond), so clients see one gap and resync. Then mark the seats sold and rebuild the taken bitmap.
-- KEYS: the event's eight seat keys (seat-common.lua)
-- ARGV: 1 log max length, 2.. seats sold according to PostgreSQL
-- Answers: {'ok', newlySold, version, restarted(0|1)}
local restarted = 0
if redis.call('EXISTS', K_VERSION) == 0 then
  local t = redis.call('TIME')
  redis.call('SET', K_VERSION, t[1] .. string.format('%06d', tonumber(t[2])))
  restarted = 1
end
local now, n = now_ms(), 0
for i = 2, #ARGV do
  n = n + mark_sold(ARGV[i], now, ARGV[1])
end
rebuild_taken()
return {'ok', n, int(tonumber(redis.call('GET', K_VERSION))), restarted}
