-- Shared by every seat script, each of which names it in its first line (`-- include: seat-common`; LuaScript
-- inlines it: Redis has no include). One event's keys share the hash tag {eventId}, so each script touches a
-- single Redis Cluster slot.
--
-- Answers: a script that decides (hold, best, release, pin, renew-pin) answers with the lower-case name of
-- an Outcome (Outcome.fromScript reads it); the others answer 'ok'. Two protocol words never leave seat/:
-- 'not_ready' (the version counter is gone: Redis lost its data, so SeatScripts restores the sold seats from
-- PostgreSQL and runs the script again) and since.lua's 'snapshot' (the log no longer has every change).
--
-- KEYS: 1 holds (hash seat->user), 2 expiry (zset seat->ms), 3 sold (set), 4 version (counter),
--       5 log (stream, id <version>-0), 6 paying (hash seat->"<original expiry> <charge key>" while a payment
--         runs, see payment_of),
--       7 the caller's held seats (zset seat->expiry ms, kept equal to 2 by every script given the caller's key;
--         see live_holds),
--       8 taken (bitmap: bit <seat> is 1 while the seat is in 1 or 3 — an expired hold the sweeper has not
--         reached yet stays 1; bit 0 is 1 once the bitmap was built from 1 and 3, see rebuild_taken)
--       9 sale (hash: rev, start, end (ms, '' = open), on ('1'/'0'), cap (maxTicketsPerUser, '' = none); see write_sale)
--      10 owned (hash user -> seats the user holds, pinned or not, plus seats sold to the user: what
--         maxTicketsPerUser counts; see own)
--      11 buyers (hash seat -> user the seat was sold to, so the owned counts can be rebuilt, see rebuild_owned)
--      12 codes (hash: presale access codes, SHA-256 hex -> "allocation" or "allocation user" once bound; field
--         '*' marks them loaded; see access.lua)
local K_HOLDS, K_EXPIRY, K_SOLD, K_VERSION, K_LOG, K_PAYING, K_MINE = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local K_TAKEN, K_SALE, K_OWNED, K_BUYERS, K_CODES = KEYS[8], KEYS[9], KEYS[10], KEYS[11], KEYS[12]

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

-- The sale-wide count of a user (maxTicketsPerUser), kept by every script that moves a seat between owners:
-- taking a seat (+1), freeing or releasing it (-1), selling it to someone other than its holder (-1 holder, +1
-- buyer). Pinning changes no owner, so it changes no count. A count never stays at 0 or below.
local function own(user, delta)
  if user and user ~= '' then
    if redis.call('HINCRBY', K_OWNED, user, delta) <= 0 then
      redis.call('HDEL', K_OWNED, user)
    end
  end
end

-- Marks one seat sold to `buyer` ('' when unknown; PostgreSQL already committed it): drops any hold or pin and
-- logs SOLD. Answers: 1 when the seat was not sold before, 0 otherwise (so replays are harmless).
local function mark_sold(seat, now, maxlen, buyer)
  redis.call('SETBIT', K_TAKEN, seat, 1)
  if redis.call('SADD', K_SOLD, seat) == 0 then
    return 0
  end
  local holder = redis.call('HGET', K_HOLDS, seat)
  if holder ~= buyer then
    own(holder, -1)
    own(buyer, 1)
  end
  if buyer and buyer ~= '' then
    redis.call('HSET', K_BUYERS, seat, buyer)
  end
  redis.call('HDEL', K_HOLDS, seat)
  redis.call('ZREM', K_EXPIRY, seat)
  redis.call('HDEL', K_PAYING, seat)
  redis.call('ZREM', K_MINE, seat)
  log_change(seat, 'SOLD', now, maxlen)
  return 1
end

local function expiry_of(seat)
  return tonumber(redis.call('ZSCORE', K_EXPIRY, seat) or '0')
end

