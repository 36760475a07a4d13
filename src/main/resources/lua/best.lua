-- include: clock, seat-common, access
-- Best available: choose and hold `count` free seats side by side in one row of one section, in one atomic
-- call (the choice can never go stale between choosing and holding).
-- KEYS: the event's twelve seat keys (seat-common.lua), KEYS[7] the caller's list
-- ARGV: 1 user, 2 ttlMs, 3 maxSeatsPerUser, 4 count, 5 log max length,
--       6 the candidate areas in the event's order, "firstSeat rows seatsPerRow" triples separated by
--         spaces (seat ids run row by row inside an area: row r, number k is firstSeat + (r-1)*seatsPerRow + k-1);
--         rows 0 marks a standing area of seatsPerRow places from firstSeat on. The caller narrows the areas to
--         the rows of a wanted category or price (prices never change, so the choice stays atomic); none left:
--         'seats_not_available'.
--       7 the caller's access code hash ('' for none), 8 the event's reservations (access.lua): an area reserved
--         for an allocation the caller has no code of is no candidate until its release (a reservation covers
--         whole sections, and an area lies in one section).
-- Answers: {'held', expiryMs, version, index (1: mark the sweep index, see earliest_expiry), seat...} | {'seats_not_available'} | {'hold_limit', liveHolds, max}
--          | {'ticket_limit', remaining} | {'sale_not_open', startMs} | {'sale_paused'} | {'sale_closed'}
--          | {'access_code_invalid'} | {'invalid_request'} | {'not_ready'}
--
-- A standing area has no rows and no neighbours: any `count` free places do (the lowest ids), no orphan rule.
--
-- Best = section order, then lowest row, then the block whose centre is nearest the row's centre, then the
-- lowest seat id. A block that leaves exactly one free seat beside it (before the next taken seat or the row
-- end) makes an orphan; such a block is chosen only when no candidate row has a block without one, and then
-- by the same order.
--
-- An expired hold is free (as in hold.lua), though its bit stays 1 until it is swept. So before choosing, the
-- script frees what is due exactly as sweep.lua does (AVAILABLE, one version step per seat: work the sweeper
-- then no longer does), and the bitmap is exact for the choice. At most SWEEP_LIMIT per call keep the cost
-- bounded: only when more holds than that have expired unswept (the sweeper far behind) are the rest treated
-- as taken by this one call; the next calls and the sweeper free them.
--
-- Cost: one GETRANGE of the taken bitmap per candidate section (at most 100,000 bits: 12.5 KB); taken rows are
-- jumped over with C-speed string.find for the next byte with a free bit, so only rows with a free seat are
-- decoded in Lua (a byte at a time where it is all taken or all free), and the scan stops at the first row
-- with an orphan-free block.
local SWEEP_LIMIT = 100
local reservations = ARGV[8] or ''
if not ready_to_hold() or not codes_ready(reservations) then
  return {'not_ready'}
end
local user, ttl, max, count = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
if not ttl or ttl <= 0 or not max or not count or count % 1 ~= 0 or count < 1 then
  return {'invalid_request'}
end
local refusal, allowed, now = entry_checks(ARGV[7] or '', user)
if refusal then
  return refusal
