-- include: clock, seat-common, access
-- Hold seats for a user, all or nothing.
-- KEYS: the event's twelve seat keys (seat-common.lua), KEYS[7] the caller's list
-- ARGV: 1 user, 2 ttlMs, 3 maxSeatsPerUser, 4 seatCount, 5 log max length, 6 the caller's access code hash ('' for
--       none), 7 the event's reservations (access.lua), 8.. seat ids
-- Answers: {'held', earliestExpiryMs, version, index (1: mark the sweep index, see earliest_expiry)} | {'seat_unavailable', seat...} | {'hold_limit', liveHolds, max}
--          | {'ticket_limit', remaining} | {'sale_not_open', startMs} | {'sale_paused'} | {'sale_closed'}
--          | {'access_code_invalid'} | {'seat_reserved', seat...} | {'invalid_request'}
--          | {'not_ready'} (version, sale rules or codes missing: Redis lost its data, recover first)
-- A code that is not the caller's comes first, then the sale's window and pause, then seats reserved for an
-- allocation the caller has no code of, then seat conflicts, then maxSeatsPerUser (live holds), then the
-- sale-wide maxTicketsPerUser (holds + paying + bought, the owned count).
if not ready_to_hold() or not codes_ready(ARGV[7]) then
  return {'not_ready'}
end
local user, ttl, max = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local seats = seats_from(8, tonumber(ARGV[4]))
if not seats or not ttl or not max or ttl <= 0 then
  return {'invalid_request'}
end
local refusal, allowed, now = entry_checks(ARGV[6], user)
if refusal then
  return refusal
end
local closed = closed_ranges(ARGV[7], allowed, now)
if #closed > 0 then
  local reserved = {}
  for _, seat in ipairs(seats) do
    -- A reserved seat the caller holds already stays theirs ("holding a seat you hold succeeds"), code or not.
    if is_closed(seat, seat, closed) and not (redis.call('HGET', K_HOLDS, seat) == user and expiry_of(seat) > now) then
      reserved[#reserved + 1] = seat
    end
  end
  if #reserved > 0 then
    return {'seat_reserved', unpack(reserved)}
  end
end
local cap = ticket_cap()
if cap then
  free_own_expired(user, now, ARGV[5])
end

-- adding: seats that become the caller's (a seat whose expired hold was the caller's own stays counted once).
local conflicts, take, earliest, adding = {}, {}, nil, 0
for _, seat in ipairs(seats) do
  if redis.call('SISMEMBER', K_SOLD, seat) == 1 then
    conflicts[#conflicts + 1] = seat
  else
    local owner, exp = redis.call('HGET', K_HOLDS, seat), expiry_of(seat)
    if owner and exp > now then
      if owner == user then
        -- Holding a seat you already hold keeps its expiry (and mends the caller's list, should it lack it).
        if not earliest or exp < earliest then earliest = exp end
        redis.call('ZADD', K_MINE, exp, seat)
      else
        conflicts[#conflicts + 1] = seat
      end
    else
      -- Free, or an expired hold the sweeper has not reached yet: an expired hold is never honoured.
      take[#take + 1] = seat
      if owner ~= user then
        adding = adding + 1
      end
    end
  end
end
if #conflicts > 0 then
  return {'seat_unavailable', unpack(conflicts)}
end

local live = live_holds(user, now, #take, max)
if live + #take > max then
  return {'hold_limit', live, max}
end
if cap then
  local left = tickets_left(user, adding, cap)
  if left then
    return {'ticket_limit', left}
  end
end

local exp, version, before = now + ttl, nil, earliest_expiry()
for _, seat in ipairs(take) do
  version = take_seat(seat, user, exp, now, ARGV[5])
end
if #take > 0 and (not earliest or exp < earliest) then
  earliest = exp
end
if not version then
  version = tonumber(redis.call('GET', K_VERSION))
end
return {'held', int(earliest), int(version), (#take > 0 and (not before or exp < before)) and 1 or 0}
