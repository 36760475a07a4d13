package dev.ticketrush.order;

import io.vertx.core.Future;

/** Where money moves. Implementations must be asynchronous and idempotent per {@code chargeKey}. */
public interface PaymentGateway {

  /** Charges the payment token; a decline is a normal result, not a failure. */
  Future<Charge> charge(String chargeKey, String userId, long amountCents, String paymentToken);

  /** Gives the money back (used when PostgreSQL refuses the order after the charge). */
  Future<Void> refund(String paymentRef);

  record Charge(boolean approved, String paymentRef, String declineReason) {
    public static Charge approved(String ref) {
      return new Charge(true, ref, null);
    }

    public static Charge declined(String reason) {
      return new Charge(false, null, reason);
    }
  }
}
