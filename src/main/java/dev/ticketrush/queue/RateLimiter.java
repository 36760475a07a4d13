package dev.ticketrush.queue;

import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.infra.Keyspace;
import dev.ticketrush.infra.LuaScript;
import dev.ticketrush.outcome.Rejection;
import dev.ticketrush.infra.RedisLink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;

import java.util.List;

/**
 * Per-user and per-IP token buckets on holds and orders, decided atomically in Redis (several nodes share
 * them). Burst is twice the per-second rate, so a human double-click never trips it.
 */
public final class RateLimiter {
  private static final LuaScript SCRIPT = LuaScript.load("ratelimit");
  private final RedisLink redis;
  private final Counter limited;

  public RateLimiter(RedisLink redis) {
    this(redis, null);
  }

  private RateLimiter(RedisLink redis, Counter limited) {
    this.redis = redis;
    this.limited = limited;
  }

  /** The same limiter, counting its refusals as {@code ticketrush_rate_limited_total}. */
  public RateLimiter countingIn(MeterRegistry registry) {
    return new RateLimiter(redis, Counter.builder("ticketrush.rate.limited")
        .description("Hold and order requests refused with 429 rate_limited")
        .register(registry));
  }

  RedisLink redis() {
    return redis;
  }

  /** Succeeds when allowed; fails with 429 {@code rate_limited} and Retry-After otherwise. */
  public Future<Void> check(long eventId, String user, String ip, int perUser, int perIp) {
    if (perUser <= 0 && perIp <= 0) {
      return Future.succeededFuture();
    }
    return SCRIPT.call(redis, Keyspace.rateLimits(eventId, user, ip),
            List.of(Math.max(perUser, 0), 2L * Math.max(perUser, 0), Math.max(perIp, 0), 2L * Math.max(perIp, 0)))
        .compose(r -> {
          if (r.get(0).toInteger() == 1) {
            return Future.succeededFuture();
          }
          if (limited != null) {
            limited.increment();
          }
          long waitMs = r.get(1).toLong();
          return Future.failedFuture(Rejection.of(Outcome.RATE_LIMITED,
                  "too many hold or order requests; retry in " + waitMs + " ms")
              .retryAfter((waitMs + 999) / 1000));
        });
  }
}
