package dev.ticketrush.seat;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
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

/**
 * Presale over HTTP against real Redis and PostgreSQL: allocations on the event, codes minted by an admin, a code
 * bound to its first user, reserved seats closed to everyone else until releaseAt, also in a race.
 */
@TicketRushNode
class PresaleApiTest {
  TestNode node; // set by @TicketRushNode
  Api api;

  /** Section A (seats 1..rowsA*10) reserved for "fanclub" until releaseAt; section B (10 seats after it) public. */
  JsonObject event(int rowsA, Instant releaseAt) {
    return new JsonObject().put("name", "Presale").put("maxSeatsPerUser", 10)
        .put("rateLimits", new JsonObject().put("perUser", 0).put("perIp", 0))
        .put("sections", new JsonArray()
            .add(new JsonObject().put("name", "A").put("rows", rowsA).put("seatsPerRow", 10))
            .add(new JsonObject().put("name", "B").put("rows", 1).put("seatsPerRow", 10)))
        .put("allocations", new JsonArray().add(new JsonObject().put("id", "fanclub")
            .put("sections", new JsonArray().add("A")).put("releaseAt", releaseAt.toString())));
  }

  long create(JsonObject body) {
    Api.Reply r = api.post("/api/events", api.token("presale-admin", "admin"), body.encode());
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().getLong("id");
  }

  List<String> mint(long ev, int count) {
    Api.Reply r = api.post("/api/events/" + ev + "/access-codes", api.token("presale-admin", "admin"),
        new JsonObject().put("allocation", "fanclub").put("count", count).encode());
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().getJsonArray("codes").getList();
  }

  Api.Reply hold(long ev, String token, String code, int... seats) {
    JsonArray a = new JsonArray();
    for (int s : seats) {
      a.add(s);
    }
    return api.post("/api/events/" + ev + "/holds", token, new JsonObject().put("seats", a).encode(),
        code == null ? Map.of() : Map.of("X-Access-Code", code));
  }

  static Instant inAnHour() {
    return Instant.now().plusSeconds(3600);
  }

  @Test
  @DisplayName("allocations are shown on the event; bad ones and bad mint requests are 400, a non-admin 403")
  void allocationsAndMinting() {
    Instant release = Instant.parse("2030-01-01T18:00:00Z");
    long ev = create(event(1, release));
    JsonObject shown = api.get("/api/events/" + ev, null).json();
    assertThat(shown.getJsonArray("allocations")).containsExactly(new JsonObject().put("id", "fanclub")
        .put("sections", new JsonArray().add("A")).put("releaseAt", "2030-01-01T18:00:00Z"));

    String admin = api.token("presale-admin", "admin");
    for (JsonArray bad : List.of(
        new JsonArray().add(new JsonObject().put("id", "x").put("sections", new JsonArray().add("Z")).put("releaseAt", release.toString())),
        new JsonArray().add(new JsonObject().put("id", "x").put("sections", new JsonArray().add("A")).put("releaseAt", release.toString()))
            .add(new JsonObject().put("id", "x").put("sections", new JsonArray().add("B")).put("releaseAt", release.toString())),
        new JsonArray().add(new JsonObject().put("id", "x").put("sections", new JsonArray().add("A")).put("releaseAt", release.toString()))
            .add(new JsonObject().put("id", "y").put("sections", new JsonArray().add("A")).put("releaseAt", release.toString())),
        new JsonArray().add(new JsonObject().put("id", "x").put("sections", new JsonArray().add("A")).put("releaseAt", "tomorrow")),
        new JsonArray().add(new JsonObject().put("id", "Fan Club").put("sections", new JsonArray().add("A")).put("releaseAt", release.toString())))) {
      Api.Reply r = api.post("/api/events", admin, event(1, release).put("allocations", bad).encode());
      assertThat(r.status()).as(bad.encode() + " → " + r).isEqualTo(400);
      assertThat(r.code()).isEqualTo("invalid_request");
    }

    List<String> codes = mint(ev, 100);
    assertThat(codes).hasSize(100).doesNotHaveDuplicates().allSatisfy(c -> assertThat(c).matches("[A-Z2-7]{26}"));
    String path = "/api/events/" + ev + "/access-codes";
    assertThat(api.post(path, api.token("fan"), new JsonObject().put("allocation", "fanclub").put("count", 1).encode()).code())
        .isEqualTo("forbidden");
    assertThat(api.post(path, admin, new JsonObject().put("allocation", "nope").put("count", 1).encode()).status()).isEqualTo(400);
    assertThat(api.post(path, admin, new JsonObject().put("allocation", "fanclub").put("count", 10_001).encode()).status()).isEqualTo(400);
    assertThat(api.post(path, admin, new JsonObject().put("allocation", "fanclub").put("count", 0).encode()).status()).isEqualTo(400);
  }

