-- wrk script: holds of random seats by random users (see docs/performance.md).
-- EVENT_ID: an event with 100,000 seats and maxSeatsPerUser 100; TOKENS: a file with one dev token per line
-- (scripts/mint-tokens.sh 500 > tokens.txt). Run: EVENT_ID=2 TOKENS=tokens.txt wrk -t1 -c256 -d20s -s hold.lua http://127.0.0.1:18080
local event = os.getenv("EVENT_ID") or "1"
local tokens = {}
for line in io.lines(os.getenv("TOKENS") or "tokens.txt") do tokens[#tokens + 1] = line end
local seats = tonumber(os.getenv("SEATS") or "100000")
math.randomseed(os.time())

request = function()
  local body = '{"seats":[' .. math.random(seats) .. ']}'
  return wrk.format("POST", "/api/events/" .. event .. "/holds",
    {["Authorization"] = "Bearer " .. tokens[math.random(#tokens)], ["Content-Type"] = "application/json"}, body)
end

done = function(summary, latency, requests)
  io.write(string.format("p50 %.2f ms p99 %.2f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
