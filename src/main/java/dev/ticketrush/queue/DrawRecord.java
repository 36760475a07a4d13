package dev.ticketrush.queue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One event's draw as stored: the commitment, and once drawn the secret and the entrants' user ids (never
 * published: only their values are).
 */
public record DrawRecord(String commitment, String secret, List<String> entrants) {
  public boolean drawn() {
    return secret != null;
  }

  /** The public answer of GET /queue/draw. Computes one HMAC per entrant: call it off the event loop. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("commitment", commitment);
    if (drawn()) {
      List<String> order = entrants.stream().map(u -> Draw.value(secret, u)).sorted().toList();
      json.put("secret", secret).put("entrants", order.size()).put("order", new JsonArray(order));
    }
    return json;
  }
}
