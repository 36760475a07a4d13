package dev.ticketrush.seat;

import io.vertx.core.json.JsonObject;

/** One entry of an event's change log: a seat became AVAILABLE, HELD or SOLD at this version. */
public record SeatChange(int seat, String status, long version) {
  public JsonObject toJson() {
    return new JsonObject().put("seat", seat).put("status", status).put("version", version);
  }
}
