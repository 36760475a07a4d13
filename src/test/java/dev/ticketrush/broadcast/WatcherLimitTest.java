package dev.ticketrush.broadcast;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.RawSockets;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A node serves at most maxWatchers watchers; beyond it WebSockets get 503 watchers_full and registrations are refused. */
@TicketRushNode("maxWatchers=2")
class WatcherLimitTest {
  TestNode node; // both set by @TicketRushNode
  Api api;

  @Test
  void theThirdWatcherIsTurnedAwayUntilAPlaceIsFree() throws Exception {
    long id = api.createEvent(2, 10, new JsonObject()).getLong("id");
    WsClient first = WsClient.seats(node, id);
    try (WsClient second = WsClient.seats(node, id)) {
      first.next("snapshot", 10_000);
      second.next("snapshot", 10_000);

      try (Socket third = RawSockets.connect(node)) {
        String head = RawSockets.upgrade(third, "/ws/events/" + id);
        assertThat(head).startsWith("HTTP/1.1 503");
        assertThat(head.toLowerCase()).contains("retry-after: ").contains("content-type: application/problem+json");
        JsonObject problem = new JsonObject(body(third, head));
        assertThat(problem.getString("code")).isEqualTo("watchers_full");
        assertThat(problem.getInteger("status")).isEqualTo(503);
      }
      try (WsClient bridge = WsClient.bridge(node)) {
        bridge.send(new JsonObject().put("type", "register").put("address", "seats." + id));
        assertThat(bridge.next(f -> true, 5_000).getString("type")).isEqualTo("err");
      }
      assertThat(MetricsScrape.sum(api, "ticketrush_watchers_refused_total")).isGreaterThanOrEqualTo(2);

      first.close();
      String again = Await.until(() -> upgradeStatus(node, id), status -> status.startsWith("HTTP/1.1 101"),
          Duration.ofSeconds(10), Duration.ofMillis(100));
      assertThat(again).as("the freed place is given again").startsWith("HTTP/1.1 101");
    }
  }

  /** A fresh connection's answer to the upgrade (its status line first). */
  static String upgradeStatus(TestNode node, long id) {
    try (Socket again = RawSockets.connect(node)) {
      return RawSockets.upgrade(again, "/ws/events/" + id);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String body(Socket s, String head) throws Exception {
    int length = 0;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    InputStream in = s.getInputStream();
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }
}
