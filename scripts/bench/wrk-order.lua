-- wrk script: orders of pre-held seats, one fresh Idempotency-Key each (see docs/performance.md).
-- Setup: user i (token line i, 0-based) holds seats i*100+1 .. i*100+100 of EVENT_ID (holdTtlMs 3600000,
-- maxSeatsPerUser 100). Request n buys seat (n % users)*100 + n/users + 1. Pass the first n as the script
-- argument so repeated runs never replay earlier keys: wrk -t1 -c256 -d7s -s wrk-order.lua URL -- 0
local event = os.getenv("EVENT_ID") or "1"
local tokens = {}
for line in io.lines(os.getenv("TOKENS") or "tokens.txt") do tokens[#tokens + 1] = line end
local n = 0

init = function(args)
  n = tonumber(args[1] or "0")
end

request = function()
  local users = #tokens
  local u = n % users
  local seat = u * 100 + math.floor(n / users) + 1
  n = n + 1
  return wrk.format("POST", "/api/events/" .. event .. "/orders",
    {["Authorization"] = "Bearer " .. tokens[u + 1], ["Content-Type"] = "application/json",
     ["Idempotency-Key"] = "wrk-" .. event .. "-" .. n},
    '{"seats":[' .. seat .. '],"paymentToken":"tok_ok"}')
end

done = function(summary, latency, requests)
  io.write(string.format("p50 %.2f ms p99 %.2f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
