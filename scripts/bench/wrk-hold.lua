-- wrk script: holds of random seats by random users (see docs/performance.md).
-- EVENT_ID: an event with 100,000 seats and maxSeatsPerUser 100; TOKENS: a file with one dev token per line
-- (scripts/mint-tokens.sh 500 > tokens.txt). Run: EVENT_ID=2 TOKENS=tokens.txt wrk -t1 -c256 -d20s -s wrk-hold.lua http://127.0.0.1:18080
local event = os.getenv("EVENT_ID") or "1"
local tokens = {}
for line in io.lines(os.getenv("TOKENS") or "tokens.txt") do tokens[#tokens + 1] = line end
local seats = tonumber(os.getenv("SEATS") or "100000")
math.randomseed(os.time())

local threads = {}
setup = function(thread)
  threads[#threads + 1] = thread
end

ok, conflict, other, server = 0, 0, 0, 0

response = function(status, headers, body)
  if status == 201 then ok = ok + 1 elseif status == 409 then conflict = conflict + 1 else other = other + 1 end
  if status >= 500 then server = server + 1 end
end

request = function()
  local body = '{"seats":[' .. math.random(seats) .. ']}'
  return wrk.format("POST", "/api/events/" .. event .. "/holds",
    {["Authorization"] = "Bearer " .. tokens[math.random(#tokens)], ["Content-Type"] = "application/json"}, body)
end

done = function(summary, latency, requests)
  local o, c, x, s = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    o, c, x, s = o + t:get("ok"), c + t:get("conflict"), x + t:get("other"), s + t:get("server")
  end
  io.write(string.format("p50 %.2f ms p99 %.2f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
  io.write(string.format("201 %d  409 %d  other %d  5xx %d\n", o, c, x, s))
end
