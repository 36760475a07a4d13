package dev.ticketrush.ticket;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/** One ticket as its holder sees it: {@code status} is VALID, USED (checked in) or VOID. */
public record Ticket(UUID id, UUID orderId, long eventId, int seat, String label, String holder, String status,
                     String code, Instant checkedInAt) {
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id.toString())
        // The order it came from: transfer and cancel name it (a received ticket keeps the giver's order).
        .put("orderId", orderId.toString())
        .put("seat", seat)
        .put("label", label)
        .put("status", status)
        .put("code", code);
    if (checkedInAt != null) {
      json.put("checkedInAt", checkedInAt.toString());
    }
    return json;
  }
}
