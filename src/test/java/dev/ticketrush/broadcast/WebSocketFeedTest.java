package dev.ticketrush.broadcast;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The seat WebSocket as a client sees it: first state, gap-free coalesced patches, resume with since, expiry, presence. */
@TicketRushNode
class WebSocketFeedTest {
  TestNode node; // both set by @TicketRushNode
  Api api;

  long newEvent(JsonObject extra) {
    return api.createEvent(10, 20, extra).getLong("id");
  }

  @Test
  void snapshotFirstThenEveryChangeOnceInOrderInFewerFrames() {
    long id = newEvent(new JsonObject());
    String early = api.token("early-" + id);
    assertThat(api.hold(id, early, 200).status()).isEqualTo(201);

    try (WsClient ws = WsClient.seats(node, id)) {
      JsonObject first = ws.poll(5_000);
      assertThat(first).isNotNull();
      assertThat(first.getString("type")).isEqualTo("snapshot");
      long v = first.getLong("version");
      assertThat(v).isEqualTo(api.seats(id).getLong("version"));
      assertThat(first.getJsonArray("held")).containsExactly(200);
      assertThat(first.getJsonArray("sold")).isEmpty();

      // 60 changes by 15 users (4 seats each, the default limit), concurrently, one seat per request.
      List<CompletableFuture<Api.Reply>> holds = new ArrayList<>();
      for (int u = 0; u < 15; u++) {
        String token = api.token("fan-" + u + "-" + id);
        for (int s = 0; s < 4; s++) {
          int seat = 1 + u * 4 + s;
          holds.add(api.postAsync("/api/events/" + id + "/holds", token,
              new JsonObject().put("seats", new JsonArray().add(seat)).encode(), java.util.Map.of()));
        }
      }
      holds.forEach(h -> assertThat(h.join().status()).isEqualTo(201));

      List<JsonObject> patches = Frames.collectPatches(ws, v + 60);
      assertThat(patches.size()).isLessThan(60);
      Frames.assertGapFree(patches, v + 1, v + 60);
      List<Integer> seats = new ArrayList<>();
      patches.forEach(p -> p.getJsonArray("changes").forEach(c -> {
        assertThat(((JsonObject) c).getString("status")).isEqualTo("HELD");
        seats.add(((JsonObject) c).getInteger("seat"));
      }));
      assertThat(seats).doesNotHaveDuplicates().hasSize(60).allMatch(s -> s >= 1 && s <= 60);
      assertThat(ws.drain(f -> !WsClient.isType(f, "presence"), 300)).as("nothing after the last change").isEmpty();
    }
  }

  /** The node encodes a patch once and every socket (on every event loop) writes that same frame. */
  @Test
  void everyWatcherOfTheNodeReceivesTheSamePatchFrames() {
    long id = newEvent(new JsonObject());
    List<WsClient> clients = new ArrayList<>();
    try {
      long v = -1;
      for (int i = 0; i < 4; i++) {
        WsClient ws = WsClient.seats(node, id);
        clients.add(ws);
        JsonObject first = ws.next(f -> !WsClient.isType(f, "presence"), 5_000);
        assertThat(first.getString("type")).isEqualTo("snapshot");
        v = first.getLong("version");
      }
      List<CompletableFuture<Api.Reply>> holds = new ArrayList<>();
      for (int u = 0; u < 8; u++) {
        String token = api.token("same-" + u + "-" + id);
        for (int s = 0; s < 4; s++) {
          holds.add(api.postAsync("/api/events/" + id + "/holds", token,
              new JsonObject().put("seats", new JsonArray().add(1 + u * 4 + s)).encode(), java.util.Map.of()));
        }
      }
      holds.forEach(h -> assertThat(h.join().status()).isEqualTo(201));

      List<JsonObject> reference = Frames.collectPatches(clients.get(0), v + 32);
      Frames.assertGapFree(reference, v + 1, v + 32);
      for (WsClient other : clients.subList(1, clients.size())) {
        assertThat(Frames.collectPatches(other, v + 32)).containsExactlyElementsOf(reference);
      }
    } finally {
      clients.forEach(WsClient::close);
    }
  }

