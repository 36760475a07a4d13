package dev.ticketrush.broadcast;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.Integration;
import dev.ticketrush.support.RedisServers;
import dev.ticketrush.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two service nodes on a real 3-master + 3-replica Redis Cluster (TICKETRUSH_REDIS_MODE=cluster), with events on
 * every shard: holds, an order, a patch delivered across nodes, a since-resync; then one shard's master is
 * SIGKILLed mid-sale and its replica takes over.
 */
@Integration
class RedisClusterTest {
  static RedisServers redis;
  static TestNode a;
  static TestNode b;
  static Api apiA;
  static Api apiB;

  @BeforeAll
  static void start() {
    redis = RedisServers.cluster();
    JsonObject cfg = new JsonObject().put("redisMode", "cluster").put("redisUrl", redis.urls());
    a = TestNode.start(cfg.copy());
    b = TestNode.start(cfg.copy());
    apiA = new Api(a);
    apiB = new Api(b);
  }

  @AfterAll
  static void stop() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void saleOnEveryShardSurvivesTheLossOfOneMaster() {
    // Events until their {id} slots land on all three masters.
    Map<Integer, Long> eventByMaster = new LinkedHashMap<>();
    for (int i = 0; i < 60 && eventByMaster.size() < 3; i++) {
      long id = apiA.createEvent(2, 10, new JsonObject()).getLong("id");
      eventByMaster.putIfAbsent(redis.masterOfSlot(RedisServers.slot(Long.toString(id))), id);
    }
    assertThat(eventByMaster).as("events on every master").hasSize(3);
    long hot = eventByMaster.values().iterator().next();
    long other = eventByMaster.values().stream().skip(1).findFirst().orElseThrow();
    String alice = apiA.token("alice-cluster");
    String bob = apiB.token("bob-cluster");

    try (WsClient ws = WsClient.seats(b, hot)) {
      SeatMapView view = new SeatMapView(ws);
      view.apply(ws.next("snapshot", 10_000));

      // Scripts run on every shard, through either node.
      for (long ev : eventByMaster.values()) {
        assertThat(apiA.hold(ev, alice, 1).status()).as("hold on event %d", ev).isEqualTo(201);
        assertThat(apiB.hold(ev, alice, 1).status()).isEqualTo(201);
        assertThat(apiB.hold(ev, bob, 1).code()).isEqualTo("seat_unavailable");
      }
      // A hold made on node A reaches a watcher on node B.
      view.awaitSeat(1, "HELD", 10_000);

      long beforeOrder = apiB.seats(hot).getLong("version");
      assertThat(apiA.hold(hot, alice, 2).status()).isEqualTo(201);
      assertThat(order(apiA, hot, alice, "cluster-1", 1, 2).status()).isEqualTo(201);
      view.awaitSeat(2, "SOLD", 10_000);

      // since-resync: a reconnecting client gets exactly the changes it missed.
      try (WsClient again = WsClient.seats(b, hot, beforeOrder)) {
        JsonObject first = again.next(f -> !WsClient.isType(f, "presence"), 10_000);
        assertThat(first.getString("type")).as("frame %s", first).isEqualTo("patch");
        assertThat(first.getLong("fromVersion")).isEqualTo(beforeOrder + 1);
      }

      // SIGKILL the hot event's master mid-sale; its replica takes over.
      int victim = redis.masterOfSlot(RedisServers.slot(Long.toString(hot)));
      assertThat(redis.masterOfSlot(RedisServers.slot(Long.toString(other)))).isNotEqualTo(victim);
      long seenBefore = view.version();
      redis.kill(victim);

      // The other shard keeps selling while the hot one fails over: first try, on both nodes.
      assertThat(apiA.hold(other, bob, 5).status()).as("hold on the other shard via A").isEqualTo(201);
      assertThat(apiB.hold(other, bob, 6).status()).as("hold on the other shard via B").isEqualTo(201);
      // Holds on the failed shard work again within seconds.
      assertThat(eventually(() -> apiA.hold(hot, bob, 5), 20_000)).as("hold after failover").isEqualTo(201);
      assertThat(redis.masterOfSlot(RedisServers.slot(Long.toString(hot)))).isNotEqualTo(victim);
      // Sold seats stay sold (node B may need a moment longer to reach the promoted master).
      assertThat(eventually(() -> apiB.get("/api/events/" + hot + "/seats", null), 20_000)).isEqualTo(200);
      assertThat(apiB.seats(hot).getJsonArray("sold")).contains(1, 2);
      assertThat(apiB.hold(hot, bob, 1).code()).isEqualTo("seat_unavailable");
      assertThat(apiA.seats(hot).getLong("version")).isGreaterThan(seenBefore);

      // Watchers converge on the true map, never going back in version.
      view.awaitConverged(apiB, hot, 20_000);

      // A promoted replica that had missed writes holds an OLDER counter and log (both replicate in the same
      // script effect): simulate that on the new master.
      long seen = view.version();
      int promoted = redis.masterOfSlot(RedisServers.slot(Long.toString(hot)));
      RedisServers.cli(promoted, "DEL", "ev:{" + hot + "}:log");
      RedisServers.cli(promoted, "SET", "ev:{" + hot + "}:version", "3");
      assertThat(apiA.hold(hot, bob, 6).status()).isEqualTo(201);
      view.awaitSeat(6, "HELD", 20_000);
      view.awaitConverged(apiB, hot, 20_000);
      assertThat(view.version()).isGreaterThan(seen);
      assertThat(view.sold()).contains(1, 2);
    }
  }

  static Api.Reply order(Api api, long eventId, String token, String key, int... seats) {
    StringBuilder s = new StringBuilder();
    for (int seat : seats) {
      s.append(s.length() == 0 ? "" : ",").append(seat);
    }
    return api.post("/api/events/" + eventId + "/orders", token, "{\"seats\":[" + s + "],\"paymentToken\":\"tok_ok\"}",
        Map.of("Idempotency-Key", key));
  }

  /** Retries while the answer is a 5xx (Redis unreachable for that moment); the last status. */
  static int eventually(Supplier<Api.Reply> call, long timeoutMs) {
    return Await.until(call, r -> r.status() < 500, Duration.ofMillis(timeoutMs), Duration.ofMillis(100)).status();
  }
}
