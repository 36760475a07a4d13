package dev.ticketrush.broadcast;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Made-up event ids cost PostgreSQL at most one query per id and negative-cache TTL, whichever door they come
 * through (HTTP, WebSocket upgrade, bridge registration), and a new event is visible at once all the same.
 */
@TicketRushNode
class UnknownEventLookupTest {
  TestNode node; // both set by @TicketRushNode
  Api api;

  static long unknownId() {
    return 4_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L);
  }

  double misses() {
    return api.get("/metrics", null).body().lines()
        .filter(l -> l.startsWith("ticketrush_event_lookups_total{") && l.contains("result=\"missing\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  void concurrentRequestsForAnUnknownEventShareOneQuery() {
    long id = unknownId();
    double before = misses();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String path = i % 2 == 0 ? "/api/events/" + id : "/api/events/" + id + "/seats";
      replies.add(http.sendAsync(HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).timeout(Duration.ofSeconds(30))
          .GET().build(), HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> f : replies) {
      HttpResponse<String> r = f.join();
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(new JsonObject(r.body()).getString("code")).isEqualTo("event_not_found");
    }
    // One query, or two when the 200 answers happened to straddle the end of the 2 s TTL.
    assertThat(misses() - before).isBetween(1.0, 2.0);
  }

  @Test
  void webSocketUpgradesAndBridgeRegistrationsUseTheSameCache() throws Exception {
    long id = unknownId();
    double before = misses();
    for (int i = 0; i < 40; i++) {
      assertThat(upgradeStatus(id)).startsWith("HTTP/1.1 404");
    }
    try (WsClient bridge = WsClient.bridge(node)) {
      for (int i = 0; i < 40; i++) {
        bridge.send(new JsonObject().put("type", "register").put("address", "seats." + id));
        assertThat(bridge.next(f -> true, 5_000).getString("type")).isEqualTo("err");
      }
    }
    assertThat(misses() - before).isBetween(1.0, 2.0);
  }

  @Test
  void anEventCreatedRightAfterAMissIsVisibleAtOnce() {
    for (int attempt = 0; attempt < 5; attempt++) {
      long next = api.createEvent(1, 5, new JsonObject()).getLong("id") + 1;
      assertThat(api.get("/api/events/" + next, null).status()).isEqualTo(404); // now cached as missing
      long created = api.createEvent(1, 5, new JsonObject()).getLong("id");
      if (created == next) {
        assertThat(api.get("/api/events/" + next, null).status()).isEqualTo(200);
        assertThat(api.get("/api/events/" + next + "/seats", null).status()).isEqualTo(200);
        return;
      }
      // Someone else took that id in between (another node on the same database): try again.
    }
    throw new AssertionError("could not create the id that was just looked up");
  }

  String upgradeStatus(long id) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", node.port()), 5_000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("GET /ws/events/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] head = s.getInputStream().readNBytes(12);
      return new String(head, StandardCharsets.US_ASCII);
    }
  }
}
