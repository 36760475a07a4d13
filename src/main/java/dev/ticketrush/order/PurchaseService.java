package dev.ticketrush.order;

import dev.ticketrush.event.Event;
import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import dev.ticketrush.payment.GatewayUnavailable;
import dev.ticketrush.payment.PaymentGateway;
import dev.ticketrush.seat.SeatResult;
import dev.ticketrush.seat.SeatService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The purchase, as a durable state machine ({@link PurchasePhase}). Each phase is committed before the next
 * foreign call, so a crash anywhere leaves a row that says what may have happened:
 * <ol>
 *   <li>pin the caller's holds in Redis (Lua) under the purchase's charge key — they cannot expire or be
 *       released while paying, and a second request with the same key finds them pinned under that key;</li>
 *   <li>CHARGING: the (user, key) row with the request hash, a claim token and the derived gateway charge key,
 *       committed before the gateway call — a concurrent retry sees it and never charges twice;</li>
 *   <li>the gateway charge under the charge key (idempotent at the gateway), with a deadline, the pins renewed
 *       while it runs;</li>
 *   <li>one transaction: order + tickets (UNIQUE per seat) + the charge id + the answer (CONFIRMED);</li>
 *   <li>mark the seats sold in Redis (Lua). A crash before this is healed by the seat feature's reconciler.</li>
 * </ol>
 * Every request that cannot pin or cannot insert its row reads the key's row first, so a replay gets its
 * stored answer whatever happened to the seats since. Every write after the row names the claim token: once
 * the {@link PurchaseCompleter} took a purchase over, the request it replaced can no longer change it and
 * answers from the row instead — and refunds the charge it holds if the row was decided without it.
 *
 * <p>An unknown outcome is settled the way the gateway documents it: the completer sends the same charge
 * again under the same key (a stored result comes back, or the gateway says the first is still running, or
 * it charges now). A search that finds nothing proves nothing, so it is never asked. The unknown phase is
 * bounded ({@link Bounds}): past it the purchase is decided without an order, a charge still pending is
 * canceled, and any money that shows up later is refunded by the {@link ChargeReconciler}.
 */
public final class PurchaseService {
  private static final Logger log = LoggerFactory.getLogger(PurchaseService.class);
  /**
   * @param paymentWindowMs      how long the seats stay pinned for a payment (renewed while one is pending)
   * @param paymentTimeoutMs     the whole budget of one gateway call, waiting for a connection included
   * @param graceSeconds         extra time past that budget before the completer takes a purchase over
   * @param unknownMaxAttempts   completer takeovers after which an unknown outcome is decided without an order
   * @param unknownMaxMs         age of a purchase after which an unknown outcome is decided without an order
   */
  public record Bounds(long paymentWindowMs, long paymentTimeoutMs, long graceSeconds, int unknownMaxAttempts,
                       long unknownMaxMs) {
    /** Seconds from the row's insert (or a phase change) until the completer may take it over. */
    long rowDeadlineSeconds() {
      return (paymentTimeoutMs + 999) / 1000 + graceSeconds;
    }
  }

  private final Vertx vertx;
  private final SeatService seats;
  private final PurchaseRepository orders;
  private final PaymentGateway payments;
  private final MeterRegistry metrics;
  private final Bounds bounds;
  private final Counter replays;
  private final Counter refunds;
  private final Counter givenUp;
  private final OrderConfirmed confirmed;

  public PurchaseService(Vertx vertx, SeatService seats, PurchaseRepository orders, PaymentGateway payments,
                         MeterRegistry metrics, Bounds bounds, OrderConfirmed confirmed) {
    this.confirmed = confirmed;
    this.vertx = vertx;
    this.seats = seats;
    this.orders = orders;
    this.payments = payments;
    this.metrics = metrics;
    this.bounds = bounds;
    // Not outcomes, so not labels of ticketrush_orders_total: a replay answers an outcome already counted, and
    // a refund is counted there under its outcome (seat_sold, hold_missing) and here as money given back.
    this.replays = metrics.counter("ticketrush.orders.replays");
    this.refunds = metrics.counter("ticketrush.orders.refunds");
    // Purchases decided at the unknown phase's bound (answered payment_failed; any charge is refunded later).
    this.givenUp = metrics.counter("ticketrush.purchases.unknown.given.up");
  }