end
local closed = closed_ranges(reservations, allowed, now)
local sections = {}
for first, rows, per_row in string.gmatch(ARGV[6] or '', '(%d+) (%d+) (%d+)') do
  local f, r, n = tonumber(first), tonumber(rows), tonumber(per_row)
  local last = f + (r == 0 and n or r * n) - 1
  if not is_closed(f, last, closed) then
    sections[#sections + 1] = {f, r, n}
  end
end
local cap = ticket_cap()
if cap then
  free_own_expired(user, now, ARGV[5])
end

-- The limits first: without room under maxSeatsPerUser and maxTicketsPerUser no choice matters.
local live = live_holds(user, now, count, max)
if live + count > max then
  return {'hold_limit', live, max}
end
if cap then
  local left = tickets_left(user, count, cap)
  if left then
    return {'ticket_limit', left}
  end
end

if redis.call('GETBIT', K_TAKEN, 0) == 0 then
  rebuild_taken()
end

for _, seat in ipairs(redis.call('ZRANGEBYSCORE', K_EXPIRY, '-inf', now, 'LIMIT', 0, SWEEP_LIMIT)) do
  free_expired(seat, now, ARGV[5])
end
if #sections == 0 then
  return {'seats_not_available'}
end

-- SETBIT numbers bits from the most significant one: seat s is bit 7 - s % 8 of byte s / 8.
local BIT = {128, 64, 32, 16, 8, 4, 2, 1}
-- Doubled distance of a block's centre from the row's centre (positions 1..n), so it stays an integer.
local function distance(p, c, n)
  return math.abs(2 * p + c - n - 2)
end

-- Is [p, p+c-1] inside the free run [a, b] leaving exactly one free seat on either side?
local function orphan(p, c, a, b)
  return p - a == 1 or b - (p + c - 1) == 1
end

local function better(p, d, best_p, best_d)
  return not best_p or d < best_d or (d == best_d and p < best_p)
end

-- The best block of one row: the best without an orphan, and the best of all (positions, or nil).
-- Inside one run the distance is convex in p, so only positions near the ideal one and the run's ends
-- can win; orphan-making starts are a+1 and b-c, so two steps either side of the ideal suffice.
-- The row is read a byte at a time where a whole byte lies inside it and is all taken or all free.
local function best_in_row(bytes, base, row_first, n, c)
  local clean_p, clean_d, any_p, any_d = nil, nil, nil, nil
  local ideal = math.floor((n + 2 - c) / 2)

  local function run(a, b)
    local lo, hi = a, b - c + 1
    if hi < lo then
      return
    end
    local tries = {lo, hi}
    for t = ideal - 2, ideal + 3 do
      tries[#tries + 1] = t
    end
    for _, t in ipairs(tries) do
      local p = math.min(math.max(t, lo), hi)
      local d = distance(p, c, n)
      if better(p, d, any_p, any_d) then
        any_p, any_d = p, d
      end
      if not orphan(p, c, a, b) and better(p, d, clean_p, clean_d) then
        clean_p, clean_d = p, d
      end
    end
  end

  local a, k = nil, 1
  while k <= n do
    local seat = row_first + k - 1
    local b = string.byte(bytes, math.floor(seat / 8) - base + 1) or 0
    local step, free = 1, nil
    if seat % 8 == 0 and k + 7 <= n and (b == 0 or b == 255) then
      step, free = 8, b == 0
    else
      free = math.floor(b / BIT[seat % 8 + 1]) % 2 == 0
    end
    if free and not a then
      a = k
    elseif not free and a then
      run(a, k - 1)
      a = nil
    end
    k = k + step
  end
  if a then
    run(a, n)
  end
  return clean_p, any_p
end

-- A standing area's `count` lowest free places, or nil. Whole taken bytes are jumped over at C speed.
local function standing_places(first, capacity)
  local base, last = math.floor(first / 8), first + capacity - 1
  local bytes = redis.call('GETRANGE', K_TAKEN, base, math.floor(last / 8))
  local picked, s = {}, first
  while s <= last and #picked < count do
    local idx = math.floor(s / 8) - base + 1
    -- Bytes past the end of the key are free.
    local hit = string.find(bytes, '[^\255]', idx) or math.max(idx, #bytes + 1)
    if hit > idx then
      s = (base + hit - 1) * 8
    end
    if s <= last then
      local b = string.byte(bytes, math.floor(s / 8) - base + 1) or 0
      if math.floor(b / BIT[s % 8 + 1]) % 2 == 0 then
        picked[#picked + 1] = s
      end
    end
    s = s + 1
  end
  if #picked == count then
    return picked
  end
  return nil
end

local function block(start)
  local out = {}
  for seat = start, start + count - 1 do
    out[#out + 1] = seat
  end
  return out
end

local chosen, fallback = nil, nil
for _, sec in ipairs(sections) do
  local first, rows, n = sec[1], sec[2], sec[3]
  if rows == 0 then
    chosen = standing_places(first, n)
  elseif count <= n then
    local base = math.floor(first / 8)
    local last_byte = math.floor((first + rows * n - 1) / 8)
    local bytes = redis.call('GETRANGE', K_TAKEN, base, last_byte)
    local r = 1
    while r <= rows do
      -- Jump over taken rows at C speed: the next byte with a free bit (bytes past the end of the key are
      -- free) is in the next row worth decoding.
      local hit = string.find(bytes, '[^\255]', math.floor((first + (r - 1) * n) / 8) - base + 1)
      if not hit then
        if #bytes > last_byte - base then
          break
        end
        hit = #bytes + 1
      end
      r = math.max(r, math.floor(((base + hit - 1) * 8 - first) / n) + 1)
      if r > rows then
        break
      end
      local row_first = first + (r - 1) * n
      local clean_p, any_p = best_in_row(bytes, base, row_first, n, count)
      if clean_p then
        chosen = block(row_first + clean_p - 1)
        break
      end
      if any_p and not fallback then
        fallback = block(row_first + any_p - 1)
      end
      r = r + 1
    end
  end
  if chosen then
    break
  end
end
chosen = chosen or fallback
if not chosen then
  return {'seats_not_available'}
end

local exp, version, before = now + ttl, nil, earliest_expiry()
local out = {'held', int(now + ttl), 0, (not before or exp < before) and 1 or 0}
for _, seat in ipairs(chosen) do
  version = take_seat(seat, user, exp, now, ARGV[5])
  out[#out + 1] = seat
end
out[3] = int(version)
return out
