package dev.ticketrush.order;

import dev.ticketrush.order.PurchaseService.Answer;
import dev.ticketrush.order.PurchaseService.Bounds;
import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import dev.ticketrush.payment.PaymentGateway;
import dev.ticketrush.seat.SeatResult;
import dev.ticketrush.seat.SeatService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Where a purchase whose money has an answer is decided, for the request ({@link PurchaseService}) and the
 * completer ({@link PurchaseRecovery}) alike: forward to an order (CONFIRMED), back to a refund (REFUNDING,
 * then REFUNDED), or DECLINED. Every write names the purchase's claim token; when it no longer owns the row
 * ({@link #fencedOut}), the row's answer is the answer and a charge the row was decided without is refunded.
 */
public final class ChargeSettlement {
  private static final Logger log = LoggerFactory.getLogger(ChargeSettlement.class);

  private final SeatService seats;
  private final PurchaseRepository orders;
  private final PaymentGateway payments;
  private final MeterRegistry metrics;
  private final Bounds bounds;
  private final OrderConfirmed confirmed;
  private final Counter replays;
  private final Counter refunds;

  public ChargeSettlement(SeatService seats, PurchaseRepository orders, PaymentGateway payments, MeterRegistry metrics,
                          Bounds bounds, OrderConfirmed confirmed) {
    this.seats = seats;
    this.orders = orders;
    this.payments = payments;
    this.metrics = metrics;
    this.bounds = bounds;
    this.confirmed = confirmed;
    // Not outcomes, so not labels of ticketrush_orders_total: a replay answers an outcome already counted, and
    // a refund is counted there under its outcome (seat_sold, hold_missing) and here as money given back.
    this.replays = metrics.counter("ticketrush.orders.replays");
    this.refunds = metrics.counter("ticketrush.orders.refunds");
  }

  /**
   * The order transaction for a purchase whose charge succeeded (CHARGING on the request path, CHARGED on the
   * completer's). Unique violation (a seat sold meanwhile): refund. Unknown
   * outcome (the connection died around COMMIT): read the row before anything else — CONFIRMED means it
   * committed; CHARGED means it did not, and the completer confirms it while the seats are pinned.
   */
  Future<Answer> confirm(Purchase p) {
    // The money as charged: the purchase's stored total in its stored currency.
    Order order = new Order(UUID.randomUUID(), p.eventId(), p.user(), p.seats(), "CONFIRMED",
        Instant.now().truncatedTo(ChronoUnit.MILLIS), p.currency(), p.amountCents());
    String body = order.toJson().encode();
    return orders.confirm(p, order, body).transform(ar -> {
      if (ar.succeeded()) {
        if (!ar.result()) {
          return fencedOut(p);
        }
        count(Outcome.ORDER_CONFIRMED);
        sell(p);
        return Future.succeededFuture(new Answer(Outcome.ORDER_CONFIRMED, body, false));
      }
      if (ar.cause() instanceof PurchaseRepository.OverTicketLimit over) {
        return refund(p, Outcome.TICKET_LIMIT, TicketLimitDetail.text(over.remaining));
      }
      if (PurchaseRepository.isUniqueViolation(ar.cause())) {
        return refund(p, Outcome.SEAT_SOLD, "a seat of this order was sold to someone else; the payment is refunded");
      }
      log.warn("order transaction for {} failed or its outcome is unknown: {}", p.chargeKey(), ar.cause().toString());
      return orders.find(p.user(), p.key()).compose(now -> {
            if (now == null || !now.phase().decided()) {
              return Future.failedFuture(Rejection.of(Outcome.ORDER_NOT_STORED,
                  "the order is being completed; nothing is charged twice: retry with the same Idempotency-Key").retryAfter(2));
            }
            if (now.phase() == PurchasePhase.CONFIRMED) {
              sell(p); // it committed after all: mirror the sale now rather than at the next reconcile
            }
            return answerFrom(now, false);
          },
          err -> Future.failedFuture(Rejection.of(Outcome.ORDER_NOT_STORED,
              "the order is being completed; nothing is charged twice: retry with the same Idempotency-Key").retryAfter(2)));
    });
  }

  Future<Answer> decline(Purchase p, String reason) {
    String detail = "the payment was declined: " + reason;
    count(Outcome.PAYMENT_DECLINED);
    // The holds stay until their original expiry so the buyer can try another card (with a new key).
    return orders.decide(p, PurchasePhase.DECLINED, Outcome.PAYMENT_DECLINED, detail, 0, PurchasePhase.CHARGING)
        .compose(mine -> mine
            ? unpin(p).map(v -> new Answer(Outcome.PAYMENT_DECLINED, detail, false))
            : fencedOut(p));
  }

  /** Decides "back": the answer is stored with the REFUNDING phase first, so a failed refund is retried. */
  Future<Answer> refund(Purchase p, Outcome outcome, String detail) {
    return orders.decide(p, PurchasePhase.REFUNDING, outcome, detail, bounds.rowDeadlineSeconds(),
            PurchasePhase.CHARGED, PurchasePhase.CHARGING)
        .compose(mine -> {
          if (!mine) {
            return fencedOut(p);
          }
          count(outcome);
          if (!p.free()) {
            refunds.increment();
          }
          Answer answer = new Answer(outcome, detail, false);
          return finishRefund(p).transform(ar -> unpin(p)).map(answer);
        });
  }

  /** Refunds a REFUNDING purchase's charge and marks it REFUNDED; a failure leaves it for the completer. */
  Future<Void> finishRefund(Purchase p) {
    if (p.chargeId() == null) {
      return orders.refunded(p).mapEmpty(); // a free purchase: nothing was charged, nothing goes back
    }
    return payments.refund(p.chargeId())
        .timeout(bounds.paymentTimeoutMs(), TimeUnit.MILLISECONDS)
        .compose(v -> orders.refunded(p))
        .<Void>mapEmpty()
        .onFailure(err -> log.warn("refund of {} failed, retried by the completer: {}", p.chargeId(), err.toString()));
  }

  /**
   * Our token lost the row (taken over, or decided meanwhile): whatever the row says now is the answer. When
   * we hold an approved charge ({@code p.chargeId()}) that the row was decided without, nobody else will ever
   * give it back: refund it here (a failed refund is left to the {@link ChargeReconciler}, which finds every
   * captured charge whose purchase is not CONFIRMED with it). A row still unfinished belongs to the completer,
   * which sends the same charge again and so finds this very charge.
   */
  private Future<Answer> fencedOut(Purchase p) {
    return orders.find(p.user(), p.key()).compose(now -> {
      if (p.chargeId() != null && ownsNoMore(now, p.chargeId())) {
        refunds.increment();
        log.warn("purchase {} was decided without its approved charge {} ({}); refunding it", p.chargeKey(),
            p.chargeId(), now == null ? "no row" : now.phase());
        return payments.refund(p.chargeId()).timeout(bounds.paymentTimeoutMs(), TimeUnit.MILLISECONDS)
            .onFailure(err -> log.warn("refund of fenced-out charge {} failed; the charge reconciliation refunds it: {}",
                p.chargeId(), err.toString()))
            .transform(ar -> answerOf(now));
      }
      return answerOf(now);
    });
  }

  /** A decided row that does not carry this charge to an order or to its own refund. */
  private static boolean ownsNoMore(Purchase row, String chargeId) {
    if (row == null) {
      return true;
    }
    if (!row.phase().decided()) {
      return false;
    }
    boolean same = chargeId.equals(row.chargeId());
    return !(same && (row.phase() == PurchasePhase.CONFIRMED || row.phase() == PurchasePhase.REFUNDING
        || row.phase() == PurchasePhase.REFUNDED));
  }

  private Future<Answer> answerOf(Purchase now) {
    return now == null
        ? Future.failedFuture(Rejection.of(Outcome.REQUEST_IN_PROGRESS, "retry with the same key").retryAfter(1))
        : answerFrom(now, false);
  }

  /** A stored purchase as an answer: its decided answer, or "still running" while it is not decided. */
  Future<Answer> answerFrom(Purchase p, boolean replay) {
    if (p.phase().decided()) {
      if (replay) {
        replays.increment();
      }
      return Future.succeededFuture(new Answer(p.outcome(), p.body(), replay));
    }
    return Future.failedFuture(Rejection.of(Outcome.REQUEST_IN_PROGRESS,
        "a request with this Idempotency-Key is still running or being resolved; retry with the same key").retryAfter(1));
  }

  /**
   * Mirror the sale in Redis (if this fails, the reconciler restores it from PostgreSQL within seconds), and
   * tell the listener, which frees the buyer's waiting-room place for the next fan.
   */
  private void sell(Purchase p) {
    confirmed.confirmed(p.eventId(), p.user());
    seats.sell(p.eventId(), p.user(), p.seats())
        .onFailure(err -> log.warn("sell script failed for event {} seats {}; reconciler will restore: {}",
            p.eventId(), p.seats(), err.toString()));
  }

  /** Keeps the purchase's seats pinned to its buyer for another payment window (the payment-aware lease). */
  Future<SeatResult> renewPins(Purchase p) {
    return seats.renewPins(p.eventId(), p.user(), p.seats(), bounds.paymentWindowMs(), p.chargeKey());
  }

  Future<Void> unpin(Purchase p) {
    // An unpinned hold still expires at the end of the payment window.
    return seats.unpin(p.eventId(), p.user(), p.seats(), p.chargeKey(), "").otherwiseEmpty();
  }

  /** {@code ticketrush_orders_total}, labelled with the outcome's own name. */
  void count(Outcome outcome) {
    metrics.counter("ticketrush.orders", "outcome", outcome.label()).increment();
  }
}
