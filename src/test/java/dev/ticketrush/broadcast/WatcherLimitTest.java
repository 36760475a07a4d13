package dev.ticketrush.broadcast;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.RawSockets;
import dev.ticketrush.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A node serves at most maxWatchers watchers; beyond it WebSockets get 503 watchers_full and registrations are refused. */
class WatcherLimitTest {
  static TestNode node;
  static Api api;

  @BeforeAll
  static void start() {
    node = TestNode.start(new JsonObject().put("maxWatchers", 2));
    api = new Api(node);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

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
      long deadline = System.currentTimeMillis() + 10_000;
      while (true) {
        try (Socket again = RawSockets.connect(node)) {
          if (RawSockets.upgrade(again, "/ws/events/" + id).startsWith("HTTP/1.1 101")) {
            break;
          }
        }
        assertThat(System.currentTimeMillis()).as("the freed place is given again").isLessThan(deadline);
        WebSocketFeedTest.sleep(100);
      }
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
