-- include: clock, queue-common
-- An admitted user acts (hold, release, order): keep their slot alive, or report that it lapsed.
-- KEYS: the event's four queue keys (queue-common.lua)
-- ARGV: 1 user, 2 idle ms
-- Answers: 1 (active, slot extended) | 0 (no live slot: admission lapsed or never happened)
local expiry = touch(ARGV[1], now_ms(), tonumber(ARGV[2]))
if expiry then
  return 1
end
return 0
