package dev.ticketrush.event;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Foundation over HTTP: tokens, events, layout, snapshot, auth failures and bad input, as a client sees them. */
@TicketRushNode
class EventApiTest {
  TestNode node; // both set by @TicketRushNode
  Api api;

  static String section(String name, int rows, int perRow) {
    return new JsonObject().put("name", name).put("rows", rows).put("seatsPerRow", perRow).encode();
  }

  @Test
  void adminCreatesEventAndEveryoneReadsLayoutAndSeats() {
    String admin = api.token("root", "admin");
    Api.Reply created = api.post("/api/events", admin,
        "{\"name\":\"Concert\",\"sections\":[" + section("A", 2, 3) + "," + section("B", 1, 2) + "],\"maxSeatsPerUser\":6}");
    assertThat(created.status()).isEqualTo(201);
    JsonObject event = created.json();
    long id = event.getLong("id");
    assertThat(event.getInteger("seatCount")).isEqualTo(8);
    assertThat(event.getInteger("maxSeatsPerUser")).isEqualTo(6);
    assertThat(event.getLong("holdTtlMs")).isEqualTo(60_000L);
    assertThat(event.getJsonObject("queue").getBoolean("enabled")).isFalse();

    assertThat(api.get("/api/events/" + id, null).json()).isEqualTo(event);

    Api.Reply layout = api.get("/api/events/" + id + "/layout", null);
    assertThat(layout.status()).isEqualTo(200);
    JsonArray seats = layout.json().getJsonArray("seats");
    assertThat(seats).hasSize(8);
    assertThat(seats.getJsonObject(0)).isEqualTo(new JsonObject()
        .put("id", 1).put("label", "A-01-001").put("section", "A").put("row", 1).put("number", 1)
        .put("category", "standard").put("price", 5000));
    assertThat(seats.getJsonObject(5).getString("label")).isEqualTo("A-02-003");
    assertThat(seats.getJsonObject(7).getString("label")).isEqualTo("B-01-002");
    String etag = layout.header("ETag");
    assertThat(etag).isNotBlank();
    Api.Reply cached = api.get("/api/events/" + id + "/layout", null, Map.of("If-None-Match", etag));
    assertThat(cached.status()).isEqualTo(304);
    assertThat(cached.body()).isEmpty();

    JsonObject snapshot = api.seats(id);
    assertThat(snapshot.getLong("eventId")).isEqualTo(id);
    assertThat(snapshot.getLong("version")).isEqualTo(0L);
    assertThat(snapshot.getInteger("seatCount")).isEqualTo(8);
    assertThat(snapshot.getJsonArray("held")).isEmpty();
    assertThat(snapshot.getJsonArray("sold")).isEmpty();
  }

  @Test
  void authFailuresAreProblems() {
    String body = "{\"name\":\"X\",\"sections\":[" + section("A", 1, 1) + "]}";
    Api.Reply none = api.post("/api/events", null, body);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.header("Content-Type")).startsWith("application/problem+json");
    assertThat(none.code()).isEqualTo("unauthorized");

    assertThat(api.post("/api/events", "not.a.jwt", body).code()).isEqualTo("unauthorized");
    String foreign = new dev.ticketrush.web.Authn(node.app().vertx(), "another-secret-another-secret-xx").mint("eve", new JsonArray().add("admin"), 60);
    assertThat(api.post("/api/events", foreign, body).status()).isEqualTo(401);

    Api.Reply user = api.post("/api/events", api.token("bob"), body);
    assertThat(user.status()).isEqualTo(403);
    assertThat(user.code()).isEqualTo("forbidden");

    Api.Reply missing = api.get("/api/events/987654321", null);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.code()).isEqualTo("event_not_found");
    assertThat(api.get("/api/events/987654321/seats", null).code()).isEqualTo("event_not_found");
    assertThat(api.get("/api/events/987654321/layout", null).code()).isEqualTo("event_not_found");
  }

  @Test
  void badInputIsRefusedAndChangesNothing() {
    String admin = api.token("root", "admin");
    long before = countEvents();
    String[] bad = {
        "{not json",
        "[]",
        "{\"name\":\"X\"}",
        "{\"name\":42,\"sections\":[" + section("A", 1, 1) + "]}",
        "{\"name\":\"X\",\"sections\":\"A\"}",
        "{\"name\":\"X\",\"sections\":[" + section("A", -1, 5) + "]}",
        "{\"name\":\"X\",\"sections\":[" + section("A", 0, 5) + "]}",
        "{\"name\":\"X\",\"sections\":[" + section("A", 1000, 1000) + "]}",
        "{\"name\":\"X\",\"sections\":[" + section("A", 300, 300) + "," + section("B", 300, 300) + "]}",
        "{\"name\":\"X\",\"sections\":[" + section("A", 1, 1) + "," + section("A", 1, 1) + "]}",
        "{\"name\":\"X\",\"sections\":[{\"name\":\"A\",\"rows\":\"2\",\"seatsPerRow\":2}]}",
        "{\"name\":\"X\",\"sections\":[" + section("A", 1, 1) + "],\"maxSeatsPerUser\":0}",
        "{\"name\":\"X\",\"sections\":[" + section("A", 1, 1) + "],\"maxSeatsPerUser\":101}",
        "{\"name\":\"   \",\"sections\":[" + section("A", 1, 1) + "]}",
    };
    for (String body : bad) {
      Api.Reply r = api.post("/api/events", admin, body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.code()).as(body).isEqualTo("invalid_request");
      assertThat(r.json().getString("detail")).as(body).isNotBlank();
    }
    String huge = "{\"name\":\"" + "x".repeat(200_000) + "\",\"sections\":[" + section("A", 1, 1) + "]}";
    Api.Reply tooBig = api.post("/api/events", admin, huge);
    assertThat(tooBig.status()).isEqualTo(413);
    assertThat(tooBig.code()).isEqualTo("payload_too_large");

    assertThat(api.get("/api/events/abc", null).status()).isEqualTo(400);
    assertThat(api.get("/api/events/-1", null).status()).isEqualTo(400);
    assertThat(countEvents()).isEqualTo(before);
  }

  @Test
  void healthAndMetrics() {
    assertThat(api.get("/health/live", null).status()).isEqualTo(200);
    Api.Reply ready = api.get("/health/ready", null);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().getJsonObject("checks")).isEqualTo(new JsonObject().put("redis", "UP").put("postgres", "UP"));
    api.get("/api/events/1/seats", null);
    Api.Reply metrics = api.get("/metrics", null);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).contains("vertx_http_server_response_time_seconds_bucket");
  }

  @Test
  @TicketRushNode("devTokens=false")
  void devTokensAnswer404WhenDisabled(TestNode prod) {
    Api.Reply r = new Api(prod).post("/api/dev/tokens", null, "{\"sub\":\"x\"}", Map.of());
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
  }

  private long countEvents() {
    return Await.result(node.app().events().repository().all()).size();
  }
}