  /** The payment bounds the cancellations share (gateway deadline, row deadline). */
  public Bounds bounds() {
    return bounds;
  }

  /**
   * A decided answer: {@code ORDER_CONFIRMED} with the order's JSON as {@code body}, or a refusal outcome
   * ({@code PAYMENT_DECLINED}, {@code SEAT_SOLD}, …) with its detail; {@code replayed} when it is a stored answer.
   */
  public record Answer(Outcome outcome, String body, boolean replayed) {
  }

  public Future<Answer> place(Event event, String user, String key, List<Integer> seatIds, String paymentToken) {
    String hash = requestHash(event.id(), seatIds, paymentToken);
    // The total comes from the event's prices, never from the client; it is stored with the purchase and charged
    // exactly, in the event's currency.
    long total = 0;
    for (int seat : seatIds) {
      total += event.categoryOf(seat).price();
    }
    Purchase p = new Purchase(user, key, hash, PurchasePhase.CHARGING, UUID.randomUUID(), event.id(),
        List.copyOf(seatIds), paymentToken, total, event.currency(), chargeKey(user, key), null, null, null,
        0, Instant.now());
    return seats.pin(event.id(), user, p.seats(), bounds.paymentWindowMs(), event.seatCount(), p.chargeKey(), pinToken(p))
        .onFailure(err -> takeBackPins(p))
        .compose(pinned -> {
          if (!pinned.ok()) {
            return stored(p, pinned);
          }
          return orders.claim(p, bounds.rowDeadlineSeconds()).transform(claimed -> {
            if (claimed.succeeded() && claimed.result()) {
              return charge(p);
            }
            // The key has a row (a replay), or the insert's fate is unknown (then a row, if any, is resolved by
            // the completer: nothing was charged). Either way this request charges nothing: give the pins back.
            if (claimed.failed()) {
              takeBackPins(p);
              return Future.failedFuture(claimed.cause());
            }
            return unpin(p).transform(v -> stored(p, null));
          });
        });
  }

  /** The token naming this request's own pins: its claim token, unique per request. */
  private static String pinToken(Purchase p) {
    return p.claimToken().toString();
  }

  /**
   * This request failed after it may have pinned the seats (the pin's answer was lost, or the claim's fate is
   * unknown) and charges nothing: its pins are taken back as soon as Redis answers, retried until then (at most
   * for the payment window, when they lapse anyway). Otherwise a retry with the same key would be told
   * "request in progress" for a whole payment window. The token touches only this request's pins, never those
   * of a later request with the same key.
   */
  private void takeBackPins(Purchase p) {
    takeBackPins(p, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(bounds.paymentWindowMs()), 100);
  }

  private void takeBackPins(Purchase p, long deadlineNanos, long delayMs) {
    seats.unpin(p.eventId(), p.user(), p.seats(), p.chargeKey(), pinToken(p)).onFailure(err -> {
      if (System.nanoTime() < deadlineNanos) {
        vertx.setTimer(delayMs, id -> takeBackPins(p, deadlineNanos, Math.min(delayMs * 2, 1_000)));
      }
    });
  }

  /**
   * The key's stored purchase, if it has one, answers (a replay; the same key with another body is refused).
   * Without one: why the seats could not be pinned ({@code pinned}), or "retry" when they were.
   */
  private Future<Answer> stored(Purchase p, SeatResult pinned) {
    return orders.find(p.user(), p.key()).compose(row -> {
      if (row == null) {
        return pinned == null
            ? Future.failedFuture(Rejection.of(Outcome.REQUEST_IN_PROGRESS, "retry with the same key").retryAfter(1))
            : refuse(pinned);
      }
      if (!row.requestHash().equals(p.requestHash())) {
        return Future.failedFuture(Rejection.of(Outcome.IDEMPOTENCY_KEY_REUSED,
            "this Idempotency-Key was used for a different request; use a new key"));
      }
      return answerFrom(row, true);
    });
  }

  /** A stored purchase as an answer: its decided answer, or "still running" while it is not decided. */
  private Future<Answer> answerFrom(Purchase p, boolean replay) {
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
            .transform(ar -> answerOf(p, now));
      }
      return answerOf(p, now);
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

