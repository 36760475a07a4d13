package dev.ticketrush.seat;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** A crowd reading the seat map costs Redis a bounded number of snapshot scripts, and nobody gets an old map. */
@TicketRushNode
class SnapshotCoalescingTest {
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  TestNode node; // both set by @TicketRushNode
  Api api;

  double reads() {
    return api.get("/metrics", null).body().lines()
        .filter(l -> l.startsWith("ticketrush_seat_snapshot_reads_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  CompletableFuture<JsonObject> get(long id) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/events/" + id + "/seats"))
        .timeout(Duration.ofSeconds(30)).GET().build();
    return HTTP.sendAsync(req, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
      if (r.statusCode() != 200) {
        throw new IllegalStateException(r.statusCode() + " " + r.body());
      }
      return new JsonObject(r.body());
    });
  }

  /** {@code n} GETs one after the other; each answer in order. */
  CompletableFuture<List<JsonObject>> chain(long id, int n) {
    CompletableFuture<List<JsonObject>> done = CompletableFuture.completedFuture(new ArrayList<>());
    for (int i = 0; i < n; i++) {
      done = done.thenCompose(list -> get(id).thenApply(s -> {
        list.add(s);
        return list;
      }));
    }
    return done;
  }

  @Test
  void twoHundredReadersShareFewSnapshotsThatNeverGoBackwards() {
    long id = api.createEvent(10, 100, new JsonObject().put("maxSeatsPerUser", 100)).getLong("id");
    String user = api.token("map-reader-" + id);
    double before = reads();
    long started = System.nanoTime();

    List<CompletableFuture<List<JsonObject>>> readers = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      readers.add(chain(id, 25));
    }
    // Meanwhile changes flow, and whoever just changed a seat sees it in the very next map.
    for (int seat = 1; seat <= 10; seat++) {
      assertThat(api.hold(id, user, seat).status()).isEqualTo(201);
      assertThat(api.seats(id).getJsonArray("held").getList()).contains(seat);
    }
    List<List<JsonObject>> answers = readers.stream().map(CompletableFuture::join).toList();
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    double scripts = reads() - before;

    for (List<JsonObject> client : answers) {
      assertThat(client).hasSize(25);
      long last = -1;
      for (JsonObject s : client) {
        assertThat(s.getLong("eventId")).isEqualTo(id);
        assertThat(s.getInteger("seatCount")).isEqualTo(1000);
        assertThat(s.getJsonArray("sold")).isEmpty();
        for (Object seat : s.getJsonArray("held")) {
          assertThat((Integer) seat).isBetween(1, 10);
        }
        assertThat(s.getLong("version")).isGreaterThanOrEqualTo(last);
        last = s.getLong("version");
      }
    }
    // 210 GETs: at most one script per 100 ms (plus the one at the start), far fewer than one per request.
    assertThat(scripts).as("%s scripts in %s ms", scripts, elapsedMs).isLessThanOrEqualTo(elapsedMs / 100.0 + 1);
    assertThat(scripts).isLessThan(210);
    System.out.printf("210 GET /seats in %d ms ran %.0f snapshot scripts%n", elapsedMs, scripts);
  }

  @Test
  void aBurstOfConcurrentReadersWaitsForOneSharedRead() {
    long id = api.createEvent(10, 100, new JsonObject()).getLong("id");
    api.seats(id); // one read now, so the burst below finds the interval running
    double before = reads();
    long started = System.nanoTime();
    List<CompletableFuture<JsonObject>> burst = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      burst.add(get(id));
    }
    JsonArray versions = new JsonArray();
    burst.forEach(f -> versions.add(f.join().getLong("version")));
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    double scripts = reads() - before;
    assertThat(versions.stream().distinct().count()).isEqualTo(1); // nothing changed: every answer the same map
    assertThat(scripts).as("%s scripts in %s ms", scripts, elapsedMs).isBetween(1.0, elapsedMs / 100.0 + 1);
    System.out.printf("200 concurrent GET /seats in %d ms ran %.0f snapshot scripts%n", elapsedMs, scripts);
  }
}
