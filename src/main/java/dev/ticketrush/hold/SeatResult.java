package dev.ticketrush.hold;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A seat script's answer: the outcome, the seats it concerns (the conflicting ones when refused),
 * the earliest expiry (ms since epoch, Redis clock) and the event version after the change.
 */
public record SeatResult(SeatOutcome outcome, List<Integer> seats, long expiresAt, long version) {

  public static SeatResult of(SeatOutcome outcome) {
    return new SeatResult(outcome, List.of(), 0, 0);
  }

  public static SeatResult of(SeatOutcome outcome, List<Integer> seats) {
    return new SeatResult(outcome, seats, 0, 0);
  }

  public boolean ok() {
    return outcome == SeatOutcome.OK;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("outcome", outcome.name())
        .put("seats", new JsonArray(new ArrayList<>(seats)))
        .put("expiresAt", expiresAt)
        .put("version", version);
  }

  public static SeatResult fromJson(JsonObject json) {
    List<Integer> seats = new ArrayList<>();
    json.getJsonArray("seats").forEach(s -> seats.add(((Number) s).intValue()));
    return new SeatResult(SeatOutcome.valueOf(json.getString("outcome")), seats,
        json.getLong("expiresAt"), json.getLong("version"));
  }
}
