package dev.ticketrush.order;

import dev.ticketrush.event.Event;
import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import dev.ticketrush.seat.SeatResult;
import dev.ticketrush.seat.SeatService;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 *   <li>the gateway charge under the charge key (idempotent at the gateway), with a deadline;</li>
 *   <li>one transaction: order + tickets (UNIQUE per seat) + the charge id + the answer (CONFIRMED);</li>
 *   <li>mark the seats sold in Redis (Lua). A crash before this is healed by the seat feature's reconciler.</li>
 * </ol>
 * Pinning before the row exists saves a commit per order (the claim used to be committed as CLAIMED and then
 * moved to CHARGING): a crash between the pin and the row leaves only pins, which end with the payment window.
 * Every request that cannot pin or cannot insert its row reads the key's row first, so a replay gets its
 * stored answer whatever happened to the seats since. Every write after the row names the claim token: once
 * the {@link PurchaseCompleter} took a purchase over, the request it replaced can no longer change it and
 * answers from the row instead. A gateway or database answer that never comes leaves the row unfinished; the
 * completer resolves it (asking the gateway what happened under the charge key) and a replay then gets the
 * final answer.
 */
public final class OrderService {
  private static final Logger log = LoggerFactory.getLogger(OrderService.class);
  /** The demo price of one seat; events carry no prices yet. */
  static final long PRICE_CENTS = 5_000;
  /** Extra time past a phase's own deadline before the completer takes it over. */
  static final long GRACE_SECONDS = 5;

  private final SeatService seats;
  private final OrderRepository orders;
  private final PaymentGateway payments;
  private final MeterRegistry metrics;
  private final long paymentWindowMs;
  private final long paymentTimeoutMs;

  /**
   * @param paymentWindowMs  how long the seats stay pinned for a payment (renewed while one is pending)
   * @param paymentTimeoutMs how long one gateway call may take before its outcome counts as unknown
   */
  public OrderService(SeatService seats, OrderRepository orders, PaymentGateway payments, MeterRegistry metrics,
                      long paymentWindowMs, long paymentTimeoutMs) {
    this.seats = seats;
    this.orders = orders;
    this.payments = payments;
    this.metrics = metrics;
    this.paymentWindowMs = paymentWindowMs;
    this.paymentTimeoutMs = paymentTimeoutMs;
  }

  /**
   * A decided answer: {@code ORDER_CONFIRMED} with the order's JSON as {@code body}, or a refusal outcome
   * ({@code PAYMENT_DECLINED}, {@code SEAT_SOLD}, …) with its detail; {@code replayed} when it is a stored answer.
   */
  public record Answer(Outcome outcome, String body, boolean replayed) {
  }

  public Future<Answer> place(Event event, String user, String key, List<Integer> seatIds, String paymentToken) {
    String hash = requestHash(event.id(), seatIds, paymentToken);
    Purchase p = new Purchase(user, key, hash, PurchasePhase.CHARGING, UUID.randomUUID(), event.id(),
        List.copyOf(seatIds), paymentToken, PRICE_CENTS * seatIds.size(), chargeKey(user, key), null, null, null);
    return seats.pin(event.id(), user, p.seats(), paymentWindowMs, event.seatCount(), p.chargeKey()).compose(pinned -> {
      if (!pinned.ok()) {
        return stored(p, pinned);
      }
      return orders.claim(p, paymentTimeoutSeconds() + GRACE_SECONDS).transform(claimed -> {
        if (claimed.succeeded() && claimed.result()) {
          return charge(p);
        }
        // The key has a row (a replay), or the insert's fate is unknown (then a row, if any, is resolved by the
        // completer: nothing was charged). Either way this request charges nothing: give the pins back first.
        Future<Answer> answer = claimed.succeeded() ? stored(p, null) : Future.failedFuture(claimed.cause());
        return unpin(p).transform(v -> answer);
      });
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
        count("replayed");
      }
      return Future.succeededFuture(new Answer(p.outcome(), p.body(), replay));
    }
    return Future.failedFuture(Rejection.of(Outcome.REQUEST_IN_PROGRESS,
        "a request with this Idempotency-Key is still running or being resolved; retry with the same key").retryAfter(1));
  }

