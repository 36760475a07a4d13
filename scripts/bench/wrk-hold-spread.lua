-- wrk script: like wrk-hold.lua, but every request picks its event at random from EVENT_IDS (comma-separated), so
-- the load spreads over several events, e.g. events whose {id} hash slots sit on different Redis Cluster shards
-- (see docs/performance.md, "Redis Cluster: one hot event vs events over three shards").
-- Run: EVENT_IDS=3,5,7,8,10,12 TOKENS=tokens.txt SEATS=10000 wrk -t1 -c256 -d15s -s wrk-hold-spread.lua http://127.0.0.1:18080
local events = {}
for id in string.gmatch(os.getenv("EVENT_IDS") or "1", "[^,]+") do events[#events + 1] = id end
local tokens = {}
for line in io.lines(os.getenv("TOKENS") or "tokens.txt") do tokens[#tokens + 1] = line end
local seats = tonumber(os.getenv("SEATS") or "100000")
math.randomseed(os.time())

request = function()
  local body = '{"seats":[' .. math.random(seats) .. ']}'
  return wrk.format("POST", "/api/events/" .. events[math.random(#events)] .. "/holds",
    {["Authorization"] = "Bearer " .. tokens[math.random(#tokens)], ["Content-Type"] = "application/json"}, body)
end

done = function(summary, latency, requests)
  io.write(string.format("p50 %.2f ms p99 %.2f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
