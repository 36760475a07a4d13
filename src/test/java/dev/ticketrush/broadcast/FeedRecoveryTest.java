package dev.ticketrush.broadcast;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults between Redis and the broadcaster, caused for real in Redis: a lost tail connection, a version jump
 * (Redis restarted its counter higher), a counter that went back. Clients keep a correct map throughout.
 */
@TicketRushNode
class FeedRecoveryTest {
  TestNode node; // both set by @TicketRushNode
  Api api;

  long newEvent() {
    return api.createEvent(5, 10, new JsonObject().put("maxSeatsPerUser", 50)).getLong("id");
  }

  @Test
  void tailReconnectsAndContinuesAfterTheLastDeliveredVersion() {
    long id = newEvent();
    String user = api.token("steady-" + id);
    try (WsClient ws = WsClient.seats(node, id)) {
      long v = ws.next("snapshot", 5_000).getLong("version");
      assertThat(api.hold(id, user, 1).status()).isEqualTo(201);
      ws.next("patch", 5_000);

      int killed = killTailConnections();
      assertThat(killed).isPositive();
      for (int seat = 2; seat <= 6; seat++) {
        assertThat(api.hold(id, user, seat).status()).isEqualTo(201);
      }
      List<JsonObject> patches = Frames.collectPatches(ws, v + 6);
      Frames.assertGapFree(patches, v + 2, v + 6);
    }
  }

  @Test
  void versionJumpMakesWebSocketClientsResyncAndBridgeClientsSeeTheGap() {
    long id = newEvent();
    String user = api.token("jumper-" + id);
    try (WsClient ws = WsClient.seats(node, id); WsClient bridge = WsClient.bridge(node)) {
      ws.next("snapshot", 5_000);
      bridge.send(new JsonObject().put("type", "register").put("address", "seats." + id));
      int seat = Frames.awaitBridgeLive(api, id, user, 1, bridge);
      Frames.collectPatches(ws, api.seats(id).getLong("version"));

      long v = api.seats(id).getLong("version");
      long jumped = v + 1_000_000;
      RedisProbe.send(node, "SET", "ev:{" + id + "}:version", Long.toString(jumped));
      assertThat(api.hold(id, user, seat).status()).isEqualTo(201);

      JsonObject snapshot = ws.next(f -> !WsClient.isType(f, "presence"), 5_000);
      assertThat(snapshot.getString("type")).as("frame %s", snapshot).isEqualTo("snapshot");
      assertThat(snapshot.getLong("version")).isGreaterThanOrEqualTo(jumped + 1);
      assertThat(snapshot.getJsonArray("held")).contains(seat);

      JsonObject marker = bridge.next(f -> "rec".equals(f.getString("type")), 5_000);
      assertThat(marker.getJsonObject("body").getString("type")).isEqualTo("resync");
      JsonObject after = bridge.next(WsClient::isBridgePatch, 5_000).getJsonObject("body");
      assertThat(after.getLong("fromVersion")).isEqualTo(jumped + 1);

      // and live patches continue right after the snapshot
      assertThat(api.hold(id, user, seat + 1).status()).isEqualTo(201);
      long last = api.seats(id).getLong("version");
      List<JsonObject> patches = Frames.collectPatches(ws, last);
      Frames.assertGapFree(patches, snapshot.getLong("version") + 1, last);
    }
  }

  @Test
  void counterBelowWhatWasDeliveredMakesClientsResync() {
    long id = newEvent();
    String user = api.token("rewinder-" + id);
    try (WsClient ws = WsClient.seats(node, id)) {
      ws.next("snapshot", 5_000);
      for (int seat = 1; seat <= 5; seat++) {
        assertThat(api.hold(id, user, seat).status()).isEqualTo(201);
      }
      Frames.collectPatches(ws, api.seats(id).getLong("version"));

      // As after restoring an old Redis backup: the log and the counter are behind what clients have seen.
      RedisProbe.send(node, "DEL", "ev:{" + id + "}:log");
      RedisProbe.send(node, "SET", "ev:{" + id + "}:version", "1");
      assertThat(api.hold(id, user, 6).status()).isEqualTo(201);

      JsonObject snapshot = ws.next(f -> !WsClient.isType(f, "presence"), 10_000);
      assertThat(snapshot.getString("type")).as("frame %s", snapshot).isEqualTo("snapshot");
      assertThat(snapshot.getJsonArray("held")).contains(6);
      long resumed = snapshot.getLong("version");

      assertThat(api.hold(id, user, 7).status()).isEqualTo(201);
      JsonObject patch = ws.next("patch", 5_000);
      assertThat(patch.getLong("fromVersion")).isEqualTo(resumed + 1);
      assertThat(Frames.hasChange(patch, 7, "HELD")).isTrue();
    }
  }

  /** Kills the broadcaster's blocked XREAD connection(s), as a network cut or a Redis failover would. */
  int killTailConnections() {
    Response list = RedisProbe.send(node, "CLIENT", "LIST");
    int killed = 0;
    for (String line : list.toString().split("\n")) {
      if (line.contains("cmd=xread")) {
        String id = line.replaceAll(".*\\bid=(\\d+).*", "$1").trim();
        RedisProbe.send(node, "CLIENT", "KILL", "ID", id);
        killed++;
      }
    }
    return killed;
  }
}
