package dev.ticketrush.order;

import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import dev.ticketrush.payment.PaymentGateway;
import dev.ticketrush.seat.SeatService;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Cancellation: the purchase state machine run backwards. Each phase is committed before the next foreign call:
 * <ol>
 *   <li>one transaction decides it ({@link CancelRepository#begin}): the order CANCELLING, its tickets VOID (a
 *       checked-in ticket refuses it), a cancellation row with a claim token;</li>
 *   <li>one Lua script puts the seats back on sale (sold → AVAILABLE for every watcher, the buyer's owned count
 *       down), idempotent per order;</li>
 *   <li>the refund of the order's charge through the gateway, under a key derived from the charge (idempotent:
 *       sent again after an unknown outcome, it never refunds twice);</li>
 *   <li>CANCELLED, fenced by the claim token.</li>
 * </ol>
 * A failure after the first commit leaves the row CANCELLING for the {@link PurchaseCompleter}, which takes it
 * over (a fresh token) past its deadline and runs steps 2-4 again, as it finishes unfinished purchases.
 *
 * <p>The tickets turn VOID when the cancellation is decided, not when the money is back: from that commit no
 * door admits them (a scan racing the cancellation waits for its row lock and then finds VOID, or wins first and
 * the cancellation answers 409 ticket_used), so a ticket can never be both used and refunded. The refund cannot
 * be undone either, so nothing is gained by keeping the seats off sale while the gateway answers.
 */
public final class CancelService {
  private static final Logger log = LoggerFactory.getLogger(CancelService.class);

  private final SeatService seats;
  private final CancelRepository cancellations;
  private final PaymentGateway payments;
  private final MeterRegistry metrics;
  private final PurchaseService.Bounds bounds;
  /** Cancellations whose refund is still pending after {@link PurchaseCompleter#LONG_UNKNOWN_SECONDS} (alerted on). */
  private final java.util.concurrent.atomic.AtomicLong pendingLong = new java.util.concurrent.atomic.AtomicLong();

  public CancelService(SeatService seats, io.vertx.sqlclient.Pool pool, PaymentGateway payments, MeterRegistry metrics,
                       PurchaseService.Bounds bounds) {
    this.seats = seats;
    this.cancellations = new CancelRepository(pool, bounds.paymentTimeoutMs());
    this.payments = payments;
    this.metrics = metrics;
    this.bounds = bounds;
    metrics.gauge("ticketrush.cancellations.pending.long", pendingLong);
  }

  /** {@code ORDER_CANCELLED} (refunded) or {@code ORDER_CANCELLING} (the refund pending); {@code replayed} for a replay. */
  public record Answer(Outcome outcome, UUID orderId, boolean replayed) {
  }

  /** Cancels an order for its owner (until the event's refundableUntil) or an admin (always). */
  public Future<Answer> cancel(UUID orderId, String caller, boolean admin, String key) {
    return cancellations.begin(orderId, caller, admin, key, bounds.rowDeadlineSeconds()).compose(begun -> {
      if (begun instanceof CancelRepository.Existing existing) {
        Cancellation c = existing.cancellation();
        return Future.succeededFuture(new Answer(c.done() ? Outcome.ORDER_CANCELLED : Outcome.ORDER_CANCELLING, orderId, true));
      }
      if (!(begun instanceof CancelRepository.Started)) {
        Rejection refused = refusal(begun, orderId);
        count(refused.outcome());
        return Future.failedFuture(refused);
      }
      Cancellation c = ((CancelRepository.Started) begun).cancellation();
      return finish(c).transform(ar -> {
        Outcome outcome = ar.succeeded() && ar.result() ? Outcome.ORDER_CANCELLED : Outcome.ORDER_CANCELLING;
        count(outcome);
        return Future.succeededFuture(new Answer(outcome, orderId, false));
      });
    });
  }

  /**
   * Steps 2-4 for a CANCELLING row held under {@code c.claimToken()}: seats back, refund, CANCELLED. True once
   * CANCELLED was committed under our token; false when another token took the row; failed when a step did not
   * finish (the row stays CANCELLING and the completer tries again, with the same refund key).
   */
  Future<Boolean> finish(Cancellation c) {
    Future<Integer> back = seats.cancel(c.eventId(), c.orderId().toString(), c.seats())
        .onFailure(err -> log.warn("cancel script failed for order {}; the completer retries: {}", c.orderId(), err.toString()));
    return back.compose(n -> refund(c)).compose(v -> cancellations.cancelled(c)).onSuccess(mine -> {
      if (mine) {
        log.info("order {} cancelled{}", c.orderId(), c.refunds() ? ", charge " + c.chargeId() + " refunded" : "");
      }
    });
  }

  private Future<Void> refund(Cancellation c) {
    if (!c.refunds()) {
      return Future.succeededFuture();
    }
    return payments.refund(c.chargeId())
        .timeout(bounds.paymentTimeoutMs(), TimeUnit.MILLISECONDS)
        .onSuccess(v -> metrics.counter("ticketrush.cancellations.refunds").increment())
        .onFailure(err -> log.warn("refund of {} for cancelled order {} has no answer; retried with the same key: {}",
            c.chargeId(), c.orderId(), err.toString()));
  }

  /** The completer's pass over cancellations past their deadline (taken over under {@code token}). */
  Future<Void> resolveDue(UUID token, long leaseSeconds, int limit) {
    Future<Long> gauge = cancellations.pendingOlderThan(PurchaseCompleter.LONG_UNKNOWN_SECONDS).onSuccess(pendingLong::set);
    return gauge.transform(ar -> cancellations.takeDue(token, leaseSeconds, limit)).compose(due -> {
      java.util.List<Future<Boolean>> work = new java.util.ArrayList<>(due.size());
      for (Cancellation c : due) {
        work.add(finish(c).onComplete(ar -> {
          metrics.counter("ticketrush.cancellations.resolved", "result", ar.succeeded() ? "done" : "retry").increment();
          if (ar.failed()) {
            log.warn("cancellation of order {} not finished yet (attempt {}), retried after its lease: {}", c.orderId(),
                c.attempts(), ar.cause().toString());
          }
        }));
      }
      return Future.join(work).<Void>mapEmpty().otherwiseEmpty();
    });
  }

  private static Rejection refusal(CancelRepository.Begun begun, UUID orderId) {
    if (begun instanceof CancelRepository.NotRefundable x) {
      return Rejection.of(Outcome.NOT_REFUNDABLE, x.detail());
    }
    if (begun instanceof CancelRepository.TicketUsed) {
      return Rejection.of(Outcome.TICKET_USED, "a ticket of this order was checked in: the order cannot be cancelled");
    }
    if (begun instanceof CancelRepository.KeyReused) {
      return Rejection.of(Outcome.IDEMPOTENCY_KEY_REUSED, "this Idempotency-Key was used to cancel another order; use a new key");
    }
    return Rejection.of(Outcome.ORDER_NOT_FOUND, "no order " + orderId);
  }

  /** {@code ticketrush_cancellations_total}, labelled with the outcome's own name. */
  private void count(Outcome outcome) {
    metrics.counter("ticketrush.cancellations", "outcome", outcome.label()).increment();
  }
}
