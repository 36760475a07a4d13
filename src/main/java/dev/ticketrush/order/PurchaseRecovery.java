package dev.ticketrush.order;

import dev.ticketrush.order.PurchaseService.Answer;
import dev.ticketrush.order.PurchaseService.Bounds;
import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import dev.ticketrush.payment.GatewayUnavailable;
import dev.ticketrush.payment.PaymentGateway;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Finishes a purchase whose request died or gave up, once the {@link PurchaseCompleter} took it over under a
 * fresh token. An unknown outcome is settled the way the gateway documents it: the same charge is sent again
 * under the same key (a stored result comes back, or the gateway says the first is still running, or it
 * charges now). A search that finds nothing proves nothing, so it is never asked. The unknown phase is
 * bounded ({@link Bounds}): past it the purchase is decided without an order, a charge still pending is
 * canceled, and any money that shows up later is refunded by the {@link ChargeReconciler}.
 */
public final class PurchaseRecovery {
  private static final Logger log = LoggerFactory.getLogger(PurchaseRecovery.class);

  private final PurchaseRepository orders;
  private final PaymentGateway payments;
  private final Bounds bounds;
  private final ChargeSettlement settle;
  private final Counter givenUp;

  public PurchaseRecovery(PurchaseRepository orders, PaymentGateway payments, MeterRegistry metrics, Bounds bounds,
                          ChargeSettlement settle) {
    this.orders = orders;
    this.payments = payments;
    this.bounds = bounds;
    this.settle = settle;
    // Purchases decided at the unknown phase's bound (answered payment_failed; any charge is refunded later).
    this.givenUp = metrics.counter("ticketrush.purchases.unknown.given.up");
  }

  /**
   * Drives an unfinished purchase the completer took over (under a fresh token) to a decided phase: forward
   * when the money moved and the seats are still pinned, back otherwise.
   */
  Future<Void> resolve(Purchase p) {
    return switch (p.phase()) {
      // Nothing charged yet (charging is committed before the call): release the seats and the key.
      case CLAIMED -> settle.unpin(p).compose(v -> orders.releaseClaim(p)).mapEmpty();
      // The payment may have gone through: keep its seats pinned while we find out (the payment-aware lease),
      // then send the same charge again — the gateway's answer under the key is the truth.
      case CHARGING -> p.free() ? forward(p) : settle.renewPins(p).otherwiseEmpty()
          .compose(v -> payments.charge(p.chargeRequest()).timeout(bounds.paymentTimeoutMs(), TimeUnit.MILLISECONDS))
          .transform(ar -> ar.succeeded() ? resolveCharging(p, ar.result()) : stillUnknown(p, ar.cause()));
      case CHARGED -> forward(p);
      case REFUNDING -> settle.finishRefund(p).compose(v -> settle.unpin(p));
      default -> Future.succeededFuture();
    };
  }

  /**
   * The same charge sent again did not answer either (still running, processing, the gateway down). Within
   * the bound: try again after the lease. Past it: decide without an order, cancel a charge that is still
   * pending, and leave any money that appears later to the {@link ChargeReconciler}, which refunds it.
   */
  private Future<Void> stillUnknown(Purchase p, Throwable cause) {
    long ageMs = Duration.between(p.createdAt(), Instant.now()).toMillis();
    if (p.attempts() < bounds.unknownMaxAttempts() && ageMs < bounds.unknownMaxMs()) {
      return Future.failedFuture(cause);
    }
    settle.count(Outcome.PAYMENT_FAILED);
    givenUp.increment();
    String pending = cause instanceof GatewayUnavailable unavailable ? unavailable.chargeId() : null;
    log.error("purchase {} still has no payment outcome after {} attempts and {} ms ({}); deciding it without an "
        + "order, any charge is refunded", p.chargeKey(), p.attempts(), ageMs, cause.toString());
    Future<Void> cancel = pending == null ? Future.succeededFuture()
        : payments.cancel(pending).timeout(bounds.paymentTimeoutMs(), TimeUnit.MILLISECONDS)
            .onFailure(err -> log.warn("cancel of pending charge {} failed: {}", pending, err.toString()))
            .otherwiseEmpty();
    Purchase withPending = pending == null ? p : new Purchase(p.user(), p.key(), p.requestHash(), p.phase(),
        p.claimToken(), p.eventId(), p.seats(), p.paymentToken(), p.amountCents(), p.currency(), p.chargeKey(), pending,
        p.outcome(), p.body(), p.attempts(), p.createdAt());
    return cancel.compose(v -> orders.decide(withPending, PurchasePhase.FAILED, Outcome.PAYMENT_FAILED,
            "the payment provider did not confirm the payment in time and no order was made; if your card was "
                + "charged, the charge is refunded automatically; start again with a new Idempotency-Key",
            0, PurchasePhase.CHARGING))
        .compose(mine -> mine ? settle.unpin(p) : Future.succeededFuture());
  }

  private Future<Void> resolveCharging(Purchase p, PaymentGateway.Charge charge) {
    return switch (charge.status()) {
      case DECLINED -> settle.decline(p, charge.declineReason() == null ? "card declined" : charge.declineReason()).mapEmpty();
      // Only a decided purchase's charge is ever refunded (by us); an undecided one's cannot be, but a gateway
      // operator may have: then no order.
      case REFUNDED -> orders.decide(p.withCharge(charge.id()), PurchasePhase.REFUNDED, Outcome.PAYMENT_FAILED,
          "the payment was refunded before an order was stored; start again with a new Idempotency-Key", 0,
          PurchasePhase.CHARGING).compose(mine -> mine ? settle.unpin(p) : Future.succeededFuture());
      case SUCCEEDED -> orders.advance(p, PurchasePhase.CHARGED, charge.id(), bounds.rowDeadlineSeconds(), PurchasePhase.CHARGING)
          .compose(mine -> mine ? forward(p.withCharge(charge.id())) : Future.succeededFuture());
    };
  }

  /** Money moved: confirm while the seats are still pinned to this buyer, else refund. */
  private Future<Void> forward(Purchase p) {
    Future<Answer> done = settle.renewPins(p).compose(pins -> pins.ok()
        ? settle.confirm(p)
        : settle.refund(p, pins.outcome() == Outcome.SEAT_SOLD ? Outcome.SEAT_SOLD : Outcome.HOLD_MISSING,
            "the seats could not be kept while the payment was confirmed; the payment is refunded"));
    // A Rejection here is an answer for a client that is gone (e.g. "being completed"): the row says the rest.
    return done.<Void>mapEmpty().recover(err -> err instanceof Rejection ? Future.succeededFuture() : Future.failedFuture(err));
  }
}
