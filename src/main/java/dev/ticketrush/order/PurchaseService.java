package dev.ticketrush.order;

import dev.ticketrush.event.Event;
import dev.ticketrush.outcome.Outcome;
import dev.ticketrush.outcome.Rejection;
import dev.ticketrush.payment.PaymentGateway;
import dev.ticketrush.seat.SeatResult;
import dev.ticketrush.seat.SeatService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
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
 * <p>This class is the request's path up to the gateway's answer; the {@link ChargeSettlement} decides the
 * purchase from there (order, decline, refund), and the {@link PurchaseRecovery} finishes, through the same
 * settlement, the purchases whose request died or whose payment outcome is unknown.
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
  private final Bounds bounds;
  private final ChargeSettlement settle;

  public PurchaseService(Vertx vertx, SeatService seats, PurchaseRepository orders, PaymentGateway payments,
                         Bounds bounds, ChargeSettlement settle) {
    this.vertx = vertx;
    this.seats = seats;
    this.orders = orders;
    this.payments = payments;
    this.bounds = bounds;
    this.settle = settle;
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
            return settle.unpin(p).transform(v -> stored(p, null));
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
      return settle.answerFrom(row, true);
    });
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
      settle.count(r.outcome());
    }
    // Nothing was charged, so nothing is stored: the client may fix the cause and retry with the same key.
    return Future.failedFuture(r);
  }

  private Future<Answer> charge(Purchase p) {
    if (p.free()) {
      return settle.confirm(p); // nothing to charge: no gateway call, no charge id
    }
    // The pins are renewed from here while the gateway works, so they outlive a slow answer even when
    // PostgreSQL (which the completer's renewal goes through) is down.
    long every = Math.max(200, bounds.paymentWindowMs() / 3);
    long renewal = vertx.setPeriodic(every, id -> settle.renewPins(p));
    return payments.charge(p.chargeRequest())
        .timeout(bounds.paymentTimeoutMs(), TimeUnit.MILLISECONDS)
        .onComplete(ar -> vertx.cancelTimer(renewal))
        .transform(ar -> {
          if (ar.failed()) {
            // Unknown: the gateway may have charged. The row stays CHARGING (pins alive) for the completer.
            log.warn("payment for {} has no answer ({}); the completer will settle it", p.chargeKey(), ar.cause().toString());
            settle.count(Outcome.PAYMENT_UNAVAILABLE);
            return Future.failedFuture(Rejection.of(Outcome.PAYMENT_UNAVAILABLE,
                "the payment provider did not answer in time; whether it charged is being checked and nothing is "
                    + "charged twice: retry with the same Idempotency-Key").retryAfter(2));
          }
          PaymentGateway.Charge c = ar.result();
          if (!c.succeeded()) {
            return settle.decline(p, c.declineReason());
          }
          // Straight to the order transaction, which records the charge id: a commit fewer than passing through
          // CHARGED. If it does not commit, the row stays CHARGING and the completer settles it again.
          return settle.confirm(p.withCharge(c.id()));
        });
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
