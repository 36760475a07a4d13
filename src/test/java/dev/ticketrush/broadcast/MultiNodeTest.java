package dev.ticketrush.broadcast;

import dev.ticketrush.support.Api;
import dev.ticketrush.support.TestNode;
import dev.ticketrush.support.TicketRushNode.Second;
import dev.ticketrush.support.TicketRushNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Two nodes on one Redis and PostgreSQL, no cluster manager: a change made through one reaches the other's clients. */
@TicketRushNode
class MultiNodeTest {
  // Set by @TicketRushNode: two nodes on the same Redis and PostgreSQL.
  TestNode a;
  @Second
  TestNode b;
  Api apiA;
  @Second
  Api apiB;

  @Test
  void holdThroughOneNodeReachesWebSocketAndBridgeClientsOfTheOther() {
    long id = apiA.createEvent(4, 10, new JsonObject().put("maxSeatsPerUser", 50)).getLong("id");
    String user = apiA.token("roamer-" + id);
    try (WsClient ws = WsClient.seats(b, id); WsClient bridge = WsClient.bridge(b)) {
      long v = ws.next("snapshot", 5_000).getLong("version");
      bridge.send(new JsonObject().put("type", "register").put("address", "seats." + id));
      // Made through A; B only learns of it from Redis.
      assertThat(apiA.hold(id, user, 7).status()).isEqualTo(201);

      JsonObject patch = ws.next("patch", 5_000);
      assertThat(patch.getLong("fromVersion")).isEqualTo(v + 1);
      assertThat(Frames.hasChange(patch, 7, "HELD")).isTrue();

      // The bridge client registered without a version: keep changing until it is live, then check it follows.
      int next = Frames.awaitBridgeLive(apiA, id, user, 8, bridge);
      long before = apiB.seats(id).getLong("version");
      assertThat(apiA.hold(id, user, next).status()).isEqualTo(201);
      JsonObject rec = bridge.next(WsClient::isBridgePatch, 5_000);
      assertThat(rec.getJsonObject("body").getLong("fromVersion")).isEqualTo(before + 1);
      assertThat(Frames.hasChange(rec.getJsonObject("body"), next, "HELD")).isTrue();

      // and the WebSocket client of B saw everything in between, gap-free
      java.util.List<JsonObject> rest = Frames.collectPatches(ws, before + 1);
      Frames.assertGapFree(rest, v + 2, before + 1);
    }
  }
}
