package dev.ticketrush.event;

import io.vertx.core.json.JsonObject;

/** A price category of an event: seats of one category cost {@code price} in the event's currency's minor unit. */
public record Category(String id, String name, long price) {
  /** The category of an event created without any. */
  public static final Category STANDARD = new Category("standard", "Standard", 5_000);

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("name", name).put("price", price);
  }

  public static Category fromJson(JsonObject json) {
    return new Category(json.getString("id"), json.getString("name"), json.getLong("price"));
  }
}