  private Future<Answer> answerOf(Purchase p, Purchase now) {
    return now == null
        ? Future.failedFuture(Rejection.of(Outcome.REQUEST_IN_PROGRESS, "retry with the same key").retryAfter(1))
        : answerFrom(now, false);
  }

  private Future<Answer> refuse(SeatResult pinned) {
    JsonArray ids = new JsonArray(new ArrayList<>(pinned.seats()));
    Rejection r = switch (pinned.outcome()) {
      case REQUEST_IN_PROGRESS -> Rejection.of(Outcome.REQUEST_IN_PROGRESS,
          "a request with this Idempotency-Key is paying for these seats right now; retry with the same key").retryAfter(1);
      case SEAT_SOLD -> Rejection.of(Outcome.SEAT_SOLD, "seats " + pinned.seats() + " are already sold").with("seats", ids);
      case SEAT_PAID_BY_OTHER_ORDER -> Rejection.of(Outcome.SEAT_PAID_BY_OTHER_ORDER,
          "seats " + pinned.seats() + " are being paid for by another of your orders").with("seats", ids);
      case SALE_CLOSED -> Rejection.of(Outcome.SALE_CLOSED, "the sale has ended; no new purchase starts");
      case HOLD_MISSING -> Rejection.of(Outcome.HOLD_MISSING,
          "you do not hold seats " + pinned.seats() + " (never held, released or expired)").with("seats", ids);
      default -> Rejection.invalid("seats: invalid seat ids");
    };
    if (r.outcome() != Outcome.REQUEST_IN_PROGRESS) {
      count(r.outcome());
    }
    // Nothing was charged, so nothing is stored: the client may fix the cause and retry with the same key.
    return Future.failedFuture(r);
  }

  private Future<Answer> charge(Purchase p) {
    if (free(p)) {
      return confirm(p); // nothing to charge: no gateway call, no charge id
    }
    // The pins are renewed from here while the gateway works, so they outlive a slow answer even when
    // PostgreSQL (which the completer's renewal goes through) is down.
    long every = Math.max(200, bounds.paymentWindowMs() / 3);
    long renewal = vertx.setPeriodic(every, id -> seats.renewPins(p.eventId(), p.user(), p.seats(),
        bounds.paymentWindowMs(), p.chargeKey()));
    return payments.charge(p.chargeRequest())
        .timeout(bounds.paymentTimeoutMs(), TimeUnit.MILLISECONDS)
        .onComplete(ar -> vertx.cancelTimer(renewal))
        .transform(ar -> {
          if (ar.failed()) {
            // Unknown: the gateway may have charged. The row stays CHARGING (pins alive) for the completer.
            log.warn("payment for {} has no answer ({}); the completer will settle it", p.chargeKey(), ar.cause().toString());
            count(Outcome.PAYMENT_UNAVAILABLE);
            return Future.failedFuture(Rejection.of(Outcome.PAYMENT_UNAVAILABLE,
                "the payment provider did not answer in time; whether it charged is being checked and nothing is "
                    + "charged twice: retry with the same Idempotency-Key").retryAfter(2));
          }
          PaymentGateway.Charge c = ar.result();
          if (!c.succeeded()) {
            return decline(p, c.declineReason());
          }
          // Straight to the order transaction, which records the charge id: a commit fewer than passing through
          // CHARGED. If it does not commit, the row stays CHARGING and the completer settles it again.
          return confirm(p.withCharge(c.id()));
        });
  }

