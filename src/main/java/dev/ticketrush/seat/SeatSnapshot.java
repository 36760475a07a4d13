package dev.ticketrush.seat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The seat map at one version: every seat not listed is available. */
public record SeatSnapshot(long version, JsonArray held, JsonArray sold) {
  public JsonObject toJson(long eventId, int seatCount) {
    return new JsonObject()
        .put("eventId", eventId)
        .put("version", version)
        .put("seatCount", seatCount)
        .put("held", held)
        .put("sold", sold);
  }
}