  @Test
  void sinceInsideTheLogSendsOnlyTheMissingPatches() {
    long id = newEvent(new JsonObject());
    String user = api.token("resumer-" + id);
    long v0 = api.seats(id).getLong("version");
    assertThat(api.hold(id, user, 5, 6, 7).status()).isEqualTo(201);
    assertThat(api.delete("/api/events/" + id + "/holds/6", user).status()).isEqualTo(204);

    try (WsClient ws = WsClient.seats(node, id, v0 + 1)) {
      JsonObject first = ws.next(f -> !WsClient.isType(f, "presence"), 5_000);
      assertThat(first.getString("type")).isEqualTo("patch");
      assertThat(first.getLong("fromVersion")).isEqualTo(v0 + 2);
      assertThat(first.getLong("toVersion")).isEqualTo(v0 + 4);
      assertThat(first.getJsonArray("changes").stream().map(c -> ((JsonObject) c).getInteger("seat")).toList())
          .containsExactly(6, 7, 6);
      assertThat(((JsonObject) first.getJsonArray("changes").getValue(2)).getString("status")).isEqualTo("AVAILABLE");

      // and it goes on live from there
      assertThat(api.hold(id, user, 8).status()).isEqualTo(201);
      JsonObject live = ws.next("patch", 5_000);
      assertThat(live.getLong("fromVersion")).isEqualTo(v0 + 5);
      assertThat(ws.drain(f -> WsClient.isType(f, "snapshot"), 300)).isEmpty();
    }

    try (WsClient upToDate = WsClient.seats(node, id, v0 + 5)) {
      assertThat(api.hold(id, user, 9).status()).isEqualTo(201);
      JsonObject first = upToDate.next(f -> !WsClient.isType(f, "presence"), 5_000);
      assertThat(first.getString("type")).isEqualTo("patch");
      assertThat(first.getLong("fromVersion")).isEqualTo(v0 + 6);
    }
  }

  @Test
  void unknownOldOrFutureSinceGetsASnapshot() throws Exception {
    long id = newEvent(new JsonObject());
    String user = api.token("late-" + id);
    assertThat(api.hold(id, user, 1, 2, 3, 4).status()).isEqualTo(201);
    long v = api.seats(id).getLong("version");

    for (long since : new long[] {v + 1_000, -5}) {
      try (WsClient ws = WsClient.seats(node, id, since)) {
        JsonObject first = ws.next(f -> !WsClient.isType(f, "presence"), 5_000);
        assertThat(first.getString("type")).as("since=" + since).isEqualTo("snapshot");
        assertThat(first.getLong("version")).isEqualTo(v);
        assertThat(first.getJsonArray("held")).containsExactlyInAnyOrder(1, 2, 3, 4);
      }
    }

    // Entries trimmed from the log (as MAXLEN does on a busy event): the server no longer has them all.
    RedisProbe.send(node, "XTRIM", "ev:{" + id + "}:log", "MAXLEN", "1");
    try (WsClient ws = WsClient.seats(node, id, v - 3)) {
      JsonObject first = ws.next(f -> !WsClient.isType(f, "presence"), 5_000);
      assertThat(first.getString("type")).isEqualTo("snapshot");
      assertThat(first.getLong("version")).isEqualTo(v);
    }
  }

  @Test
  void unknownEventIs404ProblemBeforeTheUpgrade() throws Exception {
    String reply = rawUpgrade("/ws/events/987654321");
    assertThat(reply).startsWith("HTTP/1.1 404");
    assertThat(reply).containsIgnoringCase("content-type: application/problem+json");
    assertThat(reply).contains("\"code\":\"event_not_found\"");
    assertThat(reply).doesNotContainIgnoringCase("upgrade: websocket");

    long id = newEvent(new JsonObject());
    assertThat(rawUpgrade("/ws/events/" + id + "?since=abc")).startsWith("HTTP/1.1 400").contains("invalid_request");
    assertThat(rawUpgrade("/ws/events/" + id)).startsWith("HTTP/1.1 101");
  }

