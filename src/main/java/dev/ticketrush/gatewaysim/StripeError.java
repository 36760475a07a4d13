package dev.ticketrush.gatewaysim;

import io.vertx.core.json.JsonObject;

/**
 * A refusal in Stripe's error shape ({@code {"error":{"type","code","message","param"}}}), thrown by the
 * handlers and written by {@link SimServer} in one place.
 */
final class StripeError extends RuntimeException {
  final int status;
  final String type;
  final String code;
  final String param;

  StripeError(int status, String type, String code, String param, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
  }

  static StripeError invalid(String param, String message) {
    return new StripeError(400, "invalid_request_error", "parameter_invalid", param, message);
  }

  static StripeError missing(String param) {
    return new StripeError(400, "invalid_request_error", "parameter_missing", param, "Missing required param: " + param + ".");
  }

  static StripeError noSuch(int status, String param, String kind, String id) {
    return new StripeError(status, "invalid_request_error", "resource_missing", param, "No such " + kind + ": '" + id + "'");
  }

  JsonObject toJson() {
    JsonObject error = new JsonObject().put("type", type).put("message", getMessage());
    if (code != null) {
      error.put("code", code);
    }
    if (param != null) {
      error.put("param", param);
    }
    return new JsonObject().put("error", error);
  }
}
