-- wrk script: best-available holds (POST /holds/best) by random users (see docs/performance.md, "Best available").
-- EVENT_ID: a fresh 10,000-seat event (scripts/seed-event.sh; HOLD_TTL_MS=1000 MAX_SEATS_PER_USER=100 so
-- expiring holds keep giving seats back); TOKENS: one dev token per line (scripts/mint-tokens.sh 500 > tokens.txt);
-- COUNT: seats per request (default 2); SECTION: optional section name (default: any, in the event's order).
-- Run: EVENT_ID=2 TOKENS=tokens.txt wrk -t1 -c256 -d15s -s scripts/bench/wrk-best.lua http://127.0.0.1:18080
-- Prints p50/p99 and how many answers were 201, 409 and other.
local event = os.getenv("EVENT_ID") or "1"
local tokens = {}
for line in io.lines(os.getenv("TOKENS") or "tokens.txt") do tokens[#tokens + 1] = line end
local count = tonumber(os.getenv("COUNT") or "2")
local section = os.getenv("SECTION")
local body = '{"count":' .. count .. (section and (',"section":"' .. section .. '"') or '') .. '}'
local path = "/api/events/" .. event .. "/holds/best"
math.randomseed(os.time())

local threads = {}
setup = function(thread)
  threads[#threads + 1] = thread
end

ok, conflict, other = 0, 0, 0

request = function()
  return wrk.format("POST", path,
    {["Authorization"] = "Bearer " .. tokens[math.random(#tokens)], ["Content-Type"] = "application/json"}, body)
end

response = function(status, headers, body)
  if status == 201 then ok = ok + 1 elseif status == 409 then conflict = conflict + 1 else other = other + 1 end
end

done = function(summary, latency, requests)
  local o, c, x = 0, 0, 0
  for _, t in ipairs(threads) do
    o, c, x = o + t:get("ok"), c + t:get("conflict"), x + t:get("other")
  end
  io.write(string.format("p50 %.2f ms p99 %.2f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
  io.write(string.format("201 %d  409 %d  other %d\n", o, c, x))
end
