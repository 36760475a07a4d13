package dev.ticketrush.order;

import java.util.List;
import java.util.UUID;

/**
 * One cancellation row: the order it cancels, who asked and under which Idempotency-Key, its phase
 * ({@code CANCELLING} until the refund is recorded, then {@code CANCELLED}), the claim token that fences every
 * write after the insert, and the money to give back: the order's charge ({@code chargeId}, null when nothing
 * was charged) and its total in minor units of {@code currency}.
 */
record Cancellation(UUID orderId, long eventId, String requestedBy, String key, String phase, UUID claimToken,
                    String chargeId, long amountCents, String currency, List<Integer> seats, int attempts) {
  static final String CANCELLING = "CANCELLING";
  static final String CANCELLED = "CANCELLED";

  boolean done() {
    return CANCELLED.equals(phase);
  }

  /** Whether money goes back: a charge of a positive amount. */
  boolean refunds() {
    return chargeId != null && amountCents > 0;
  }
}