-- Every change of a held seat's expiry goes through here: the caller's list (K_MINE) mirrors the expiry zset,
-- which is what lets live_holds count without reading every hold.
local function set_expiry(seat, exp)
  redis.call('ZADD', K_EXPIRY, exp, seat)
  redis.call('ZADD', K_MINE, exp, seat)
end

-- A pinned seat's payment: its original expiry, the purchase's charge key and the pinning request's token (nil
-- when not pinned; key and token are '' for an entry written before they were kept).
local function payment_of(seat)
  local entry = redis.call('HGET', K_PAYING, seat)
  if not entry then
    return nil
  end
  local original, charge_key, token = string.match(entry, '^(%d+) ?(%S*) ?(%S*)$')
  return tonumber(original), charge_key, token
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

-- Makes the taken bitmap equal holds ∪ sold. Every script that changes a seat's status keeps the bitmap in
-- step; this rebuild covers what they cannot know: an event created before the bitmap existed, or a bitmap
-- key lost on its own. Bit 0 (no seat has id 0) marks a built bitmap, so SETBITs of other scripts on a
-- missing key never pass for a complete one.
local function rebuild_taken()
  redis.call('DEL', K_TAKEN)
  redis.call('SETBIT', K_TAKEN, 0, 1)
  for _, s in ipairs(redis.call('HKEYS', K_HOLDS)) do
    redis.call('SETBIT', K_TAKEN, s, 1)
  end
  for _, s in ipairs(redis.call('SMEMBERS', K_SOLD)) do
    redis.call('SETBIT', K_TAKEN, s, 1)
  end
end

-- The caller's live holds (what maxSeatsPerUser counts), without reading every hold: K_MINE mirrors the
-- expiry of each of the caller's holds, so its entries above now are the live ones. A seat can leave the
-- caller without the caller's key only by being sold (sell.lua and restore.lua are not given it), which can
-- make the count too high, never too low; so only when the count would refuse `adding` more are the entries
-- checked against holds, expiry and sold (three commands for all of them) and the stale ones dropped.
local function live_holds(user, now, adding, max)
  redis.call('ZREMRANGEBYSCORE', K_MINE, '-inf', now)
  local live = redis.call('ZCARD', K_MINE)
  if live + adding <= max or live == 0 then
    return live
  end
  local seats = redis.call('ZRANGE', K_MINE, 0, 999)
  local owners = redis.call('HMGET', K_HOLDS, unpack(seats))
  local expiries = redis.call('ZMSCORE', K_EXPIRY, unpack(seats))
  local sold = redis.call('SMISMEMBER', K_SOLD, unpack(seats))
  for i, s in ipairs(seats) do
    if owners[i] ~= user or not expiries[i] or tonumber(expiries[i]) <= now or sold[i] == 1 then
      redis.call('ZREM', K_MINE, s)
      live = live - 1
    end
  end
  return live
end

-- An expired hold becomes AVAILABLE: one version step and one log entry. Returns 1 when a hold was dropped.
-- Used by sweep.lua and by best.lua, which frees what is due before it chooses.
local function free_expired(seat, now, maxlen)
  redis.call('ZREM', K_EXPIRY, seat)
  redis.call('HDEL', K_PAYING, seat)
  local holder = redis.call('HGET', K_HOLDS, seat)
  if redis.call('HDEL', K_HOLDS, seat) == 0 then
    return 0
  end
  own(holder, -1)
  if redis.call('SISMEMBER', K_SOLD, seat) == 0 then
    redis.call('SETBIT', K_TAKEN, seat, 0)
  end
  log_change(seat, 'AVAILABLE', now, maxlen)
  return 1
end

-- Holds one free seat (or one whose hold expired) for the user until exp; one version step, one HELD entry.
-- The event's earliest hold expiry (ms), nil without holds. Read by hold.lua and best.lua before they take seats:
-- a new hold needs the index of due sweeping (sweep-due.lua mark) only when it expires before every hold the
-- event already has. Otherwise the index entry is already at or before that earlier expiry (the hold that was
-- earliest marked it, or a sweep settled it at the earliest expiry it left), and the sweep it brings frees this
-- hold too, or settles the entry at an expiry no later than this hold's.
local function earliest_expiry()
  return tonumber(redis.call('ZRANGE', K_EXPIRY, 0, 0, 'WITHSCORES')[2])
