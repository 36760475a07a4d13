-- wrk script: orders of pre-held seats, one fresh Idempotency-Key each (see docs/performance.md).
-- Setup: user i (token line i, 0-based) holds seats i*100+1 .. i*100+100 of EVENT_ID (holdTtlMs 3600000,
-- maxSeatsPerUser 100). Request n buys seat (n % users)*100 + n/users + 1. Pass the first n as the script
-- argument so repeated runs never replay earlier keys: wrk -t1 -c256 -d7s -s wrk-order.lua URL -- 0
local event = os.getenv("EVENT_ID") or "1"
local tokens = {}
for line in io.lines(os.getenv("TOKENS") or "tokens.txt") do tokens[#tokens + 1] = line end
local n = 0
local threads = {}
setup = function(thread)
  threads[#threads + 1] = thread
end

created, refused, failed = 0, 0, 0

response = function(status, headers, body)
  if status == 201 then created = created + 1 elseif status >= 500 then failed = failed + 1 else refused = refused + 1 end
end

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
  local c, r, f = 0, 0, 0
  for _, t in ipairs(threads) do
    c, r, f = c + t:get("created"), r + t:get("refused"), f + t:get("failed")
  end
  io.write(string.format("p50 %.2f ms p99 %.2f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
  io.write(string.format("201 %d  4xx %d  5xx %d\n", c, r, f))
end
