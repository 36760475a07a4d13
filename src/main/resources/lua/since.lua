-- include: seat-common
-- Changes after a client's version, if the log still has all of them.
-- KEYS: the event's twelve seat keys (seat-common.lua)
-- ARGV: 1 since, 2 max entries
-- Answers: {'ok', version, {seat, status, version, ...}} | {'snapshot', version} (too old, unknown or trimmed)
--          | {'not_ready'}
local v = redis.call('GET', K_VERSION)
if not v then
  return {'not_ready'}
end
local since, current = tonumber(ARGV[1]), tonumber(v)
if not since or since > current or current - since > tonumber(ARGV[2]) then
  return {'snapshot', v}
end
if since == current then
  return {'ok', v, {}}
end
local first = redis.call('XRANGE', K_LOG, '-', '+', 'COUNT', 1)
if #first == 0 or tonumber(string.match(first[1][1], '^(%d+)')) > since + 1 then
  return {'snapshot', v}
end
local out = {}
for _, e in ipairs(redis.call('XRANGE', K_LOG, int(since + 1) .. '-0', v .. '-0')) do
  local f = e[2]
  out[#out + 1] = f[2]
  out[#out + 1] = f[4]
  out[#out + 1] = string.match(e[1], '^(%d+)')
end
return {'ok', v, out}
