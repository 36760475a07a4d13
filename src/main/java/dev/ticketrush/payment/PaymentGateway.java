package dev.ticketrush.payment;

import io.vertx.core.Future;

/**
 * Where money moves. Two implementations: {@link FakePaymentGateway} (in process, dev default) and
 * {@link StripeGateway} (Stripe's HTTP API, or {@code gateway-sim} speaking the same subset).
 *
 * <p>Every implementation is asynchronous and idempotent per {@link ChargeRequest#chargeKey()}: a repeated
 * charge with the same key answers the first result and never moves money twice. A failed future means the
 * outcome is <em>unknown</em> (timeout, lost connection, 5xx): the caller must {@link #lookup} it, never
 * assume that nothing was charged.
 */
public interface PaymentGateway {

  /** Charges the token; a decline is a normal result, not a failure. */
  Future<Charge> charge(ChargeRequest request);

  /** Gives a captured charge's money back; idempotent per charge (a second refund is a no-op success). */
  Future<Void> refund(String chargeId);

  /**
   * What the gateway knows under the request's charge key: the charge (succeeded, declined or refunded), or
   * null when nothing was ever charged under it. Used to resolve unknown outcomes after timeouts and crashes.
   */
  Future<Charge> lookup(ChargeRequest request);

  /**
   * One charge. {@code chargeKey} is the gateway idempotency key derived from the purchase (recorded before
   * the call); {@code clientKey}, {@code userId} and {@code eventId} go into the charge's metadata
   * ({@code ticketrush_key}, {@code ticketrush_user}, {@code ticketrush_event}) so operators can find it.
   */
  record ChargeRequest(String chargeKey, String clientKey, String userId, long eventId, long amountCents,
                       String paymentToken) {
  }

  enum Status { SUCCEEDED, DECLINED, REFUNDED }

  /** A charge as the gateway reports it; {@code declineReason} only for declines. */
  record Charge(String id, Status status, long amountCents, String declineReason) {
    public boolean succeeded() {
      return status == Status.SUCCEEDED;
    }

    public static Charge succeeded(String id, long amountCents) {
      return new Charge(id, Status.SUCCEEDED, amountCents, null);
    }

    public static Charge declined(String id, String reason) {
      return new Charge(id, Status.DECLINED, 0, reason);
    }
  }
}
