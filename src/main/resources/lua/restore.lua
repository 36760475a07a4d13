-- include: clock, seat-common
-- Reconciler: make Redis agree with PostgreSQL. When the version counter is gone, Redis lost its data:
-- restart the counter at Redis' clock in microseconds, above every version issued before (versions grow
-- by far less than one per microsecond), so clients see one gap and resync. Then mark the seats sold, store the
-- sale's rules, and rebuild the taken bitmap and every user's owned count (holds + seats sold to them).
-- KEYS: the event's twelve seat keys (seat-common.lua)
-- ARGV: 1 log max length, 2..6 the sale's rules as PostgreSQL has them (rev, start, end, on, cap: see
--       write_sale), 7.. "seat buyer" pairs as two arguments each: the tickets according to PostgreSQL
-- Answers: {'ok', newlySold, version, restarted(0|1)}
local restarted = 0
if redis.call('EXISTS', K_VERSION) == 0 then
  local t = redis.call('TIME')
  redis.call('SET', K_VERSION, t[1] .. string.format('%06d', tonumber(t[2])))
  restarted = 1
end
write_sale(ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6])
local now, n = now_ms(), 0
for i = 7, #ARGV - 1, 2 do
  n = n + mark_sold(ARGV[i], now, ARGV[1], ARGV[i + 1])
  if ARGV[i + 1] ~= '' then
    -- Also for a seat sold before: its buyer may be missing (sold before buyers were kept).
    redis.call('HSET', K_BUYERS, ARGV[i], ARGV[i + 1])
  end
end
rebuild_taken()
rebuild_owned()
return {'ok', n, int(tonumber(redis.call('GET', K_VERSION))), restarted}
