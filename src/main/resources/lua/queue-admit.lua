-- include: clock, queue-common
-- One admission round for one event; every node runs it every ~100 ms. Everything is decided here, on Redis'
-- clock, so any number of concurrent admitters together admit:
--   * in order: the lowest places of the line first (ZPOPMIN);
--   * never past maxActive: slots whose active-until passed are freed first, and only the remaining room is
--     filled; nothing else ever adds to the active set;
--   * never faster than admitPerSecond: a token bucket that starts EMPTY when the queue opens and holds at
--     most max(1, rate * burst ms) credit, so any interval of T seconds admits at most rate * T + that cap,
--     and the total since opening never exceeds rate * elapsed.
-- KEYS: the event's four queue keys (queue-common.lua)
-- ARGV: 1 admitPerSecond, 2 maxActive, 3 sale start ms (0 = none), 4 entry ttl ms, 5 idle ms, 6 max batch,
--       7 burst ms
-- Answers: {'closed', 0, served, waiting, active, '0'} before the sale starts,
--          {'open', admitted now, served, waiting, active, measured rate} otherwise
local rate, max_active, sale = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local ttl, idle, batch, burst_ms = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local now = now_ms()

local st = redis.call('HMGET', KEYS[4], 'open', 'credit', 'ts', 'served', 'rate')
local served = tonumber(st[4]) or 0
if sale > 0 and now < sale then
  return {'closed', 0, served, redis.call('ZCARD', KEYS[1]), 0, '0'}
end

local credit
if not st[1] then
  redis.call('HSET', KEYS[4], 'open', now)
  -- The draw: freeze the pre-queue (places < 1) so GET /queue/draw can publish every entrant's value.
  redis.call('ZRANGESTORE', KEYS[5], KEYS[1], 0, '(1', 'BYSCORE')
  credit = 0
else
  local cap = math.max(1, rate * burst_ms / 1000)
  local last = tonumber(st[3]) or now
  credit = math.min(cap, (tonumber(st[2]) or 0) + math.max(0, now - last) * rate / 1000)
end

redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local active = redis.call('ZCARD', KEYS[3])
local n = math.min(math.floor(credit), max_active - active, batch)
local admitted = 0
if n > 0 then
  local popped = redis.call('ZPOPMIN', KEYS[1], n)
  local expiry = now + ttl
  local active_until = math.min(now + idle, expiry)
  for i = 1, #popped, 2 do
    redis.call('HSET', KEYS[2], popped[i], expiry)
    redis.call('ZADD', KEYS[3], active_until, popped[i])
    admitted = admitted + 1
  end
  credit = credit - admitted
  served = served + admitted
end

-- Measured rate: 'served' as last seen in each of the last 30 seconds; rate over the oldest kept second.
local sec = math.floor(now / 1000)
local slot = 'r' .. (sec % 30)
redis.call('HSET', KEYS[4], 'credit', tostring(credit), 'ts', now, 'served', served, slot, sec .. ':' .. served)
local fields = {}
for i = 0, 29 do
  fields[i + 1] = 'r' .. i
end
local ring = redis.call('HMGET', KEYS[4], unpack(fields))
local oldest_sec, oldest_served = sec, served
for i = 1, 30 do
  if ring[i] then
    local colon = string.find(ring[i], ':', 1, true)
    local s = tonumber(string.sub(ring[i], 1, colon - 1))
    if s > sec - 30 and s < oldest_sec then
      oldest_sec, oldest_served = s, tonumber(string.sub(ring[i], colon + 1))
    end
  end
end
local measured = '0'
if sec - oldest_sec >= 2 then
  measured = tostring((served - oldest_served) / (sec - oldest_sec))
end
redis.call('HSET', KEYS[4], 'rate', measured)
return {'open', admitted, served, redis.call('ZCARD', KEYS[1]), active + admitted, measured}
