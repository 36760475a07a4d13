-- include: clock, seat-common
-- The caller's live holds. K_MINE lists them (see live_holds); each is still checked against holds and sold,
-- as a read may.
-- KEYS: the event's twelve seat keys (seat-common.lua), KEYS[7] the caller's list
-- ARGV: 1 user
-- Answers: {'ok', {seat, expiryMs, seat, expiryMs, ...}}
local user, now, out = ARGV[1], now_ms(), {}
for _, s in ipairs(redis.call('ZRANGEBYSCORE', K_MINE, '(' .. int(now), '+inf')) do
  local exp = expiry_of(s)
  if redis.call('HGET', K_HOLDS, s) == user and exp > now and redis.call('SISMEMBER', K_SOLD, s) == 0 then
    out[#out + 1] = s
    out[#out + 1] = int(exp)
  end
end
return {'ok', out}
