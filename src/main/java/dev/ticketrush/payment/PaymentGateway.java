package dev.ticketrush.payment;

import io.vertx.core.Future;

import java.util.List;

/**
 * Where money moves. Two implementations: {@link FakePaymentGateway} (dev: its ledger in PostgreSQL) and the
 * Stripe adapter in {@code payment.stripe} (Stripe's HTTP API, or {@code gateway-sim} speaking the same subset).
 *
 * <p>Every implementation is asynchronous and idempotent per {@link ChargeRequest#chargeKey()}: a repeated
 * charge with the same key answers the first result and never moves money twice. That is also how an unknown
 * outcome is settled: send the same charge again. A failed future means the outcome is <em>unknown</em>
 * (timeout, lost connection, 5xx, the first request still running, a charge still processing): never assume
 * that nothing was charged. A search or list that does not show a charge proves nothing either (real gateways
 * index late), so this interface offers no "find by key".
 */
public interface PaymentGateway {

  /**
   * Charges the token, or replays the result of the first charge under the same key (sending it again is how
   * an unknown outcome is settled). A decline is a normal result, not a failure.
   */
  Future<Charge> charge(ChargeRequest request);

  /** Gives a captured charge's money back; idempotent per charge (a second refund is a no-op success). */
  Future<Void> refund(String chargeId);

  /**
   * Cancels a charge that is not final yet (a PaymentIntent still {@code processing} or {@code requires_capture}),
   * so it never captures. Succeeds when the charge is canceled or was never captured; fails when it cannot be
   * canceled (then a captured charge is refunded instead).
   */
  Future<Void> cancel(String chargeId);

  /**
   * One page of the gateway's charges, newest first, those older than {@code startingAfter} (null: from the
   * newest), for the reconciliation that refunds captured charges no purchase owns. A list is consistent but
   * it may grow at its head while being read.
   */
  Future<ChargePage> charges(String startingAfter, int limit);

  /**
   * One charge of {@code amountCents} minor units of {@code currency} (ISO 4217, upper case). {@code chargeKey} is the gateway idempotency key derived from the purchase (recorded before
   * the call); {@code clientKey}, {@code userId} and {@code eventId} go into the charge's metadata
   * ({@code ticketrush_key}, {@code ticketrush_user}, {@code ticketrush_event}) so operators can find it.
   */
  record ChargeRequest(String chargeKey, String clientKey, String userId, long eventId, long amountCents,
                       String currency, String paymentToken) {
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

  /**
   * A charge as listed: {@code captured} when money moved (Stripe's list still says so after a refund: a
   * refund is idempotent, so the reconciliation need not know), {@code chargeKey} and {@code eventId} from its
   * metadata (null and 0 when it has none: not ours), {@code createdEpochSeconds} by the gateway's clock.
   */
  record ListedCharge(String id, String chargeKey, long eventId, boolean captured, long amountCents,
                      long createdEpochSeconds) {
  }

  /** A page of {@link #charges}; {@code hasMore} when older charges follow. */
  record ChargePage(List<ListedCharge> charges, boolean hasMore) {
  }
}
