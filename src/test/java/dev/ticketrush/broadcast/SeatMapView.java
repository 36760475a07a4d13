package dev.ticketrush.broadcast;

import dev.ticketrush.support.Api;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seat map as one WebSocket client builds it from its frames (snapshot replaces, patches apply), checking
 * on every frame that versions never go backwards. Used to show that watchers converge on the true map.
 */
final class SeatMapView {
  private final WsClient ws;
  private long version = -1;
  private final Set<Integer> held = new TreeSet<>();
  private final Set<Integer> sold = new TreeSet<>();

  SeatMapView(WsClient ws) {
    this.ws = ws;
  }

  long version() {
    return version;
  }

  Set<Integer> sold() {
    return sold;
  }

  void apply(JsonObject f) {
    switch (f.getString("type")) {
      case "snapshot" -> {
        assertThat(f.getLong("version")).as("snapshot after version %d: %s", version, f).isGreaterThanOrEqualTo(version);
        version = f.getLong("version");
        held.clear();
        sold.clear();
        f.getJsonArray("held").forEach(s -> held.add(((Number) s).intValue()));
        f.getJsonArray("sold").forEach(s -> sold.add(((Number) s).intValue()));
      }
      case "patch" -> {
        assertThat(f.getLong("fromVersion")).as("patch after version %d: %s", version, f).isGreaterThan(version);
        for (Object o : f.getJsonArray("changes")) {
          JsonObject c = (JsonObject) o;
          int seat = c.getInteger("seat");
          held.remove(seat);
          sold.remove(seat);
          switch (c.getString("status")) {
            case "HELD" -> held.add(seat);
            case "SOLD" -> sold.add(seat);
            default -> {
            }
          }
        }
        version = f.getLong("toVersion");
      }
      default -> {
      }
    }
  }

  /** Applies frames until the view equals {@code GET /seats} (same version, held and sold), or fails at the deadline. */
  void awaitConverged(Api api, long eventId, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    JsonObject truth = null;
    while (System.currentTimeMillis() < deadline) {
      JsonObject f;
      while ((f = ws.poll(100)) != null) {
        apply(f);
      }
      truth = api.seats(eventId);
      if (truth.getLong("version") == version && set(truth.getJsonArray("held")).equals(held)
          && set(truth.getJsonArray("sold")).equals(sold)) {
        return;
      }
    }
    throw new AssertionError("watcher did not converge within " + timeoutMs + " ms: it has version " + version
        + " held " + held + " sold " + sold + ", the service says " + truth);
  }

  /** Applies frames until seat {@code seat} shows {@code status} ("HELD" or "SOLD"), or fails at the deadline. */
  void awaitSeat(int seat, String status, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!(status.equals("HELD") ? held : sold).contains(seat)) {
      long left = deadline - System.currentTimeMillis();
      JsonObject f = left > 0 ? ws.poll(left) : null;
      if (f == null) {
        throw new AssertionError("seat " + seat + " not " + status + " within " + timeoutMs + " ms (version " + version + ")");
      }
      apply(f);
    }
  }

  private static Set<Integer> set(JsonArray a) {
    Set<Integer> out = new HashSet<>();
    a.forEach(s -> out.add(((Number) s).intValue()));
    return out;
  }
}