  /** Our token lost the row (taken over, or decided meanwhile): whatever the row says now is the answer. */
  private Future<Answer> fencedOut(Purchase p) {
    return orders.find(p.user(), p.key()).compose(now -> now == null
        ? Future.failedFuture(Rejection.of(Outcome.REQUEST_IN_PROGRESS, "retry with the same key").retryAfter(1))
        : answerFrom(now, false));
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
      count(r.outcome() == Outcome.SEAT_SOLD ? "seat_sold" : "hold_missing");
    }
    // Nothing was charged, so nothing is stored: the client may fix the cause and retry with the same key.
    return Future.failedFuture(r);
  }

  private Future<Answer> charge(Purchase p) {
    return payments.charge(p.chargeRequest())
        .timeout(paymentTimeoutMs, TimeUnit.MILLISECONDS)
        .transform(ar -> {
          if (ar.failed()) {
            // Unknown: the gateway may have charged. The row stays CHARGING (pins alive) for the completer.
            log.warn("payment for {} has no answer ({}); the completer will resolve it", p.chargeKey(), ar.cause().toString());
            count("payment_unknown");
            return Future.failedFuture(Rejection.of(Outcome.PAYMENT_UNAVAILABLE,
                "the payment provider did not answer in time; whether it charged is being checked and nothing is "
                    + "charged twice: retry with the same Idempotency-Key").retryAfter(2));
          }
          PaymentGateway.Charge c = ar.result();
          if (!c.succeeded()) {
            return decline(p, c.declineReason());
          }
          // Straight to the order transaction, which records the charge id: a commit fewer than passing through
          // CHARGED. If it does not commit, the row stays CHARGING and the completer finds the charge by its key.
          return confirm(withCharge(p, c.id()));
        });
  }

  private Future<Answer> decline(Purchase p, String reason) {
    String detail = "the payment was declined: " + reason;
    count("payment_declined");
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
    Order order = new Order(UUID.randomUUID(), p.eventId(), p.user(), p.seats(), "CONFIRMED",
        Instant.now().truncatedTo(ChronoUnit.MILLIS));
    String body = order.toJson().encode();
    return orders.confirm(p, order, body).transform(ar -> {
      if (ar.succeeded()) {
        if (!ar.result()) {
          return fencedOut(p);
        }
        count("confirmed");
        sell(p);
        return Future.succeededFuture(new Answer(Outcome.ORDER_CONFIRMED, body, false));
      }
      if (OrderRepository.isUniqueViolation(ar.cause())) {
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

  /** Decides "back": the answer is stored with the REFUNDING phase first, so a failed refund is retried. */
  Future<Answer> refund(Purchase p, Outcome outcome, String detail) {
    return orders.decide(p, PurchasePhase.REFUNDING, outcome, detail, confirmSeconds(), PurchasePhase.CHARGED,
            PurchasePhase.CHARGING)
        .compose(mine -> {
          if (!mine) {
            return fencedOut(p);
          }
          count("refunded");
          Answer answer = new Answer(outcome, detail, false);
          return finishRefund(p).transform(ar -> unpin(p)).map(answer);
        });
  }

  /** Refunds a REFUNDING purchase's charge and marks it REFUNDED; a failure leaves it for the completer. */
  Future<Void> finishRefund(Purchase p) {
    return payments.refund(p.chargeId())
        .timeout(paymentTimeoutMs, TimeUnit.MILLISECONDS)
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
      // The payment may have gone through: keep its seats pinned while we find out (the payment-aware lease).
      case CHARGING -> seats.renewPins(p.eventId(), p.user(), p.seats(), paymentWindowMs).otherwiseEmpty()
          .compose(v -> payments.lookup(p.chargeRequest()).timeout(paymentTimeoutMs, TimeUnit.MILLISECONDS))
          .compose(charge -> resolveCharging(p, charge));
      case CHARGED -> forward(p);
      case REFUNDING -> finishRefund(p).compose(v -> unpin(p));
      default -> Future.succeededFuture();
    };
  }

  private Future<Void> resolveCharging(Purchase p, PaymentGateway.Charge charge) {
    if (charge == null) {
      count("failed");
      return orders.decide(p, PurchasePhase.FAILED, Outcome.PAYMENT_FAILED,
              "the payment could not be completed and nothing was charged; start again with a new Idempotency-Key",
              0, PurchasePhase.CHARGING)
          .compose(v -> unpin(p));
    }
    return switch (charge.status()) {
      case DECLINED -> decline(p, charge.declineReason() == null ? "card declined" : charge.declineReason()).mapEmpty();
      case REFUNDED -> orders.decide(p, PurchasePhase.REFUNDED, Outcome.PAYMENT_FAILED,
          "the payment was refunded before an order was stored; start again with a new Idempotency-Key", 0,
          PurchasePhase.CHARGING).compose(v -> unpin(p));
      case SUCCEEDED -> orders.advance(p, PurchasePhase.CHARGED, charge.id(), confirmSeconds(), PurchasePhase.CHARGING)
          .compose(mine -> mine ? forward(withCharge(p, charge.id())) : Future.succeededFuture());
    };
  }

  /** Money moved: confirm while the seats are still pinned to this buyer, else refund. */
  private Future<Void> forward(Purchase p) {
    Future<Answer> done = seats.renewPins(p.eventId(), p.user(), p.seats(), paymentWindowMs).compose(pins -> pins.ok()
        ? confirm(p)
        : refund(p, pins.outcome() == Outcome.SEAT_SOLD ? Outcome.SEAT_SOLD : Outcome.HOLD_MISSING,
            "the seats could not be kept while the payment was confirmed; the payment is refunded"));
    // A Rejection here is an answer for a client that is gone (e.g. "being completed"): the row says the rest.
    return done.<Void>mapEmpty().recover(err -> err instanceof Rejection ? Future.succeededFuture() : Future.failedFuture(err));
  }

  /** Mirror the sale in Redis. If this fails, the reconciler restores it from PostgreSQL within seconds. */
  private void sell(Purchase p) {
    seats.sell(p.eventId(), p.user(), p.seats())
        .onFailure(err -> log.warn("sell script failed for event {} seats {}; reconciler will restore: {}",
            p.eventId(), p.seats(), err.toString()));
  }

  private Future<Void> unpin(Purchase p) {
    // An unpinned hold still expires at the end of the payment window.
    return seats.unpin(p.eventId(), p.user(), p.seats()).otherwiseEmpty();
  }

  private static Purchase withCharge(Purchase p, String chargeId) {
    return new Purchase(p.user(), p.key(), p.requestHash(), PurchasePhase.CHARGED, p.claimToken(), p.eventId(), p.seats(),
        p.paymentToken(), p.amountCents(), p.chargeKey(), chargeId, p.outcome(), p.body());
  }

  private long paymentTimeoutSeconds() {
    return (paymentTimeoutMs + 999) / 1000;
  }

  /** How long a CHARGED (or REFUNDING) purchase may take to finish before the completer steps in. */
  private long confirmSeconds() {
    return paymentTimeoutSeconds() + GRACE_SECONDS;
  }

  private void count(String outcome) {
    metrics.counter("ticketrush.orders", "outcome", outcome).increment();
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
