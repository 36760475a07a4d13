package dev.ticketrush.broadcast;

import dev.ticketrush.support.Api;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions and waits over real-time frames, shared by the broadcast tests. */
final class Frames {
  private Frames() {
  }

  static boolean hasChange(JsonObject patch, int seat, String status) {
    return patch.getJsonArray("changes").stream()
        .anyMatch(c -> ((JsonObject) c).getInteger("seat") == seat && status.equals(((JsonObject) c).getString("status")));
  }

  /** WebSocket patches until {@code lastVersion} arrived (presence frames skipped; anything else fails). */
  static List<JsonObject> collectPatches(WsClient ws, long lastVersion) {
    List<JsonObject> patches = new ArrayList<>();
    long seen = Long.MIN_VALUE;
    while (seen < lastVersion) {
      JsonObject p = ws.next(f -> !WsClient.isType(f, "presence"), 10_000);
      assertThat(p.getString("type")).as("frame %s", p).isEqualTo("patch");
      patches.add(p);
      seen = p.getLong("toVersion");
    }
    return patches;
  }

  /** Consecutive versions from {@code from} to {@code to}, within and across patches, each once. */
  static void assertGapFree(List<JsonObject> patches, long from, long to) {
    long expected = from;
    for (JsonObject p : patches) {
      assertThat(p.getLong("fromVersion")).as("patch %s", p).isEqualTo(expected);
      for (Object c : p.getJsonArray("changes")) {
        assertThat(((JsonObject) c).getLong("version")).isEqualTo(expected);
        expected++;
      }
      assertThat(p.getLong("toVersion")).isEqualTo(expected - 1);
    }
    assertThat(expected - 1).isEqualTo(to);
  }

  /**
   * The bridge protocol has no register acknowledgement: hold fresh seats until one shows up on every client,
   * then forget whatever else is still on its way. Returns the next seat not used.
   */
  static int awaitBridgeLive(Api api, long eventId, String token, int seat, WsClient... clients) {
    for (WsClient client : clients) {
      boolean live = false;
      for (int tries = 0; tries < 20 && !live; tries++) {
        assertThat(api.hold(eventId, token, seat++).status()).isEqualTo(201);
        live = !client.drain(WsClient::isBridgePatch, 500).isEmpty();
      }
      assertThat(live).as("bridge client receives patches").isTrue();
    }
    for (WsClient client : clients) {
      client.drain(f -> true, 300);
    }
    return seat;
  }
}
