package dev.ticketrush.gatewaysim;

import io.vertx.core.json.JsonObject;

/** One answer of the simulator; {@code replayed} when it comes from the idempotency layer. */
record Reply(int status, JsonObject body, boolean replayed) {
  static Reply ok(JsonObject body) {
    return new Reply(200, body, false);
  }
}
