package dev.ticketrush.order;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A purchase as clients see it; {@code total} in minor units of {@code currency}, as charged. */
public record Order(UUID id, long eventId, String userId, List<Integer> seats, String status, Instant createdAt,
                    String currency, long total) {
  public JsonObject toJson() {
    return new JsonObject()
        .put("orderId", id.toString())
        .put("eventId", eventId)
        .put("seats", new JsonArray(new ArrayList<>(seats)))
        .put("status", status)
        .put("createdAt", createdAt.toString())
        .put("currency", currency)
        .put("total", total);
  }
}
