package dev.ticketrush.broadcast;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.RawSockets;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that upgrades and then never reads costs the server a bounded buffer and is closed within the
 * slow-client window, on the seat WebSocket (even when its first snapshot is all it ever gets) and on the bridge.
 */
@TicketRushNode
class SlowReaderBoundsTest {
  TestNode node; // both set by @TicketRushNode
  Api api;

  double metric(String name) {
    return api.get("/metrics", null).body().lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  /** Polls until the node has dropped one more slow client than {@code before}; fails at the deadline. */
  void awaitDropped(double before, long timeoutMs, Runnable meanwhile) {
    double dropped = Await.until(() -> {
      double now = metric("ticketrush_ws_dropped_total");
      if (now <= before) {
        meanwhile.run();
      }
      return now;
    }, now -> now > before, Duration.ofMillis(timeoutMs), Duration.ofMillis(100));
    assertThat(dropped).as("the stalled client is dropped in time").isGreaterThan(before);
  }

  /**
   * On loopback the kernel takes one 600 KB snapshot whole (tcp_wmem allows 4 MB), so the map is reloaded a few
   * times (version jumps force resync snapshots, the catch-up path) until the server's own queue is full.
   */
  @Test
  void aWebSocketThatNeverReadsIsClosedAndItsConnectionReleased() throws Exception {
    long id = api.createEvent(200, 500, new JsonObject().put("maxSeatsPerUser", 100)).getLong("id");
    String user = api.token("reader-" + id);
    // About 600 KB of snapshot: more than the socket's write queue and what the kernel takes for a stalled reader.
    List<String> sold = new ArrayList<>(List.of("ev:{" + id + "}:sold"));
    for (int seat = 1; seat <= 99_000; seat++) {
      sold.add(Integer.toString(seat));
    }
    RedisProbe.send(node, "SADD", sold.toArray(String[]::new));
    double dropped = metric("ticketrush_ws_dropped_total");
    double clients = metric("ticketrush_ws_clients");

    try (Socket stalled = RawSockets.connect(node)) {
      assertThat(RawSockets.upgrade(stalled, "/ws/events/" + id)).startsWith("HTTP/1.1 101");
      int[] seat = {99_001};
      awaitDropped(dropped, SeatWebSocket.SLOW_CLIENT_MS + 30_000, () -> {
        RedisProbe.send(node, "INCRBY", "ev:{" + id + "}:version", "1000");
        assertThat(api.hold(id, user, seat[0]++).status()).isEqualTo(201);
      });
      assertThat(RawSockets.closedByServer(stalled, 20_000)).as("closed by the server").isTrue();
    }
    assertThat(Await.until(() -> metric("ticketrush_ws_clients"), now -> now <= clients, Duration.ofSeconds(20),
        Duration.ofMillis(100)))
        .as("the connection and its buffer are gone").isLessThanOrEqualTo(clients);
  }

  @Test
  void aBridgeClientThatNeverReadsIsClosedAndOthersKeepListening() throws Exception {
    long id = api.createEvent(1, 10, new JsonObject()).getLong("id");
    double dropped = metric("ticketrush_ws_dropped_total");
    JsonObject big = new JsonObject().put("type", "patch").put("filler", "x".repeat(64 * 1024));

    try (Socket stalled = RawSockets.connect(node); WsClient healthy = WsClient.bridge(node)) {
      assertThat(RawSockets.upgrade(stalled, "/eventbus/websocket")).startsWith("HTTP/1.1 101");
      RawSockets.sendText(stalled, new JsonObject().put("type", "register").put("address", "seats." + id).encode());
      healthy.send(new JsonObject().put("type", "register").put("address", "seats." + id));
      // Messages on the bridge address as fast as the bus takes them: the stalled socket falls behind at once.
      awaitDropped(dropped, 30_000, () -> {
        for (int i = 0; i < 8; i++) {
          node.app().vertx().eventBus().publish("seats." + id, big);
        }
      });
      assertThat(RawSockets.closedByServer(stalled, 20_000)).as("closed by the server").isTrue();

      // The reader that keeps up is still there and still served.
      healthy.drain(f -> true, 500);
      node.app().vertx().eventBus().publish("seats." + id, new JsonObject().put("type", "patch").put("marker", 1));
      JsonObject rec = healthy.next(f -> f.getJsonObject("body") != null && f.getJsonObject("body").containsKey("marker"), 10_000);
      assertThat(rec.getString("address")).isEqualTo("seats." + id);
    }
  }
}
