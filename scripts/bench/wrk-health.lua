-- wrk script: the HTTP floor, GET /health/live (see docs/performance.md).
request = function()
  return wrk.format("GET", "/health/live")
end
done = function(summary, latency, requests)
  io.write(string.format("p50 %.2f ms p99 %.2f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
