package dev.ticketrush.order;

import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.payment.PaymentGateway;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One purchase row: the request it is for, its phase, the claim token that fences every write after the claim,
 * the total in minor units of {@code currency} (from the event's prices), the gateway charge key (recorded before the charge) and, once decided, the final answer. {@code attempts}
 * counts the completer's takeovers and {@code createdAt} is when the row was inserted: together they bound
 * how long an unknown payment outcome may stay unknown.
 */
record Purchase(String user, String key, String requestHash, PurchasePhase phase, UUID claimToken, long eventId,
                List<Integer> seats, String paymentToken, long amountCents, String currency, String chargeKey, String chargeId,
                Outcome outcome, String body, int attempts, Instant createdAt) {

  PaymentGateway.ChargeRequest chargeRequest() {
    return new PaymentGateway.ChargeRequest(chargeKey, key, user, eventId, amountCents, currency, paymentToken);
  }

  /** A total of 0 confirms without a charge: the gateway never hears of it. */
  boolean free() {
    return amountCents == 0;
  }

  Purchase withToken(UUID token) {
    return new Purchase(user, key, requestHash, phase, token, eventId, seats, paymentToken, amountCents, currency,
        chargeKey, chargeId, outcome, body, attempts, createdAt);
  }

  /** The same purchase once the gateway named its charge (the completer's CHARGED, or the request's approval). */
  Purchase withCharge(String id) {
    return new Purchase(user, key, requestHash, PurchasePhase.CHARGED, claimToken, eventId, seats, paymentToken,
        amountCents, currency, chargeKey, id, outcome, body, attempts, createdAt);
  }
}
