-- Shared prelude of every seat script (LuaScript prepends it). One event's keys share the hash tag {eventId},
-- so each script touches a single Redis Cluster slot.
-- KEYS: 1 holds (hash seat->user), 2 expiry (zset seat->ms), 3 sold (set), 4 version (counter),
--       5 log (stream, id <version>-0), 6 paying (hash seat->original expiry while a payment runs),
--       7 the caller's held seats (set; a hint, always checked against 1 and 2)
local K_HOLDS, K_EXPIRY, K_SOLD, K_VERSION, K_LOG, K_PAYING, K_MINE = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]

-- Versions can exceed 1e14 (see restore.lua); %d keeps every digit where tostring would not.
local function int(n)
  return string.format('%d', n)
end

-- One seat status change: version +1 and one log entry, in the same atomic script as the change itself.
local function log_change(seat, status, now, maxlen)
  local v = redis.call('INCR', K_VERSION)
  redis.call('XADD', K_LOG, 'MAXLEN', '~', maxlen, int(v) .. '-0', 's', seat, 'st', status, 't', int(now))
  return v
end

-- Marks one seat sold (PostgreSQL already committed it): drops any hold or pin and logs SOLD.
-- Returns 1 when the seat was not sold before, 0 otherwise (so replays are harmless).
local function mark_sold(seat, now, maxlen)
  if redis.call('SADD', K_SOLD, seat) == 0 then
    return 0
  end
  redis.call('HDEL', K_HOLDS, seat)
  redis.call('ZREM', K_EXPIRY, seat)
  redis.call('HDEL', K_PAYING, seat)
  log_change(seat, 'SOLD', now, maxlen)
  return 1
end

local function expiry_of(seat)
  return tonumber(redis.call('ZSCORE', K_EXPIRY, seat) or '0')
end

-- Parses ARGV[from..] as distinct seat ids within 1..seatCount; nil when any is not.
local function seats_from(from, seat_count)
  local seats, seen = {}, {}
  for i = from, #ARGV do
    local s = tonumber(ARGV[i])
    if not s or s % 1 ~= 0 or s < 1 or s > seat_count or seen[s] then
      return nil
    end
    seen[s] = true
    seats[#seats + 1] = s
  end
  if #seats == 0 then
    return nil
  end
  return seats
end
