package dev.ticketrush.payment.stripe;

import dev.ticketrush.payment.PaymentGateway;
import dev.ticketrush.payment.PaymentGateway.Charge;
import io.vertx.core.json.JsonObject;

/** What a Stripe PaymentIntent (created and confirmed in one call, automatic capture) means for a purchase. */
final class StripeIntents {
  static final String CHARGE_KEY = "ticketrush_charge";

  private StripeIntents() {
  }

  /**
   * The final result the intent stands for, or null while it is not final ({@code processing}, or
   * {@code requires_capture}, which automatic capture only passes through): then nobody knows yet whether money
   * moves. {@code requires_action} (the card wants 3-D Secure) counts as a decline:
   * this API has no way to let the buyer authenticate, so the intent will never capture.
   */
  static Charge finalCharge(JsonObject intent) {
    String id = intent.getString("id");
    String status = intent.getString("status", "");
    return switch (status) {
      case "succeeded" -> Charge.succeeded(id, intent.getLong("amount", 0L));
      case "requires_payment_method", "canceled" -> Charge.declined(id, declineReason(intent, status));
      case "requires_action" -> Charge.declined(id, "the card requires authentication");
      default -> null;
    };
  }

  private static String declineReason(JsonObject intent, String status) {
    JsonObject error = intent.getJsonObject("last_payment_error");
    return error != null && error.getString("message") != null ? error.getString("message") : "payment intent " + status;
  }
}
