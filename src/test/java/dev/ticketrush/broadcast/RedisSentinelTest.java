package dev.ticketrush.broadcast;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.Integration;
import dev.ticketrush.support.RedisServers;
import dev.ticketrush.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.ticketrush.broadcast.RedisClusterTest.eventually;
import static dev.ticketrush.broadcast.RedisClusterTest.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service node on Redis Sentinel (TICKETRUSH_REDIS_MODE=sentinel): one master, one replica, three sentinels.
 * The master is SIGKILLed mid-sale; the sentinels promote the replica and the node follows it.
 */
@Integration
class RedisSentinelTest {
  static RedisServers redis;
  static TestNode node;
  static Api api;

  @BeforeAll
  static void start() {
    redis = RedisServers.sentinel("mymaster");
    node = TestNode.start(new JsonObject().put("redisMode", "sentinel").put("redisUrl", redis.urls())
        .put("redisMasterName", "mymaster"));
    api = new Api(node);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void saleContinuesOnThePromotedReplica() {
    long ev = api.createEvent(2, 10, new JsonObject()).getLong("id");
    String alice = api.token("alice-sentinel");
    String bob = api.token("bob-sentinel");
    try (WsClient ws = WsClient.seats(node, ev)) {
      SeatMapView view = new SeatMapView(ws);
      view.apply(ws.next("snapshot", 10_000));
      assertThat(api.hold(ev, alice, 1, 2).status()).isEqualTo(201);
      assertThat(order(api, ev, alice, "sentinel-1", 1, 2).status()).isEqualTo(201);
      assertThat(api.hold(ev, alice, 3).status()).isEqualTo(201);
      view.awaitSeat(3, "HELD", 10_000);
      long seenBefore = view.version();

      int master = redis.sentinelMaster("mymaster");
      redis.kill(master);

      // Holds work again once the sentinels promoted the replica.
      assertThat(eventually(() -> api.hold(ev, bob, 4), 20_000)).as("hold after failover").isEqualTo(201);
      assertThat(redis.sentinelMaster("mymaster")).isNotEqualTo(master);
      assertThat(api.seats(ev).getJsonArray("sold")).contains(1, 2);
      assertThat(api.hold(ev, bob, 1).code()).isEqualTo("seat_unavailable");
      assertThat(api.seats(ev).getLong("version")).isGreaterThan(seenBefore);
      // The watcher converges on the true map, never going back in version.
      view.awaitConverged(api, ev, 20_000);
      assertThat(view.sold()).contains(1, 2);
    }
  }
}
