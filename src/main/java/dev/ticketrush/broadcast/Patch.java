package dev.ticketrush.broadcast;

import dev.ticketrush.seat.SeatChange;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Consecutive seat changes of one event ({@code fromVersion..toVersion}, no gap), with the frame every WebSocket
 * of the node writes as is (encoded once, here), and Redis' time of each change for the propagation metric.
 */
record Patch(long eventId, long fromVersion, long toVersion, List<SeatChange> changes, long[] changedAtMs,
             SharedTextFrame frame) {

  static Patch of(long eventId, List<LogEntry> entries) {
    List<SeatChange> changes = new ArrayList<>(entries.size());
    long[] times = new long[entries.size()];
    for (int i = 0; i < entries.size(); i++) {
      changes.add(entries.get(i).change());
      times[i] = entries.get(i).changedAtMs();
    }
    return new Patch(eventId, changes.get(0).version(), changes.get(changes.size() - 1).version(), List.copyOf(changes),
        times, new SharedTextFrame(json(changes).encode()));
  }

  /** The public patch object (WebSocket frame and bridge message); {@code changes} must be consecutive versions. */
  static JsonObject json(List<SeatChange> changes) {
    JsonArray list = new JsonArray(new ArrayList<>(changes.size()));
    for (SeatChange c : changes) {
      list.add(c.toJson());
    }
    return new JsonObject()
        .put("type", "patch")
        .put("fromVersion", changes.get(0).version())
        .put("toVersion", changes.get(changes.size() - 1).version())
        .put("changes", list);
  }

  JsonObject toJson() {
    return json(changes);
  }

  /** The frame for a client that already has every version up to {@code version} (inside this patch). */
  String frameAfter(long version) {
    return json(changes.subList((int) (version + 1 - fromVersion), changes.size())).encode();
  }
}
