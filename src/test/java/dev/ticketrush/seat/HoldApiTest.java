package dev.ticketrush.seat;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Holds over HTTP with real concurrent clients against real Redis. */
@TicketRushNode
class HoldApiTest {
  Api api; // set by @TicketRushNode

  static String seats(int... ids) {
    JsonArray a = new JsonArray();
    for (int i : ids) {
      a.add(i);
    }
    return new JsonObject().put("seats", a).encode();
  }

  @Test
  void sixtyFourUsersOnOneSeatExactlyOneWins() {
    long ev = api.createEvent(1, 10, new JsonObject()).getLong("id");
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      tokens.add(api.token("racer-" + i));
    }
    List<CompletableFuture<Api.Reply>> replies = new ArrayList<>();
    for (String t : tokens) {
      replies.add(api.postAsync("/api/events/" + ev + "/holds", t, seats(5), Map.of()));
    }
    List<Api.Reply> done = replies.stream().map(CompletableFuture::join).toList();
    assertThat(done.stream().filter(r -> r.status() == 201)).hasSize(1);
    assertThat(done.stream().filter(r -> r.status() == 409)).hasSize(63)
        .allSatisfy(r -> {
          assertThat(r.code()).isEqualTo("seat_unavailable");
          assertThat(r.json().getJsonArray("seats").getList()).containsExactly(5);
        });
    JsonObject snap = api.seats(ev);
    assertThat(snap.getJsonArray("held").getList()).containsExactly(5);
    assertThat(snap.getLong("version")).isEqualTo(1L);
  }

  @Test
  void overlappingMultiSeatHoldsNeverLeavePartialHoldsAndVersionsStayGapFree() {
    long ev = api.createEvent(1, 40, new JsonObject().put("maxSeatsPerUser", 4)).getLong("id");
    List<CompletableFuture<Api.Reply>> replies = new ArrayList<>();
    List<int[]> asked = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      int a = 1 + (i % 37);
      int[] want = {a, a + 1, a + 2};
      asked.add(want);
      replies.add(api.postAsync("/api/events/" + ev + "/holds", api.token("multi-" + i), seats(want), Map.of()));
    }
    Set<Integer> won = new HashSet<>();
    int winners = 0;
    for (int i = 0; i < replies.size(); i++) {
      Api.Reply r = replies.get(i).join();
      if (r.status() == 201) {
        winners++;
        for (int s : asked.get(i)) {
          assertThat(won.add(s)).as("seat %d won twice", s).isTrue();
        }
      } else {
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.code()).isEqualTo("seat_unavailable");
      }
    }
    JsonObject snap = api.seats(ev);
    assertThat(new HashSet<>(snap.getJsonArray("held").getList())).isEqualTo(won);
    // Versions: exactly one step per held seat, no gaps, no extra steps from refused requests.
    assertThat(snap.getLong("version")).isEqualTo((long) won.size());
    assertThat(winners * 3).isEqualTo(won.size());
  }

  @Test
  void holdLimitReleaseAndMine() {
    long ev = api.createEvent(1, 10, new JsonObject().put("maxSeatsPerUser", 2)).getLong("id");
    String alice = api.token("alice");
    Api.Reply first = api.hold(ev, alice, 1, 2);
    assertThat(first.status()).isEqualTo(201);
    assertThat(first.json().getJsonArray("seats").getList()).containsExactly(1, 2);
    Instant expires = Instant.parse(first.json().getString("expiresAt"));
    assertThat(expires).isAfter(Instant.now().plusSeconds(50));

    Api.Reply limit = api.hold(ev, alice, 3);
    assertThat(limit.status()).isEqualTo(409);
    assertThat(limit.code()).isEqualTo("hold_limit");

    Api.Reply mine = api.get("/api/events/" + ev + "/holds/me", alice);
    assertThat(mine.json().getJsonArray("seats").getList()).containsExactly(1, 2);
    assertThat(mine.json().getString("expiresAt")).isEqualTo(first.json().getString("expiresAt"));

    // Someone else cannot release alice's seat, and nothing changes when they try.
    String bob = api.token("bob");
    long version = api.seats(ev).getLong("version");
    Api.Reply stolen = api.delete("/api/events/" + ev + "/holds/1", bob);
    assertThat(stolen.status()).isEqualTo(404);
    assertThat(stolen.code()).isEqualTo("hold_not_found");
    assertThat(api.seats(ev).getLong("version")).isEqualTo(version);
    assertThat(api.seats(ev).getJsonArray("held").getList()).containsExactly(1, 2);

    assertThat(api.delete("/api/events/" + ev + "/holds/1", alice).status()).isEqualTo(204);
    assertThat(api.delete("/api/events/" + ev + "/holds/1", alice).code()).isEqualTo("hold_not_found");
    assertThat(api.delete("/api/events/" + ev + "/holds/999", alice).code()).isEqualTo("hold_not_found");
    assertThat(api.hold(ev, alice, 3).status()).isEqualTo(201);
    assertThat(api.seats(ev).getLong("version")).isEqualTo(version + 2);
  }

  @Test
  void expiryFreesTheSeatWithExactlyOneVersionStep() throws Exception {
    long ev = api.createEvent(1, 10, new JsonObject().put("holdTtlMs", 1000)).getLong("id");
    assertThat(api.hold(ev, api.token("shorty"), 4).status()).isEqualTo(201);
    assertThat(api.seats(ev).getLong("version")).isEqualTo(1L);
    JsonObject snap = Await.until(() -> api.seats(ev), s -> s.getJsonArray("held").isEmpty(), Duration.ofSeconds(5));
    assertThat(snap.getJsonArray("held")).isEmpty();
    assertThat(snap.getLong("version")).isEqualTo(2L);
    assertThat(api.hold(ev, api.token("next"), 4).status()).isEqualTo(201);
  }

  @Test
  void badHoldRequestsAreProblemsAndChangeNothing() {
    long ev = api.createEvent(1, 10, new JsonObject()).getLong("id");
    String alice = api.token("alice");
    String path = "/api/events/" + ev + "/holds";
    String[] bad = {"{", "{}", "{\"seats\":[]}", "{\"seats\":[0]}", "{\"seats\":[11]}", "{\"seats\":[1,1]}",
        "{\"seats\":[\"1\"]}", "{\"seats\":[1.5]}", "{\"seats\":5}", "{\"seats\":[1],\"x\":1}"};
    for (String body : bad) {
      Api.Reply r = api.post(path, alice, body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.code()).as(body).isEqualTo("invalid_request");
    }
    assertThat(api.post(path, null, seats(1)).status()).isEqualTo(401);
    assertThat(api.post("/api/events/987654321/holds", alice, seats(1)).code()).isEqualTo("event_not_found");
    assertThat(api.seats(ev).getLong("version")).isZero();
  }
}
