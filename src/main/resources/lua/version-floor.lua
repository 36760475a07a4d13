-- include: clock, seat-common
-- Failover safety: a promoted replica (Redis Cluster or Sentinel failover) may hold an OLDER version counter
-- than clients have already seen. When the counter is below the floor (the highest version a node published
-- or saw), restart it above, as after data loss: floor + margin. The change log is dropped (its entries carry
-- the replica's, possibly reused, versions) and restarts with one RESYNC marker at the new version: every tail
-- that reads it tells its watchers to resync, and a reader behind it gets a snapshot, never a mix. The caller
-- then restores the sold seats from PostgreSQL.
-- KEYS: the event's twelve seat keys (seat-common.lua)
-- ARGV: 1 floor, 2 margin, 3 log max length
-- Answers: {'ok', version, raised(0|1)}
local floor = tonumber(ARGV[1])
local v = tonumber(redis.call('GET', K_VERSION) or '-1')
if v >= floor then
  return {'ok', int(v), 0}
end
redis.call('DEL', K_LOG)
redis.call('SET', K_VERSION, int(floor + tonumber(ARGV[2]) - 1))
local next = log_change(0, 'RESYNC', now_ms(), ARGV[3])
return {'ok', int(next), 1}
