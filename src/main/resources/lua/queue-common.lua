-- Shared by the waiting-room scripts, each of which names it in its first line (`-- include: queue-common`;
-- LuaScript inlines it: Redis has no include). All keys carry the event's hash tag.
-- KEYS[1] line   zset  waiting user -> place: the user's draw value in [0,1) when joined before the sale started
--                      (the pre-queue: the first 52 bits of HMAC-SHA256(secret, user), so its order is the
--                      published, verifiable draw), else 1, 2, 3 ... in arrival order. ZRANK is then the
--                      number of people ahead, O(log n).
-- KEYS[2] entry  hash  admitted user -> entry-token expiry (ms); the token is derived from it, so every poll
--                      answers the same token
-- KEYS[3] active zset  admitted user -> active until (ms) = min(last seen + idle, token expiry)
-- KEYS[4] state  hash  open (ms, set by the first admission round), credit + ts (rate bucket), served
--                      (admitted so far), next (last FIFO place), rate (measured admissions/s), r0..r29 (ring),
--                      secret (the draw secret, hex; set once, by the first join or draw read)
-- KEYS[5] drawn  zset  the pre-queue as it stood at the draw (copied by the first admission round), so the
--                      draw stays publishable after its entrants have been admitted
-- Extends an admitted user's slot. Never re-creates a lapsed one: that could push the room past maxActive
-- behind the admitter's back. Returns the entry expiry, or nil when the user holds no live slot.
local function touch(user, now, idle)
  local active_until = tonumber(redis.call('ZSCORE', KEYS[3], user))
  if not active_until or active_until <= now then
    return nil
  end
  local expiry = tonumber(redis.call('HGET', KEYS[2], user))
  if not expiry or expiry <= now then
    return nil
  end
  redis.call('ZADD', KEYS[3], math.min(now + idle, expiry), user)
  return expiry
end

-- {'waiting', people ahead, served, measured rate, provisional (1 = pre-queue place, reshuffled until the
-- sale starts), now} or nil when the user is not in line.
local function waiting(user, now)
  local place = tonumber(redis.call('ZSCORE', KEYS[1], user))
  if not place then
    return nil
  end
  local ahead = redis.call('ZRANK', KEYS[1], user)
  local st = redis.call('HMGET', KEYS[4], 'served', 'rate', 'open')
  local provisional = 0
  if place < 1 and not st[3] then
    provisional = 1
  end
  return {'waiting', ahead, tonumber(st[1]) or 0, st[2] or '0', provisional, now}
end
