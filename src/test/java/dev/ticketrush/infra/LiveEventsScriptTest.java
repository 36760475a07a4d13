package dev.ticketrush.infra;

import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestServices;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The index of live events (live-events.lua) against real Redis. */
@ExtendWith(VertxExtension.class)
class LiveEventsScriptTest {
  static RedisLink redis;
  static final AtomicLong nextEvent = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 1000 + 41_000_000_000L);

  @BeforeAll
  static void connect(Vertx vertx) {
    redis = new RedisLink(vertx, TestServices.redisUrl());
  }

  static String score(long ev) {
    var r = Await.result(redis.send(Request.cmd(Command.ZSCORE).arg(Keyspace.liveEvents().get(0)).arg(ev)));
    return r == null ? null : r.toString();
  }

  @Test
  @DisplayName("a touch makes an event live for the grace; adopt gives unknown events an entry that has ended, never shortening a live one")
  void touchAndAdopt() {
    long live = nextEvent.incrementAndGet(), old = nextEvent.incrementAndGet();
    LiveEvents index = new LiveEvents(redis, 60_000);
    index.touch(live);
    Await.until("the touch is applied", () -> score(live) != null, java.time.Duration.ofSeconds(5));
    Await.result(index.adopt(List.of(live, old)));
    assertThat(Await.result(index.live())).contains(live).doesNotContain(old);
    Map<Long, String> ended = Await.result(index.ended(100_000));
    assertThat(ended).containsKey(old).doesNotContainKey(live);
  }

  @Test
  @DisplayName("forget drops an ended entry only if nobody touched it since it was read")
  void forgetIsConditional() {
    long ev = nextEvent.incrementAndGet(), other = nextEvent.incrementAndGet();
    LiveEvents index = new LiveEvents(redis, 60_000);
    Await.result(index.adopt(List.of(ev, other)));
    Map<Long, String> ended = Await.result(index.ended(100_000));
    // Touched after the read (a hold came in): forget leaves it, and it is live.
    index.touch(ev);
    Await.until("the touch is applied", () -> !ended.get(ev).equals(score(ev)), java.time.Duration.ofSeconds(5));
    Await.result(index.forget(ev, ended.get(ev)));
    assertThat(score(ev)).isNotNull();
    assertThat(Await.result(index.live())).contains(ev);
    // Untouched: forgotten.
    Await.result(index.forget(other, ended.get(other)));
    assertThat(score(other)).isNull();
  }
}
