-- Prepended to every script by LuaScript. Redis' clock, not the caller's: every app node agrees on time.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
