package dev.ticketrush.event;

import io.vertx.core.json.JsonObject;

/** A block of seats: {@code rows × seatsPerRow}, labelled {@code NAME-RR-NNN}. */
public record Section(String name, int rows, int seatsPerRow) {
  public int seatCount() {
    return rows * seatsPerRow;
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("rows", rows).put("seatsPerRow", seatsPerRow);
  }

  public static Section fromJson(JsonObject json) {
    return new Section(json.getString("name"), json.getInteger("rows"), json.getInteger("seatsPerRow"));
  }
}