  @Test
  void expiredHoldBecomesAvailableOnTheWire() {
    long id = newEvent(new JsonObject().put("holdTtlMs", 1000));
    try (WsClient ws = WsClient.seats(node, id)) {
      ws.next("snapshot", 5_000);
      Api.Reply held = api.hold(id, api.token("brief-" + id), 42);
      assertThat(held.status()).isEqualTo(201);
      long expiresAt = java.time.Instant.parse(held.json().getString("expiresAt")).toEpochMilli();
      ws.next(f -> WsClient.isType(f, "patch") && Frames.hasChange(f, 42, "HELD"), 5_000);

      JsonObject freed = ws.next(f -> WsClient.isType(f, "patch") && Frames.hasChange(f, 42, "AVAILABLE"), 5_000);
      assertThat(System.currentTimeMillis()).isLessThanOrEqualTo(expiresAt + 1_500);
      assertThat(freed).isNotNull();
    }
  }

  @Test
  void presenceCountsOpenSocketsAndForgetsClosedOnes() {
    long id = newEvent(new JsonObject());
    assertThat(api.get("/api/events/" + id + "/presence", null).json().getLong("active")).isZero();
    assertThat(api.get("/api/events/987654321/presence", null).code()).isEqualTo("event_not_found");

    List<WsClient> sockets = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sockets.add(WsClient.seats(node, id));
    }
    try {
      awaitPresence(id, 3);
      JsonObject frame = sockets.get(0).next(f -> WsClient.isType(f, "presence") && f.getLong("active") == 3, 10_000);
      assertThat(frame).isNotNull();
    } finally {
      sockets.forEach(WsClient::close);
    }
    awaitPresence(id, 0);
  }

  @Test
  void realtimeMetricsArePublished() {
    long id = newEvent(new JsonObject());
    try (WsClient ws = WsClient.seats(node, id)) {
      ws.next("snapshot", 5_000);
      assertThat(api.hold(id, api.token("metered-" + id), 3).status()).isEqualTo(201);
      ws.next("patch", 5_000);
      String metrics = api.get("/metrics", null).body();
      assertThat(metrics).contains("ticketrush_ws_clients");
      assertThat(metrics).contains("ticketrush_propagation_seconds_bucket");
      assertThat(metrics).contains("ticketrush_ws_dropped_total");
      double clients = metrics.lines().filter(l -> l.startsWith("ticketrush_ws_clients"))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
      assertThat(clients).isGreaterThanOrEqualTo(1);
    }
  }

  void awaitPresence(long id, long expected) {
    long active = Await.until(() -> api.get("/api/events/" + id + "/presence", null).json().getLong("active"),
        a -> a == expected, Duration.ofSeconds(15), Duration.ofMillis(200));
    assertThat(active).as("presence").isEqualTo(expected);
  }




  String rawUpgrade(String path) throws Exception {
    try (Socket s = new Socket("127.0.0.1", node.port())) {
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder reply = new StringBuilder();
      String line;
      int contentLength = -1;
      while ((line = in.readLine()) != null && !line.isEmpty()) {
        reply.append(line).append('\n');
        if (line.toLowerCase().startsWith("content-length:")) {
          contentLength = Integer.parseInt(line.substring(15).trim());
        }
      }
      if (contentLength > 0) {
        char[] body = new char[contentLength];
        int n = 0;
        while (n < contentLength) {
          int r = in.read(body, n, contentLength - n);
          if (r < 0) {
            break;
          }
          n += r;
        }
        reply.append('\n').append(body, 0, n);
      }
      return reply.toString();
    }
  }
}
