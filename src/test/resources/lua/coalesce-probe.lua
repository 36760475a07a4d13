-- RedisWriteCoalescingTest: counts its runs in KEYS[1] and answers its caller's ARGV[1] with the count.
local runs = redis.call('INCR', KEYS[1])
return {ARGV[1], runs}