  private Future<Answer> decline(Purchase p, String reason) {
    String detail = "the payment was declined: " + reason;
    count(Outcome.PAYMENT_DECLINED);
    // The holds stay until their original expiry so the buyer can try another card (with a new key).
    return orders.decide(p, PurchasePhase.DECLINED, Outcome.PAYMENT_DECLINED, detail, 0, PurchasePhase.CHARGING)
        .compose(mine -> mine
            ? unpin(p).map(v -> new Answer(Outcome.PAYMENT_DECLINED, detail, false))
            : fencedOut(p));
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

  /** A total of 0 confirms without a charge: the gateway never hears of it. */
  private static boolean free(Purchase p) {
    return p.amountCents() == 0;
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
          if (!free(p)) {
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
   * Drives an unfinished purchase the completer took over (under a fresh token) to a decided phase: forward
   * when the money moved and the seats are still pinned, back otherwise.
   */
  Future<Void> resolve(Purchase p) {
    return switch (p.phase()) {
      // Nothing charged yet (charging is committed before the call): release the seats and the key.
      case CLAIMED -> unpin(p).compose(v -> orders.releaseClaim(p)).mapEmpty();
      // The payment may have gone through: keep its seats pinned while we find out (the payment-aware lease),
      // then send the same charge again — the gateway's answer under the key is the truth.
      case CHARGING -> free(p) ? forward(p) : renewPins(p).otherwiseEmpty()
          .compose(v -> payments.charge(p.chargeRequest()).timeout(bounds.paymentTimeoutMs(), TimeUnit.MILLISECONDS))
          .transform(ar -> ar.succeeded() ? resolveCharging(p, ar.result()) : stillUnknown(p, ar.cause()));
      case CHARGED -> forward(p);
      case REFUNDING -> finishRefund(p).compose(v -> unpin(p));
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
    count(Outcome.PAYMENT_FAILED);
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
        .compose(mine -> mine ? unpin(p) : Future.succeededFuture());
  }

  private Future<Void> resolveCharging(Purchase p, PaymentGateway.Charge charge) {
    return switch (charge.status()) {
      case DECLINED -> decline(p, charge.declineReason() == null ? "card declined" : charge.declineReason()).mapEmpty();
      // Only a decided purchase's charge is ever refunded (by us); an undecided one's cannot be, but a gateway
      // operator may have: then no order.
      case REFUNDED -> orders.decide(p.withCharge(charge.id()), PurchasePhase.REFUNDED, Outcome.PAYMENT_FAILED,
          "the payment was refunded before an order was stored; start again with a new Idempotency-Key", 0,
          PurchasePhase.CHARGING).compose(mine -> mine ? unpin(p) : Future.succeededFuture());
      case SUCCEEDED -> orders.advance(p, PurchasePhase.CHARGED, charge.id(), bounds.rowDeadlineSeconds(), PurchasePhase.CHARGING)
          .compose(mine -> mine ? forward(p.withCharge(charge.id())) : Future.succeededFuture());
    };
  }

  /** Money moved: confirm while the seats are still pinned to this buyer, else refund. */
  private Future<Void> forward(Purchase p) {
    Future<Answer> done = renewPins(p).compose(pins -> pins.ok()
        ? confirm(p)
        : refund(p, pins.outcome() == Outcome.SEAT_SOLD ? Outcome.SEAT_SOLD : Outcome.HOLD_MISSING,
            "the seats could not be kept while the payment was confirmed; the payment is refunded"));
    // A Rejection here is an answer for a client that is gone (e.g. "being completed"): the row says the rest.
    return done.<Void>mapEmpty().recover(err -> err instanceof Rejection ? Future.succeededFuture() : Future.failedFuture(err));
  }

  private Future<SeatResult> renewPins(Purchase p) {
    return seats.renewPins(p.eventId(), p.user(), p.seats(), bounds.paymentWindowMs(), p.chargeKey());
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

  Future<Void> unpin(Purchase p) {
    // An unpinned hold still expires at the end of the payment window.
    return seats.unpin(p.eventId(), p.user(), p.seats(), p.chargeKey(), "").otherwiseEmpty();
  }

  /** {@code ticketrush_orders_total}, labelled with the outcome's own name. */
  private void count(Outcome outcome) {
    metrics.counter("ticketrush.orders", "outcome", outcome.label()).increment();
  }

  /**
   * The gateway idempotency key of a purchase: one per (user, client key), so a retry can never charge
   * twice. Length-prefixed, so no user id or key containing the separator can collide with another pair.
   */
  static String chargeKey(String user, String key) {
    return "tr_" + sha256(user.length() + ":" + user + ":" + key);
  }

  /** Same key, same body: the canonical form ignores seat order. */
  static String requestHash(long eventId, List<Integer> seats, String paymentToken) {
    List<Integer> sorted = new ArrayList<>(seats);
    sorted.sort(Integer::compare);
    return sha256(eventId + "|" + sorted + "|" + paymentToken);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
