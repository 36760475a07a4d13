package dev.ticketrush.seat;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Best-available holds over HTTP: the contract's answers, the gate, and a race of many concurrent buyers. */
@TicketRushNode
class BestApiTest {
  Api api; // set by @TicketRushNode

  String path(long ev) {
    return "/api/events/" + ev + "/holds/best";
  }

  static String body(int count, String section) {
    JsonObject b = new JsonObject().put("count", count);
    if (section != null) {
      b.put("section", section);
    }
    return b.encode();
  }

  /** An event with sections A and B, each 2 rows × 10 seats (A: 1..20, B: 21..40). */
  long twoSections(JsonObject extra) {
    String admin = api.token("best-admin-" + System.nanoTime(), "admin");
    JsonObject b = new JsonObject().put("name", "Best test")
        .put("sections", new JsonArray()
            .add(new JsonObject().put("name", "A").put("rows", 2).put("seatsPerRow", 10))
            .add(new JsonObject().put("name", "B").put("rows", 2).put("seatsPerRow", 10)));
    extra.forEach(e -> b.put(e.getKey(), e.getValue()));
    Api.Reply r = api.post("/api/events", admin, b.encode());
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().getLong("id");
  }

  @Test
  void holdsTheBestSeatsAndAnswersLikeAHold() {
    long ev = twoSections(new JsonObject());
    String alice = api.token("best-alice");
    Api.Reply r = api.post(path(ev), alice, body(2, null));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(r.json().getJsonArray("seats").getList()).containsExactly(5, 6);
    assertThat(Instant.parse(r.json().getString("expiresAt"))).isAfter(Instant.now().plusSeconds(50));
    Api.Reply b = api.post(path(ev), api.token("best-bob"), body(2, "B"));
    assertThat(b.json().getJsonArray("seats").getList()).containsExactly(25, 26);

    JsonObject snap = api.seats(ev);
    assertThat(snap.getJsonArray("held").getList()).containsExactly(5, 6, 25, 26);
    assertThat(snap.getLong("version")).isEqualTo(4L);
    Api.Reply mine = api.get("/api/events/" + ev + "/holds/me", alice);
    assertThat(mine.json().getJsonArray("seats").getList()).containsExactly(5, 6);
    assertThat(mine.json().getString("expiresAt")).isEqualTo(r.json().getString("expiresAt"));
    // Best-available holds are ordinary holds: the owner releases them like any other.
    assertThat(api.delete("/api/events/" + ev + "/holds/5", alice).status()).isEqualTo(204);
  }

