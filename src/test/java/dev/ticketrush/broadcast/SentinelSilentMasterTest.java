package dev.ticketrush.broadcast;

import dev.ticketrush.support.Integration;
import dev.ticketrush.support.Api;
import dev.ticketrush.support.RedisServers;
import dev.ticketrush.support.SilentProxy;
import dev.ticketrush.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.ticketrush.broadcast.RedisClusterTest.eventually;
import static dev.ticketrush.broadcast.RedisClusterTest.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis Sentinel whose master dies silently: the sentinels and the node reach the master only through a
 * {@link SilentProxy}, which stops forwarding mid-sale without closing anything (and refuses new connections,
 * as a host without power). The sentinels promote the replica; the node's connections to the old master are
 * retired by their deadline, and its next connections ask the sentinels again and follow the new master:
 * holds and watchers resume. The time from the silence to the first hold on the new master is printed.
 */
@Integration
class SentinelSilentMasterTest {
  static final String MASTER = "silentmaster";
  static SilentProxy proxy;
  static RedisServers redis;
  static TestNode node;
  static Api api;

  @BeforeAll
  static void start() {
    redis = RedisServers.sentinel(MASTER, port -> {
      proxy = SilentProxy.toLocalPort(port);
      return proxy.port();
    });
    node = TestNode.start(new JsonObject().put("redisMode", "sentinel").put("redisUrl", redis.urls())
        .put("redisMasterName", MASTER).put("redisCommandTimeoutMs", 500));
    api = new Api(node);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (redis != null) {
      redis.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void saleFollowsThePromotedReplicaWhenTheMasterGoesSilent() {
    long ev = api.createEvent(2, 10, new JsonObject()).getLong("id");
    String alice = api.token("alice-silent-sentinel");
    String bob = api.token("bob-silent-sentinel");
    try (WsClient ws = WsClient.seats(node, ev)) {
      SeatMapView view = new SeatMapView(ws);
      view.apply(ws.next("snapshot", 10_000));
      assertThat(api.hold(ev, alice, 1, 2).status()).isEqualTo(201);
      assertThat(order(api, ev, alice, "silent-sentinel-1", 1, 2).status()).isEqualTo(201);
      assertThat(api.hold(ev, alice, 3).status()).isEqualTo(201);
      view.awaitSeat(3, "HELD", 10_000);
      int master = redis.sentinelMaster(MASTER);
      assertThat(master).as("the sentinels reach the master through the proxy").isEqualTo(proxy.port());

      long silentAt = System.nanoTime();
      proxy.silence(true);
      assertThat(eventually(() -> api.hold(ev, bob, 4), 60_000)).as("hold after the failover").isEqualTo(201);
      long recoveredMs = (System.nanoTime() - silentAt) / 1_000_000;
      System.out.printf("[silent host] Sentinel master silent: first hold on the promoted replica after %d ms%n",
          recoveredMs);
      assertThat(redis.sentinelMaster(MASTER)).isNotEqualTo(master);
      assertThat(api.seats(ev).getJsonArray("sold")).contains(1, 2);
      view.awaitSeat(4, "HELD", 20_000);
      view.awaitConverged(api, ev, 20_000);
    }
  }
}
