package dev.ticketrush.broadcast;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A client that stops reading neither holds up the others nor stays connected for ever. */
@TicketRushNode
class SlowClientTest {
  TestNode node; // both set by @TicketRushNode
  Api api;

  @Test
  void stalledClientIsClosedWhileOthersGetEveryChange() throws Exception {
    long id = api.createEvent(200, 500, new JsonObject().put("maxSeatsPerUser", 100)).getLong("id");
    // A big seat map (about 600 KB per snapshot) fills a stalled socket's write queue at once.
    List<String> sold = new ArrayList<>(List.of("ev:{" + id + "}:sold"));
    for (int seat = 1; seat <= 99_000; seat++) {
      sold.add(Integer.toString(seat));
    }
    RedisProbe.send(node, "SADD", sold.toArray(String[]::new));
    double droppedBefore = metric("ticketrush_ws_dropped_total");

    try (Socket stalled = stalledClient(id); WsClient healthy = WsClient.seats(node, id)) {
      JsonObject snapshot = healthy.next("snapshot", 10_000);
      assertThat(snapshot.getJsonArray("sold")).hasSize(99_000);

      // Every version jump makes each socket reload the whole map: a few of them overflow what the kernel
      // buffers for the stalled socket, and its write queue stays full.
      String user = api.token("keeps-up-" + id);
      int[] seat = {99_001};
      double dropped = Await.until(() -> {
        double now = metric("ticketrush_ws_dropped_total");
        if (now <= droppedBefore) {
          RedisProbe.send(node, "INCRBY", "ev:{" + id + "}:version", "1000");
          assertThat(api.hold(id, user, seat[0]++).status()).isEqualTo(201);
        }
        return now;
      }, now -> now > droppedBefore, Duration.ofSeconds(40), Duration.ofMillis(100));
      assertThat(dropped).as("the stalled client is dropped").isGreaterThan(droppedBefore);
      assertThat(api.hold(id, user, seat[0]).status()).isEqualTo(201);
      assertFollows(healthy, snapshot.getLong("version"), api.seats(id).getLong("version"));
      assertThat(closedByServer(stalled)).isTrue();
    }
  }

  /** Snapshots and patches that always continue the client's version, up to {@code last}. */
  static void assertFollows(WsClient ws, long from, long last) {
    long version = from;
    while (version < last) {
      JsonObject f = ws.next(x -> !WsClient.isType(x, "presence"), 10_000);
      if (WsClient.isType(f, "snapshot")) {
        assertThat(f.getLong("version")).isGreaterThanOrEqualTo(version);
        version = f.getLong("version");
      } else {
        assertThat(f.getString("type")).isEqualTo("patch");
        assertThat(f.getLong("fromVersion")).as("frame %s", f).isEqualTo(version + 1);
        version = f.getLong("toVersion");
      }
    }
    assertThat(version).isEqualTo(last);
  }

  /** Upgrades, then never reads again (a tiny receive buffer keeps the kernel from soaking up much). */
  Socket stalledClient(long id) throws Exception {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress("127.0.0.1", node.port()), 5_000);
    OutputStream out = s.getOutputStream();
    out.write(("GET /ws/events/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    byte[] head = new byte[12];
    int n = s.getInputStream().readNBytes(head, 0, head.length);
    assertThat(new String(head, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101");
    return s;
  }

  /** Reading on now drains what was queued and then meets the end of the connection. */
  static boolean closedByServer(Socket s) throws Exception {
    s.setSoTimeout(10_000);
    InputStream in = s.getInputStream();
    byte[] buf = new byte[65_536];
    try {
      while (in.read(buf) >= 0) {
        // draining
      }
      return true;
    } catch (SocketException reset) {
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    }
  }

  double metric(String name) {
    return api.get("/metrics", null).body().lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }
}