  @Test
  @DisplayName("a code cannot be shared: bound to its first user, anyone else presenting it gets 403")
  void codesCannotBeShared() {
    long ev = create(event(1, inAnHour()));
    String code = mint(ev, 1).get(0);
    String ann = api.token("ann");
    String bob = api.token("bob");
    assertThat(hold(ev, bob, null, 1).code()).isEqualTo("seat_reserved");
    Api.Reply first = hold(ev, ann, code.toLowerCase(), 1, 2);
    assertThat(first.status()).as(first.toString()).isEqualTo(201);
    Api.Reply shared = hold(ev, bob, code, 3);
    assertThat(shared.status()).isEqualTo(403);
    assertThat(shared.code()).isEqualTo("access_code_invalid");
    // Refused whatever the seats: a public one too, and best available.
    assertThat(hold(ev, bob, code, 11).code()).isEqualTo("access_code_invalid");
    assertThat(api.post("/api/events/" + ev + "/holds/best", bob, new JsonObject().put("count", 1).encode(),
        Map.of("X-Access-Code", code)).code()).isEqualTo("access_code_invalid");
    assertThat(hold(ev, bob, "not-a-code", 11).code()).isEqualTo("access_code_invalid");
    assertThat(api.get("/api/events/" + ev + "/holds/me", bob).json().getJsonArray("seats")).isEmpty();
    // Its owner keeps using it; reserved seats look available to everyone else.
    assertThat(hold(ev, ann, code, 3).status()).isEqualTo(201);
    assertThat(api.seats(ev).getJsonArray("held")).containsExactly(1, 2, 3);
    Api.Reply reserved = hold(ev, bob, null, 4, 11);
    assertThat(reserved.status()).isEqualTo(409);
    assertThat(reserved.json().getJsonArray("seats")).containsExactly(4);
  }

  @Test
  @DisplayName("presale race: 64 users, codes for half, all racing for the reserved seats; never one to a codeless user")
  void presaleRace() {
    long ev = create(event(2, inAnHour()));
    List<String> codes = mint(ev, 32);
    List<String> tokens = new ArrayList<>();
    Set<String> codeless = new HashSet<>();
    for (int u = 0; u < 64; u++) {
      tokens.add(api.token("racer-" + u));
      if (u % 2 == 1) {
        codeless.add("racer-" + u);
      }
    }
    // Every user asks twice at once: a plain hold of two reserved seats (overlapping other users') and best available.
    List<CompletableFuture<Api.Reply>> replies = new ArrayList<>();
    List<Integer> who = new ArrayList<>();
    for (int u = 0; u < 64; u++) {
      Map<String, String> headers = u % 2 == 0 ? Map.of("X-Access-Code", codes.get(u / 2)) : Map.of();
      int seat = u % 20 + 1;
      replies.add(api.postAsync("/api/events/" + ev + "/holds", tokens.get(u),
          new JsonObject().put("seats", new JsonArray().add(seat).add(seat % 20 + 1)).encode(), headers));
      who.add(u);
      replies.add(api.postAsync("/api/events/" + ev + "/holds/best", tokens.get(u),
          new JsonObject().put("count", 1).put("section", u % 4 < 2 ? "A" : "B").encode(), headers));
      who.add(u);
    }
    Set<Integer> reservedHeld = new HashSet<>();
    for (int i = 0; i < replies.size(); i++) {
      Api.Reply r = replies.get(i).join();
      int u = who.get(i);
      if (u % 2 == 1) {
        assertThat(r.status()).as("codeless racer-" + u + ": " + r).isIn(201, 409);
        if (r.status() == 201) {
          assertThat(r.json().getJsonArray("seats").getList()).as("codeless racer-" + u)
              .allSatisfy(s -> assertThat((Integer) s).isGreaterThan(20));
        } else {
          assertThat(r.code()).isIn("seat_reserved", "seats_not_available");
        }
      } else if (r.status() == 201) {
        r.json().getJsonArray("seats").forEach(s -> {
          if ((Integer) s <= 20) {
            reservedHeld.add((Integer) s);
          }
        });
      } else {
        assertThat(r.code()).as(r.toString()).isIn("seat_unavailable", "seats_not_available");
      }
    }
    // Coded users took reserved seats; what Redis holds of section A is exactly theirs.
    assertThat(reservedHeld).isNotEmpty();
    Set<Integer> heldInA = new HashSet<>();
    api.seats(ev).getJsonArray("held").forEach(s -> {
      if ((Integer) s <= 20) {
        heldInA.add((Integer) s);
      }
    });
    assertThat(heldInA).isEqualTo(reservedHeld);
    for (int u = 1; u < 64; u += 2) {
      assertThat(api.get("/api/events/" + ev + "/holds/me", tokens.get(u)).json().getJsonArray("seats").getList())
          .as("racer-" + u).allSatisfy(s -> assertThat((Integer) s).isGreaterThan(20));
    }
  }

  @Test
  @DisplayName("at releaseAt the seats join the public sale with no restart and no seat change of their own")
  void releaseAtReleaseAt() {
    Instant releaseAt = Instant.now().plusSeconds(5);
    long ev = create(event(1, releaseAt));
    String walkIn = api.token("walk-in");
    long versionBefore = api.seats(ev).getLong("version");
    assertThat(hold(ev, walkIn, null, 5).code()).isEqualTo("seat_reserved");
    Api.Reply held = Await.until(() -> hold(ev, walkIn, null, 5), r -> r.status() == 201, Duration.ofSeconds(30),
        Duration.ofMillis(100));
    assertThat(held.status()).as(held.toString()).isEqualTo(201);
    assertThat(Instant.now()).isAfterOrEqualTo(releaseAt);
    // Watchers saw one change: the hold. The release moved no seat (reserved seats were AVAILABLE all along).
    JsonObject after = api.seats(ev);
    assertThat(after.getLong("version")).isEqualTo(versionBefore + 1);
    assertThat(after.getJsonArray("held")).containsExactly(5);
  }
}
