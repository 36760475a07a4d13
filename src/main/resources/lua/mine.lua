-- The caller's live holds. ARGV: 1 user. Returns {'ok', {seat, expiryMs, seat, expiryMs, ...}}
local user, now, out = ARGV[1], now_ms(), {}
for _, s in ipairs(redis.call('SMEMBERS', K_MINE)) do
  local exp = expiry_of(s)
  if redis.call('HGET', K_HOLDS, s) == user and exp > now then
    out[#out + 1] = s
    out[#out + 1] = int(exp)
  end
end
return {'ok', out}
