package dev.ticketrush.queue;

import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Every branch of ratelimit.lua through {@link RateLimiter}, against real Redis. */
@ExtendWith(VertxExtension.class)
class RateLimiterScriptTest {
  static RedisLink redis;
  static SimpleMeterRegistry registry = new SimpleMeterRegistry();
  static RateLimiter limiter;

  /** The Vert.x instance comes from VertxExtension, which closes it (and with it this link) after the class. */
  @BeforeAll
  static void connect(Vertx vertx) {
    redis = new RedisLink(vertx, TestServices.redisUrl());
    limiter = new RateLimiter(redis).countingIn(registry);
  }

  static boolean allowed(Future<Void> check) {
    try {
      Await.result(check);
      return true;
    } catch (Rejection p) {
      assertThat(p.outcome()).isEqualTo(Outcome.RATE_LIMITED);
      assertThat(p.retryAfterSeconds()).isPositive();
      return false;
    }
  }

  @Test
  void bothLimitsOffAsksNothing() {
    RateLimiter offline = new RateLimiter(null);
    for (int i = 0; i < 100; i++) {
      assertThat(allowed(offline.check(1, "u", "ip", 0, 0))).isTrue();
    }
  }

  @Test
  void theUserBucketAllowsTwiceTheRateAtOnceThenRefusesThatUserOnly() {
    long ev = WaitingRoomScriptTest.freshEvent();
    double before = registry.counter("ticketrush.rate.limited").count();
    for (int i = 0; i < 4; i++) {
      assertThat(allowed(limiter.check(ev, "alice", "10.0.0.1", 2, 0))).as("request " + i).isTrue();
    }
    assertThat(allowed(limiter.check(ev, "alice", "10.0.0.1", 2, 0))).isFalse();
    assertThat(allowed(limiter.check(ev, "bob", "10.0.0.1", 2, 0))).as("another user, same IP").isTrue();
    assertThat(allowed(limiter.check(ev + 1, "alice", "10.0.0.1", 2, 0))).as("buckets are per event").isTrue();
    assertThat(registry.counter("ticketrush.rate.limited").count()).isEqualTo(before + 1);
  }

  @Test
  void theIpBucketIsSharedByEveryUserBehindIt() {
    long ev = WaitingRoomScriptTest.freshEvent();
    for (int i = 0; i < 4; i++) {
      assertThat(allowed(limiter.check(ev, "user" + i, "10.0.0.2", 0, 2))).isTrue();
    }
    assertThat(allowed(limiter.check(ev, "user9", "10.0.0.2", 0, 2))).isFalse();
    assertThat(allowed(limiter.check(ev, "user9", "10.0.0.3", 0, 2))).as("another IP").isTrue();
  }

  @Test
  void aRefusedRequestTakesNoTokenFromTheOtherBucket() {
    long ev = WaitingRoomScriptTest.freshEvent();
    // user: 1/s burst 2; IP: 3/s burst 6
    assertThat(allowed(limiter.check(ev, "a", "ip", 1, 3))).isTrue();
    assertThat(allowed(limiter.check(ev, "a", "ip", 1, 3))).isTrue();
    assertThat(allowed(limiter.check(ev, "a", "ip", 1, 3))).isFalse();
    assertThat(allowed(limiter.check(ev, "a", "ip", 1, 3))).isFalse();
    for (String u : new String[] {"b", "b", "c", "c"}) {
      assertThat(allowed(limiter.check(ev, u, "ip", 1, 3))).as("the IP bucket still had 4").isTrue();
    }
    assertThat(allowed(limiter.check(ev, "d", "ip", 1, 3))).as("now the IP bucket is empty").isFalse();
  }

  @Test
  void retryAfterSaysWhenATokenIsBackAndTheBucketRefills() {
    long ev = WaitingRoomScriptTest.freshEvent();
    for (int i = 0; i < 20; i++) {
      Await.result(limiter.check(ev, "carol", "ip", 10, 0));
    }
    Rejection refused = (Rejection) Await.failure(limiter.check(ev, "carol", "ip", 10, 0));
    assertThat(refused.retryAfterSeconds()).isEqualTo(1L);
    assertThat(refused.getMessage()).contains("retry in");

    Await.pause(Duration.ofMillis(250));
    int passed = 0;
    while (allowed(limiter.check(ev, "carol", "ip", 10, 0))) {
      passed++;
      assertThat(passed).isLessThan(10);
    }
    assertThat(passed).as("about 2.5 tokens came back in 250 ms").isBetween(2, 4);
  }

  @Test
  void aSlowRateAsksForALongerWait() {
    long ev = WaitingRoomScriptTest.freshEvent();
    // 1 per second and burst 2 per user; the IP limit (0.5/s is not expressible) stays off
    Await.result(limiter.check(ev, "dave", "ip", 1, 0));
    Await.result(limiter.check(ev, "dave", "ip", 1, 0));
    Rejection refused = (Rejection) Await.failure(limiter.check(ev, "dave", "ip", 1, 0));
    assertThat(refused.retryAfterSeconds()).isEqualTo(1L);
    assertThat(dev.ticketrush.web.OutcomeTable.of(refused.outcome()).code()).isEqualTo("rate_limited");
  }
}
