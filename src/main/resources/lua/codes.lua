-- include: seat-common
-- Puts access codes into Redis' hot copy (access.lua reads it): new codes as they are minted, or every code of
-- the event as PostgreSQL has it after Redis lost them. A code already in Redis keeps its entry unless Redis has
-- it unbound and PostgreSQL bound (Redis decides bindings; PostgreSQL only learns them afterwards).
-- KEYS: the event's twelve seat keys (seat-common.lua)
-- ARGV: 1 '1' to mark the codes loaded afterwards (the last part of a restore), else '0';
--       2.. "hash allocation boundTo" as three arguments per code (boundTo '' when unbound)
-- Answers: {'ok', added}
local added = 0
for i = 2, #ARGV - 2, 3 do
  local entry = ARGV[i + 1]
  if ARGV[i + 2] ~= '' then
    entry = entry .. ' ' .. ARGV[i + 2]
  end
  if redis.call('HSETNX', K_CODES, ARGV[i], entry) == 1 then
    added = added + 1
  elseif ARGV[i + 2] ~= '' and not string.find(redis.call('HGET', K_CODES, ARGV[i]), ' ', 1, true) then
    redis.call('HSET', K_CODES, ARGV[i], entry)
  end
end
if ARGV[1] == '1' then
  redis.call('HSET', K_CODES, '*', '1')
end
return {'ok', added}
