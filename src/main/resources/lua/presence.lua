-- include: clock
-- Watchers of one event across every node. Each node refreshes its own entry every few seconds; an entry
-- that is not refreshed within its TTL (the node crashed or lost Redis) drops out by itself, so no node has
-- to clean up after another.
-- KEYS: 1 zset node -> expiry (ms, Redis' clock), 2 hash node -> watcher count
-- ARGV: 1 node id ('' = only read), 2 watcher count on that node (0 removes the entry), 3 ttl ms
-- Answers: the number of watchers on all live nodes.
local K_EXPIRY, K_COUNTS = KEYS[1], KEYS[2]
local now = now_ms()
local node, ttl = ARGV[1], tonumber(ARGV[3])

if node ~= '' then
  local n = tonumber(ARGV[2])
  if n > 0 then
    redis.call('ZADD', K_EXPIRY, now + ttl, node)
    redis.call('HSET', K_COUNTS, node, n)
    -- When every node is gone, the keys themselves go too.
    redis.call('PEXPIRE', K_EXPIRY, ttl * 2)
    redis.call('PEXPIRE', K_COUNTS, ttl * 2)
  else
    redis.call('ZREM', K_EXPIRY, node)
    redis.call('HDEL', K_COUNTS, node)
  end
end

local expired = redis.call('ZRANGEBYSCORE', K_EXPIRY, '-inf', now)
if #expired > 0 then
  redis.call('HDEL', K_COUNTS, unpack(expired))
  redis.call('ZREMRANGEBYSCORE', K_EXPIRY, '-inf', now)
end

local total = 0
for _, n in ipairs(redis.call('HVALS', K_COUNTS)) do
  total = total + tonumber(n)
end
return total
