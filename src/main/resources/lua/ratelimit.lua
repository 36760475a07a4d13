-- include: clock
-- Token buckets for one request, per user and per client IP, decided together: a request passes only when
-- both buckets have a token, and then takes one from each. Both keys carry the event's hash tag.
-- KEYS: 1 user bucket, 2 ip bucket (hashes: tokens, ts)
-- ARGV: 1 user rate/s, 2 user burst, 3 ip rate/s, 4 ip burst (rate 0 = no limit)
-- Answers: {1} allowed | {0, retryAfterMs}
local now = now_ms()

local function level(key, rate, burst)
  local b = redis.call('HMGET', key, 'tokens', 'ts')
  local tokens, ts = tonumber(b[1]), tonumber(b[2])
  if not tokens then
    return burst
  end
  -- max(0, ...): should TIME step back (a failover to a replica), a bucket must not lose tokens or go negative.
  return math.min(burst, tokens + math.max(0, now - ts) * rate / 1000)
end

local wait = 0
local levels = {}
for i = 1, 2 do
  local rate, burst = tonumber(ARGV[i * 2 - 1]), tonumber(ARGV[i * 2])
  if rate > 0 then
    local l = level(KEYS[i], rate, burst)
    levels[i] = l
    if l < 1 then
      wait = math.max(wait, math.ceil((1 - l) * 1000 / rate))
    end
  end
end
if wait > 0 then
  return {0, wait}
end
for i = 1, 2 do
  local rate, burst = tonumber(ARGV[i * 2 - 1]), tonumber(ARGV[i * 2])
  if rate > 0 then
    redis.call('HSET', KEYS[i], 'tokens', tostring(levels[i] - 1), 'ts', now)
    -- A bucket refills completely in burst/rate seconds; after that it carries no information.
    redis.call('PEXPIRE', KEYS[i], math.ceil(burst * 1000 / rate) + 1000)
  end
end
return {1}
