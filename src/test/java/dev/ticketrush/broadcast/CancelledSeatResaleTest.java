package dev.ticketrush.broadcast;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.Await;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cancelled ticket's seat goes back on sale live: a WebSocket watcher and an event-bus bridge client both see it
 * AVAILABLE, then HELD by someone else, then SOLD to them, in that order.
 */
@TicketRushNode
class CancelledSeatResaleTest {
  static final int SEAT = 40;

  TestNode node;
  Api api;

  @Test
  void watchersSeeTheCancelledSeatAvailableThenHeldThenSold() {
    long ev = api.createEvent(2, 20, new JsonObject().put("maxSeatsPerUser", 50)
        .put("refundableUntil", Instant.now().plus(Duration.ofDays(1)).toString())).getLong("id");
    String alice = api.token("alice-" + ev);
    String bob = api.token("bob-" + ev);
    String orderId = buy(ev, alice).getString("orderId");
    Await.until(() -> api.seats(ev).getJsonArray("sold"), sold -> sold.contains(SEAT), Duration.ofSeconds(10));

    try (WsClient ws = WsClient.seats(node, ev); WsClient bridge = WsClient.bridge(node)) {
      JsonObject first = ws.next(f -> WsClient.isType(f, "snapshot"), 5_000);
      assertThat(first.getJsonArray("sold")).contains(SEAT);
      bridge.send(new JsonObject().put("type", "register").put("address", "seats." + ev));
      Frames.awaitBridgeLive(api, ev, api.token("warm-" + ev), 1, bridge);

      Api.Reply cancelled = api.post("/api/orders/" + orderId + "/cancel", alice, "", Map.of("Idempotency-Key", "c-" + ev));
      assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
      List<String> seen = new ArrayList<>();
      awaitStatus(ws, WsClient::isType, seen, "AVAILABLE");
      // Only once the watcher saw it free does another buyer take it.
      assertThat(api.hold(ev, bob, SEAT).status()).isEqualTo(201);
      awaitStatus(ws, WsClient::isType, seen, "HELD");
      buy(ev, bob);
      awaitStatus(ws, WsClient::isType, seen, "SOLD");
      assertThat(seen).containsExactly("AVAILABLE", "HELD", "SOLD");

      List<String> viaBridge = new ArrayList<>();
      awaitStatus(bridge, (f, type) -> WsClient.isBridgePatch(f), viaBridge, "SOLD");
      assertThat(viaBridge).containsExactly("AVAILABLE", "HELD", "SOLD");
    }
    assertThat(api.seats(ev).getJsonArray("sold")).contains(SEAT);
  }

  interface IsPatch {
    boolean test(JsonObject frame, String type);
  }

  /** Reads patches (WebSocket frames or bridge bodies) until the seat shows {@code status}; records its statuses. */
  static void awaitStatus(WsClient client, IsPatch isPatch, List<String> seen, String status) {
    while (seen.isEmpty() || !seen.get(seen.size() - 1).equals(status)) {
      JsonObject f = client.next(x -> isPatch.test(x, "patch"), 10_000);
      JsonObject patch = f.containsKey("body") && f.getValue("body") instanceof JsonObject b ? b : f;
      for (Object c : patch.getJsonArray("changes")) {
        JsonObject change = (JsonObject) c;
        if (change.getInteger("seat") == SEAT) {
          seen.add(change.getString("status"));
        }
      }
    }
  }

  JsonObject buy(long ev, String user) {
    if (!api.seats(ev).getJsonArray("held").contains(SEAT)) {
      assertThat(api.hold(ev, user, SEAT).status()).isEqualTo(201);
    }
    Api.Reply r = api.post("/api/events/" + ev + "/orders", user,
        new JsonObject().put("seats", new JsonArray().add(SEAT)).put("paymentToken", "tok_ok").encode(),
        Map.of("Idempotency-Key", "buy-" + UUID.randomUUID()));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json();
  }
}
