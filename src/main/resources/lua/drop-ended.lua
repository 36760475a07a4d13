-- include: seat-common
-- An ended event (no hold, order, watcher read or queue join for the grace period) gives its hot keys back to
-- Redis. Nothing is lost: PostgreSQL has the tickets and the sale's rules, and the next script that finds the
-- version counter gone answers 'not_ready', which restores them (restore.lua; versions restart above every
-- version issued before, so watchers resync). An event with a hold (even an expired one not yet swept) or a
-- payment running keeps its keys: it is not ended.
-- KEYS: the event's twelve seat keys (seat-common.lua), then its two presence keys
-- ARGV: none
-- Answers: {'ok'} (dropped) | {'busy'} (holds or pins: still live)
if redis.call('ZCARD', K_EXPIRY) > 0 or redis.call('HLEN', K_PAYING) > 0 then
  return {'busy'}
end
for i = 1, #KEYS do
  redis.call('UNLINK', KEYS[i])
end
return {'ok'}
