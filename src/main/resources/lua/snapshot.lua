-- include: seat-common
-- The seat map exactly as the change log describes it at one version (held = holds not yet swept).
-- KEYS: the event's twelve seat keys (seat-common.lua)
-- ARGV: none
-- Answers: {'ok', version, {held...}, {sold...}} | {'not_ready'}
local v = redis.call('GET', K_VERSION)
if not v then
  return {'not_ready'}
end
return {'ok', v, redis.call('HKEYS', K_HOLDS), redis.call('SMEMBERS', K_SOLD)}
