-- include: clock, seat-common
-- Presale: seats reserved for an allocation until its release, and the access codes that open them (hold.lua,
-- best.lua). Both arrive as ARGV from Java: the caller's code as the SHA-256 hex of the code ('' for none;
-- Redis' Lua has no SHA-256) and the event's reservations, "firstSeat lastSeat allocation releaseAtMs" per
-- reserved section separated by ';' (fixed at creation, like the layout). Whether a reservation still holds is
-- decided here by Redis' clock, so every node agrees and the seats turn public at releaseAt with no restart.
-- Reserved seats are free seats (AVAILABLE to every watcher): the release changes no seat and logs nothing.

-- Are the codes in Redis? Only an event with reservations needs them; missing → Redis lost them, restore first.
local function codes_ready(reservations)
  return reservations == '' or redis.call('HEXISTS', K_CODES, '*') == 1
end

-- The allocation the caller's code opens: nil without a code, false for a code that is unknown or bound to
-- another user. A code nobody presented before is bound to this caller here, atomically: first come, only one.
local function code_allocation(code_hash, user)
  if code_hash == '' then
    return nil
  end
  if code_hash == '*' then
    return false
  end
  local entry = redis.call('HGET', K_CODES, code_hash)
  if not entry then
    return false
  end
  local allocation, holder = string.match(entry, '^([^ ]+) ?(.*)$')
  if holder == '' then
    redis.call('HSET', K_CODES, code_hash, allocation .. ' ' .. user)
  elseif holder ~= user then
    return false
  end
  return allocation
end

-- The seat ranges closed to the caller now: reserved for an allocation other than `allowed` (nil: none) and not
-- released yet. A list of {first, last}.
local function closed_ranges(reservations, allowed, now)
  local closed = {}
  for first, last, allocation, release in string.gmatch(reservations, '(%d+) (%d+) ([^ ;]+) (%d+)') do
    if now < tonumber(release) and allocation ~= allowed then
      closed[#closed + 1] = {tonumber(first), tonumber(last)}
    end
  end
  return closed
end

-- Does [first, last] meet a closed range?
local function is_closed(first, last, closed)
  for _, r in ipairs(closed) do
    if first <= r[2] and r[1] <= last then
      return true
    end
  end
  return false
end

-- How every taking script starts (hold.lua, best.lua): the caller's code first (a bad one is refused before
-- anything else), then the sale's window and pause by Redis' clock. Answers a refusal, or nil with the
-- allocation the code opens (nil without a code) and now.
local function entry_checks(code_hash, user)
  local allowed = code_allocation(code_hash, user)
  if allowed == false then
    return {'access_code_invalid'}
  end
  local now = now_ms()
  return sale_refusal(now), allowed, now
end
