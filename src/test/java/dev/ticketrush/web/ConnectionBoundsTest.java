package dev.ticketrush.web;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.RawSockets;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One address cannot hold more than maxConnectionsPerIp connections, and silent connections do not stay. */
class ConnectionBoundsTest {
  // The demo event gives a WebSocket target without any HTTP call (whose pooled connection would count too).
  @Test
  @TicketRushNode({"maxConnectionsPerIp=4", "demoEvent=true"})
  void connectionsBeyondThePerIpCapAreClosedAtOnce(TestNode node) throws Exception {
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
      Await.until("a closed connection to free its place", () -> {
        try (Socket again = RawSockets.connect(node)) {
          return RawSockets.get(again, "/health/live") != null;
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }, Duration.ofSeconds(10));
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    Api api = new Api(node);
    Api.Reply metrics = Await.until(() -> {
      try {
        return api.get("/metrics", null);
      } catch (IllegalStateException refusedWhileOthersClose) {
        return null;
      }
    }, reply -> reply != null, Duration.ofSeconds(10), Duration.ofMillis(100));
    assertThat(metrics).as("metrics answered within 10 s").isNotNull();
    double refused = metrics.body().lines().filter(l -> l.startsWith("ticketrush_connections_refused_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    assertThat(refused).isGreaterThanOrEqualTo(2);
  }

  @Test
  @TicketRushNode("idleTimeoutSeconds=1")
  void aConnectionThatStaysSilentIsClosedByTheServer(TestNode node) throws Exception {
    try (Socket silent = RawSockets.connect(node); Socket afterOneRequest = RawSockets.connect(node)) {
      assertThat(RawSockets.get(afterOneRequest, "/health/live")).startsWith("HTTP/1.1 200");
      assertThat(RawSockets.closedByServer(silent, 15_000)).as("never said anything").isTrue();
      assertThat(RawSockets.closedByServer(afterOneRequest, 15_000)).as("idle keep-alive").isTrue();
    }
  }
}
