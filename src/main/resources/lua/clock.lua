-- now_ms(): Redis' clock, not the caller's, so every app node agrees on time. Included by the scripts that
-- need it (`-- include: clock`).
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
