package dev.ticketrush.event;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A presale allocation: the seats of {@code sections} are reserved for callers holding an access code of this
 * allocation until {@code releaseAt}, then they are public. Fixed at creation, like the layout, so every node may
 * hand the reserved seat ranges to the hold scripts, which decide by Redis' clock whether they are still reserved.
 */
public record Allocation(String id, List<String> sections, Instant releaseAt) {
  public static final int MAX_ALLOCATIONS = 20;

  /** Seats {@code firstSeat..lastSeat} (one section) reserved for {@code allocation} until {@code releaseAtMs}. */
  public record Reserved(int firstSeat, int lastSeat, String allocation, long releaseAtMs) {
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("sections", new JsonArray(new ArrayList<>(sections)))
        .put("releaseAt", releaseAt.toString());
  }

  public static Allocation fromJson(JsonObject json) {
    List<String> sections = new ArrayList<>();
    json.getJsonArray("sections").forEach(s -> sections.add((String) s));
    return new Allocation(json.getString("id"), List.copyOf(sections), Instant.parse(json.getString("releaseAt")));
  }
}
