package dev.ticketrush.broadcast;

import io.vertx.core.json.JsonObject;

/**
 * The change log of an event cannot be followed gap-free any more (Redis lost data, or entries were trimmed
 * before this node read them): every watcher must reload a snapshot. Versions continue above the gap.
 */
record Resync(long eventId, String reason) {
  /** What bridge clients receive on {@code seats.N}; the next patch also shows them the gap. */
  JsonObject toJson() {
    return new JsonObject().put("type", "resync").put("reason", reason);
  }
}
