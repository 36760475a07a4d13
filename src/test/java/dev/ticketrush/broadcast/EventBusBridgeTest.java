package dev.ticketrush.broadcast;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The SockJS event-bus bridge: listen-only, seats.N and queue.N only, real patches delivered. */
@TicketRushNode
class EventBusBridgeTest {
  TestNode node; // both set by @TicketRushNode
  Api api;

  static JsonObject register(String address) {
    return new JsonObject().put("type", "register").put("address", address);
  }

  @Test
  void registeredClientReceivesRealPatchesInOrder() {
    long id = api.createEvent(5, 10, new JsonObject().put("maxSeatsPerUser", 50)).getLong("id");
    String user = api.token("bridge-fan-" + id);
    try (WsClient client = WsClient.bridge(node)) {
      client.send(register("seats." + id));
      int seat = Frames.awaitBridgeLive(api, id, user, 1, client);
      long v = api.seats(id).getLong("version");

      assertThat(api.hold(id, user, seat, seat + 1, seat + 2).status()).isEqualTo(201);
      JsonObject rec = client.next(WsClient::isBridgePatch, 5_000);
      assertThat(rec.getString("address")).isEqualTo("seats." + id);
      JsonObject patch = rec.getJsonObject("body");
      assertThat(patch.getLong("fromVersion")).isEqualTo(v + 1);
      assertThat(patch.getLong("toVersion")).isEqualTo(v + 3);
      assertThat(patch.getJsonArray("changes").stream().map(c -> ((JsonObject) c).getInteger("seat")).toList())
          .containsExactly(seat, seat + 1, seat + 2);
    }
  }

  @Test
  void clientPublishIsRefusedAndReachesNoOne() {
    long id = api.createEvent(5, 10, new JsonObject().put("maxSeatsPerUser", 50)).getLong("id");
    String user = api.token("bridge-victim-" + id);
    try (WsClient victim = WsClient.bridge(node); WsClient attacker = WsClient.bridge(node)) {
      victim.send(register("seats." + id));
      attacker.send(register("seats." + id));
      int seat = Frames.awaitBridgeLive(api, id, user, 1, victim, attacker);
      JsonObject before = api.seats(id);

      JsonObject fake = new JsonObject().put("type", "patch").put("fromVersion", 999).put("toVersion", 999)
          .put("changes", new JsonArray().add(new JsonObject().put("seat", 1).put("status", "SOLD").put("version", 999)));
      for (String type : List.of("publish", "send")) {
        attacker.send(new JsonObject().put("type", type).put("address", "seats." + id).put("body", fake));
        JsonObject answer = attacker.next(f -> !WsClient.isBridgePatch(f), 5_000);
        assertThat(answer.getString("type")).as(type).isEqualTo("err");
      }
      attacker.send(new JsonObject().put("type", "publish").put("address", "seats.cmd").put("body", new JsonObject()));
      assertThat(attacker.next(f -> true, 5_000).getString("type")).isEqualTo("err");

      // A real change afterwards is the first thing the victim sees: the fakes never reached it.
      assertThat(api.hold(id, user, seat).status()).isEqualTo(201);
      JsonObject next = victim.next(f -> true, 5_000);
      assertThat(WsClient.isBridgePatch(next)).as("frame %s", next).isTrue();
      assertThat(Frames.hasChange(next.getJsonObject("body"), seat, "HELD")).isTrue();
      JsonObject after = api.seats(id);
      assertThat(after.getJsonArray("sold")).isEqualTo(before.getJsonArray("sold"));
      assertThat(after.getLong("version")).isEqualTo(before.getLong("version") + 1);
    }
  }

  @Test
  void sockJsInfoAnswersForBrowserClients() {
    Api.Reply info = api.get("/eventbus/info", null);
    assertThat(info.status()).isEqualTo(200);
    assertThat(info.json().getBoolean("websocket")).isTrue();
  }

  @Test
  void onlySeatAndQueueAddressesOfExistingEventsCanBeWatched() {
    long id = api.createEvent(1, 5, new JsonObject()).getLong("id");
    try (WsClient client = WsClient.bridge(node)) {
      for (String address : List.of("seats.cmd", "broadcast.watch", "broadcast.patches." + id, "seats.987654321")) {
        client.send(register(address));
        JsonObject answer = client.next(f -> true, 5_000);
        assertThat(answer.getString("type")).as(address).isEqualTo("err");
      }
      client.send(register("queue." + id));
      JsonObject rec = null;
      for (int tries = 0; tries < 20 && rec == null; tries++) {
        node.app().vertx().eventBus().publish("queue." + id, new JsonObject().put("type", "queue").put("serving", 7));
        rec = client.poll(250);
      }
      assertThat(rec).isNotNull();
      assertThat(rec.getString("type")).isEqualTo("rec");
      assertThat(rec.getString("address")).isEqualTo("queue." + id);
      assertThat(rec.getJsonObject("body").getInteger("serving")).isEqualTo(7);
    }
  }
}
