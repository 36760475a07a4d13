package dev.ticketrush.web;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.RawSockets;
import dev.ticketrush.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One address cannot hold more than maxConnectionsPerIp connections, and silent connections do not stay. */
class ConnectionBoundsTest {
  @Test
  void connectionsBeyondThePerIpCapAreClosedAtOnce() throws Exception {
    // The demo event gives a WebSocket target without any HTTP call (whose pooled connection would count too).
    try (TestNode node = TestNode.start(new JsonObject().put("maxConnectionsPerIp", 4).put("demoEvent", true))) {
      long demo = node.app().demoEvent().id();
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          Socket ws = RawSockets.connect(node);
          held.add(ws);
          assertThat(RawSockets.upgrade(ws, "/ws/events/" + demo)).startsWith("HTTP/1.1 101");
        }
        for (int i = 0; i < 2; i++) {
          Socket http = RawSockets.connect(node);
          held.add(http);
          assertThat(RawSockets.get(http, "/health/live")).startsWith("HTTP/1.1 200");
        }
        try (Socket fifth = RawSockets.connect(node); Socket sixth = RawSockets.connect(node)) {
          assertThat(RawSockets.get(fifth, "/health/live")).as("5th connection (HTTP)").isNull();
          assertThat(RawSockets.upgrade(sixth, "/ws/events/" + demo)).as("6th connection (WebSocket)").isNull();
        }
        held.remove(3).close();
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
          try (Socket again = RawSockets.connect(node)) {
            if (RawSockets.get(again, "/health/live") != null) {
              break;
            }
          }
          assertThat(System.currentTimeMillis()).as("a closed connection frees its place").isLessThan(deadline);
          Thread.sleep(100);
        }
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
      Api api = new Api(node);
      long deadline = System.currentTimeMillis() + 10_000;
      Api.Reply metrics = null;
      while (metrics == null) {
        try {
          metrics = api.get("/metrics", null);
        } catch (IllegalStateException refusedWhileOthersClose) {
          assertThat(System.currentTimeMillis()).isLessThan(deadline);
          Thread.sleep(100);
        }
      }
      double refused = metrics.body().lines().filter(l -> l.startsWith("ticketrush_connections_refused_total"))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
      assertThat(refused).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void aConnectionThatStaysSilentIsClosedByTheServer() throws Exception {
    try (TestNode node = TestNode.start(new JsonObject().put("idleTimeoutSeconds", 1))) {
      try (Socket silent = RawSockets.connect(node); Socket afterOneRequest = RawSockets.connect(node)) {
        assertThat(RawSockets.get(afterOneRequest, "/health/live")).startsWith("HTTP/1.1 200");
        assertThat(RawSockets.closedByServer(silent, 15_000)).as("never said anything").isTrue();
        assertThat(RawSockets.closedByServer(afterOneRequest, 15_000)).as("idle keep-alive").isTrue();
      }
    }
  }
}