  @Test
  void limitNothingFitsAndBadRequestsAreProblemsThatChangeNothing() {
    long ev = twoSections(new JsonObject().put("maxSeatsPerUser", 4));
    String alice = api.token("best-limit-alice");
    assertThat(api.hold(ev, alice, 1, 2, 3).status()).isEqualTo(201);
    long version = api.seats(ev).getLong("version");

    Api.Reply limit = api.post(path(ev), alice, body(2, null));
    assertThat(limit.status()).isEqualTo(409);
    assertThat(limit.code()).isEqualTo("hold_limit");
    assertThat(limit.header("Content-Type")).startsWith("application/problem+json");

    long big = twoSections(new JsonObject().put("maxSeatsPerUser", 20));
    Api.Reply tooWide = api.post(path(big), api.token("best-wide"), body(11, null));
    assertThat(tooWide.status()).isEqualTo(409);
    assertThat(tooWide.code()).isEqualTo("seats_not_available");

    Api.Reply unknown = api.post(path(ev), alice, body(1, "Z"));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.code()).isEqualTo("invalid_request");
    assertThat(unknown.json().getString("detail")).contains("section");
    String[] bad = {"{", "{}", "{\"count\":0}", "{\"count\":101}", "{\"count\":\"2\"}", "{\"count\":1.5}",
        "{\"count\":2,\"section\":\"\"}", "{\"count\":2,\"section\":5}", "{\"count\":2,\"x\":1}"};
    for (String body : bad) {
      Api.Reply r = api.post(path(ev), alice, body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.code()).as(body).isEqualTo("invalid_request");
    }
    assertThat(api.post(path(ev), null, body(1, null)).status()).isEqualTo(401);
    assertThat(api.post(path(987654321L), alice, body(1, null)).code()).isEqualTo("event_not_found");
    assertThat(api.seats(ev).getLong("version")).isEqualTo(version);
  }

  @Test
  void sameGateAsHolds() {
    long queued = api.createEvent(1, 10, new JsonObject().put("queue",
        new JsonObject().put("enabled", true).put("admitPerSecond", 1).put("maxActive", 1))).getLong("id");
    Api.Reply noEntry = api.post(path(queued), api.token("best-queued"), body(1, null));
    assertThat(noEntry.status()).isEqualTo(403);
    assertThat(noEntry.code()).isEqualTo("admission_required");

    long limited = api.createEvent(1, 50, new JsonObject().put("maxSeatsPerUser", 50)
        .put("rateLimits", new JsonObject().put("perUser", 1))).getLong("id");
    String t = api.token("best-burst");
    List<CompletableFuture<Api.Reply>> burst = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      burst.add(api.postAsync(path(limited), t, body(1, null), Map.of()));
    }
    List<Api.Reply> replies = burst.stream().map(CompletableFuture::join).toList();
    assertThat(replies).extracting(Api.Reply::status).containsOnly(201, 429).contains(429);
    assertThat(replies.stream().filter(r -> r.status() == 429)).allSatisfy(r -> assertThat(r.code()).isEqualTo("rate_limited"));
  }

  @Test
  void concurrentBuyersNeverShareASeatAndEveryGrantIsSideBySideInOneRow() {
    int rows = 4;
    int perRow = 20;
    long ev = api.createEvent(rows, perRow, new JsonObject().put("maxSeatsPerUser", 4)).getLong("id");
    int buyers = 96;
    List<Integer> wanted = new ArrayList<>();
    List<CompletableFuture<Api.Reply>> replies = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < buyers; i++) {
      tokens.add(api.token("best-racer-" + i));
    }
    for (int i = 0; i < buyers; i++) {
      int count = 2 + i % 3;
      wanted.add(count);
      replies.add(api.postAsync(path(ev), tokens.get(i), body(count, null), Map.of()));
    }
    Set<Integer> granted = new HashSet<>();
    int winners = 0;
    int losers = 0;
    for (int i = 0; i < buyers; i++) {
      Api.Reply r = replies.get(i).join();
      if (r.status() == 201) {
        winners++;
        List<Integer> seats = r.json().getJsonArray("seats").getList();
        assertThat(seats).hasSize(wanted.get(i));
        int row = (seats.get(0) - 1) / perRow;
        for (int k = 0; k < seats.size(); k++) {
          assertThat(seats.get(k)).as("side by side: %s", seats).isEqualTo(seats.get(0) + k);
          assertThat((seats.get(k) - 1) / perRow).as("one row: %s", seats).isEqualTo(row);
          assertThat(granted.add(seats.get(k))).as("seat %d granted twice", seats.get(k)).isTrue();
        }
      } else {
        losers++;
        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.code()).isEqualTo("seats_not_available");
      }
    }
    // 96 buyers want 288 seats of 80: some must lose.
    assertThat(losers).isPositive();
    assertThat(winners).isPositive();
    assertThat(granted.size()).isLessThanOrEqualTo(rows * perRow);
    JsonObject snap = api.seats(ev);
    assertThat(new HashSet<>(snap.getJsonArray("held").getList())).isEqualTo(granted);
    assertThat(snap.getLong("version")).isEqualTo((long) granted.size());
    // Every loser was refused only because no block of its size was left anywhere.
    int smallestLoser = Integer.MAX_VALUE;
    for (int i = 0; i < buyers; i++) {
      if (replies.get(i).join().status() == 409) {
        smallestLoser = Math.min(smallestLoser, wanted.get(i));
      }
    }
    assertThat(longestFreeRun(granted, rows, perRow)).isLessThan(smallestLoser);
  }

  /**
   * The longest run of free seats in one row at the end. A loser asked for more than that run once its
   * request ran; seats only get taken during the race, so the run at the end is no longer.
   */
  static int longestFreeRun(Set<Integer> taken, int rows, int perRow) {
    int longest = 0;
    for (int r = 0; r < rows; r++) {
      int run = 0;
      for (int k = 1; k <= perRow; k++) {
        run = taken.contains(r * perRow + k) ? 0 : run + 1;
        longest = Math.max(longest, run);
      }
    }
    return longest;
  }
}