end

local function take_seat(seat, user, exp, now, maxlen)
  local holder = redis.call('HGET', K_HOLDS, seat)
  if holder ~= user then
    own(holder, -1)
    own(user, 1)
  end
  redis.call('HSET', K_HOLDS, seat, user)
  set_expiry(seat, exp)
  redis.call('HDEL', K_PAYING, seat)
  redis.call('SETBIT', K_TAKEN, seat, 1)
  return log_change(seat, 'HELD', now, maxlen)
end

-- Rebuilds every user's count from the holds and the sold seats' buyers (restore.lua, after Redis lost data or
-- disagreed with PostgreSQL: the buyers were just written from PostgreSQL's tickets).
local function rebuild_owned()
  redis.call('DEL', K_OWNED)
  local holds = redis.call('HGETALL', K_HOLDS)
  for i = 1, #holds, 2 do
    if redis.call('SISMEMBER', K_SOLD, holds[i]) == 0 then
      redis.call('HINCRBY', K_OWNED, holds[i + 1], 1)
    end
  end
  local buyers = redis.call('HGETALL', K_BUYERS)
  for i = 1, #buyers, 2 do
    if redis.call('SISMEMBER', K_SOLD, buyers[i]) == 1 then
      redis.call('HINCRBY', K_OWNED, buyers[i + 1], 1)
    end
  end
end

-- Stores the sale's rules unless Redis already has a newer revision (a PATCH that overtook a rebuild).
-- start/finish are ms or '' (open), on '1' or '0', cap a number or '' (no cap). Returns 1 when stored.
local function write_sale(rev, start, finish, on, cap)
  if tonumber(rev) < tonumber(redis.call('HGET', K_SALE, 'rev') or '-1') then
    return 0
  end
  redis.call('HSET', K_SALE, 'rev', rev, 'start', start, 'end', finish, 'on', on, 'cap', cap)
  return 1
end

-- Is a seat script ready for a hold? Both the version counter and the sale rules must be there; else Redis lost
-- data (or the event predates its rules) and restore.lua must run first.
local function ready_to_hold()
  return redis.call('EXISTS', K_VERSION) == 1 and redis.call('EXISTS', K_SALE) == 1
end

-- nil while the sale takes holds, else the refusal: {'sale_closed'} after its end, {'sale_paused'}, or
-- {'sale_not_open', startMs} before its start.
local function sale_refusal(now)
  local r = redis.call('HMGET', K_SALE, 'start', 'end', 'on')
  local start, finish = tonumber(r[1] or ''), tonumber(r[2] or '')
  if finish and now >= finish then
    return {'sale_closed'}
  end
  if r[3] == '0' then
    return {'sale_paused'}
  end
  if start and now < start then
    return {'sale_not_open', int(start)}
  end
  return nil
end

-- The event's maxTicketsPerUser, or nil when it has none.
local function ticket_cap()
  return tonumber(redis.call('HGET', K_SALE, 'cap') or '')
end

-- Frees the caller's own holds that expired and were not swept yet (at most 100), so they stop counting against
-- the cap. Must run before live_holds, which forgets the expired entries of the caller's list.
local function free_own_expired(user, now, maxlen)
  for _, s in ipairs(redis.call('ZRANGEBYSCORE', K_MINE, '-inf', now, 'LIMIT', 0, 100)) do
    if redis.call('HGET', K_HOLDS, s) == user and expiry_of(s) <= now then
      free_expired(s, now, maxlen)
    end
  end
end

-- nil when `adding` more seats keep the user within the cap, else how many the user may still take.
local function tickets_left(user, adding, cap)
  local owned = tonumber(redis.call('HGET', K_OWNED, user) or '0')
  if owned + adding <= cap then
    return nil
  end
  return math.max(0, cap - owned)
end
