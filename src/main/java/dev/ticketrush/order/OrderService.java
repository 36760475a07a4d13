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

/**
 * The purchase. Order of steps (each closes a race):
 * <ol>
 *   <li>claim the (user, key) row in PostgreSQL — a concurrent retry sees IN_PROGRESS and never charges twice;</li>
 *   <li>pin the caller's holds in Redis (Lua) — they cannot expire or be released while paying;</li>
 *   <li>charge through the gateway (idempotent per user and key);</li>
 *   <li>one transaction: order + tickets (UNIQUE per seat) + the stored answer;</li>
 *   <li>mark the seats sold in Redis (Lua). A crash before this is healed by the seat feature's reconciler.</li>
 * </ol>
 */
public final class OrderService {
  private static final Logger log = LoggerFactory.getLogger(OrderService.class);
  /** The demo price of one seat; events carry no prices yet. */
  static final long PRICE_CENTS = 5_000;

  private final SeatService seatService;
  private final OrderRepository orders;
  private final PaymentGateway payments;
  private final MeterRegistry metrics;
  private final long paymentWindowMs;

  public OrderService(SeatService seatService, OrderRepository orders, PaymentGateway payments, MeterRegistry metrics,
                      long paymentWindowMs) {
    this.seatService = seatService;
    this.orders = orders;
    this.payments = payments;
    this.metrics = metrics;
    this.paymentWindowMs = paymentWindowMs;
  }

  /**
   * The final answer of a purchase: {@code ORDER_CONFIRMED} with the order's JSON as {@code body}, or
   * {@code PAYMENT_DECLINED} with the decline's detail; {@code replayed} when it is a stored answer again.
   */
  public record Answer(Outcome outcome, String body, boolean replayed) {
  }

  public Future<Answer> place(Event event, String user, String key, List<Integer> seats, String paymentToken) {
    String hash = requestHash(event.id(), seats, paymentToken);
    long staleAfterSeconds = paymentWindowMs / 1000 + 30;
    return orders.claim(user, key, hash).compose(claimed -> {
      if (claimed) {
        return purchase(event, user, key, seats, paymentToken);
      }
      return orders.stored(user, key, staleAfterSeconds).compose(stored -> {
        if (stored == null) {
          // The claim vanished between our insert and read (its request was refused): try once more.
          return place(event, user, key, seats, paymentToken);
        }
        if (!stored.requestHash().equals(hash)) {
          return Future.failedFuture(Rejection.of(Outcome.IDEMPOTENCY_KEY_REUSED,
              "this Idempotency-Key was used for a different request; use a new key"));
        }
        if (stored.done()) {
          count("replayed");
          return Future.succeededFuture(new Answer(stored.outcome(), stored.body(), true));
        }
        if (stored.stale()) {
          return orders.takeOver(user, key, hash, staleAfterSeconds).compose(won -> won
              ? purchase(event, user, key, seats, paymentToken)
              : place(event, user, key, seats, paymentToken));
        }
        return Future.failedFuture(Rejection.of(Outcome.REQUEST_IN_PROGRESS,
            "a request with this Idempotency-Key is still running").retryAfter(1));
      });
    });
  }

  private Future<Answer> purchase(Event event, String user, String key, List<Integer> seats, String paymentToken) {
    return seatService.pin(event.id(), user, seats, paymentWindowMs, event.seatCount())
        .compose(pinned -> pinned.ok()
            ? charge(event, user, key, seats, paymentToken)
            : refuse(user, key, pinned))
        .recover(err -> err instanceof Rejection
            ? Future.failedFuture(err)
            : orders.releaseClaim(user, key).transform(ar -> Future.failedFuture(err)));
  }

  private Future<Answer> refuse(String user, String key, SeatResult pinned) {
    JsonArray ids = new JsonArray(new ArrayList<>(pinned.seats()));
    Rejection p = switch (pinned.outcome()) {
      case SEAT_SOLD -> Rejection.of(Outcome.SEAT_SOLD, "seats " + pinned.seats() + " are already sold").with("seats", ids);
      case SEAT_PAID_BY_OTHER_ORDER -> Rejection.of(Outcome.SEAT_PAID_BY_OTHER_ORDER,
          "seats " + pinned.seats() + " are being paid for by another of your orders").with("seats", ids);
      case HOLD_MISSING -> Rejection.of(Outcome.HOLD_MISSING,
          "you do not hold seats " + pinned.seats() + " (never held, released or expired)").with("seats", ids);
      default -> Rejection.invalid("seats: invalid seat ids");
    };
    count(p.outcome() == Outcome.SEAT_SOLD ? "seat_sold" : "hold_missing");
    return orders.releaseClaim(user, key).compose(v -> Future.failedFuture(p));
  }

  private Future<Answer> charge(Event event, String user, String key, List<Integer> seats, String paymentToken) {
    PaymentGateway.ChargeRequest request = new PaymentGateway.ChargeRequest(chargeKey(user, key), key, user, event.id(),
        PRICE_CENTS * seats.size(), paymentToken);
    return payments.charge(request)
        .recover(err -> unpin(event, user, seats).compose(v -> orders.releaseClaim(user, key))
            .compose(v -> Future.failedFuture(Rejection.of(Outcome.PAYMENT_UNAVAILABLE,
                "the payment provider did not answer; nothing was charged, retry with the same key").retryAfter(2))))
        .compose(charge -> charge.succeeded()
            ? confirm(event, user, key, seats, charge.id())
            : decline(event, user, key, seats, charge.declineReason()));
  }

  private Future<Answer> decline(Event event, String user, String key, List<Integer> seats, String reason) {
    String detail = "the payment was declined: " + reason;
    count("payment_declined");
    // The holds stay until their original expiry so the buyer can try another card.
    return orders.finish(user, key, Outcome.PAYMENT_DECLINED, detail)
        .compose(v -> unpin(event, user, seats))
        .map(v -> new Answer(Outcome.PAYMENT_DECLINED, detail, false));
  }

  private Future<Answer> confirm(Event event, String user, String key, List<Integer> seats, String paymentRef) {
    Order order = new Order(UUID.randomUUID(), event.id(), user, List.copyOf(seats), "CONFIRMED",
        Instant.now().truncatedTo(ChronoUnit.MILLIS));
    String body = order.toJson().encode();
    return orders.confirm(order, paymentRef, key, body)
        .compose(v -> {
          count("confirmed");
          sell(event, seats);
          return Future.succeededFuture(new Answer(Outcome.ORDER_CONFIRMED, body, false));
        }, err -> {
          if (!OrderRepository.isUniqueViolation(err)) {
            log.error("order transaction failed after charge {}; refunding", paymentRef, err);
          }
          // PostgreSQL refused (UNIQUE (event_id, seat_id): sold meanwhile) or failed: nothing was written.
          return payments.refund(paymentRef)
              .compose(v -> orders.releaseClaim(user, key))
              .compose(v -> {
                count("seat_sold");
                return Future.failedFuture(OrderRepository.isUniqueViolation(err)
                    ? Rejection.of(Outcome.SEAT_SOLD, "a seat of this order was sold to someone else; the payment was refunded")
                    : Rejection.of(Outcome.ORDER_NOT_STORED, "the order could not be stored; the payment was refunded").retryAfter(1));
              });
        });
  }

  /** Mirror the sale in Redis. If this fails, the reconciler restores it from PostgreSQL within seconds. */
  private void sell(Event event, List<Integer> seats) {
    seatService.sell(event.id(), seats)
        .onFailure(err -> log.warn("sell script failed for event {} seats {}; reconciler will restore: {}",
            event.id(), seats, err.toString()));
  }

  private Future<Void> unpin(Event event, String user, List<Integer> seats) {
    return seatService.unpin(event.id(), user, seats)
        .recover(err -> Future.succeededFuture()); // an unpinned hold still expires at the end of the payment window
  }

  private void count(String outcome) {
    metrics.counter("ticketrush.orders", "outcome", outcome).increment();
  }

  /**
   * The gateway idempotency key of a purchase: one per (user, client key), so a retry can never charge
   * twice. Length-prefixed, so no user id or key containing the separator can collide with another pair.
   */
  static String chargeKey(String user, String key) {
    String canonical = user.length() + ":" + user + ":" + key;
    try {
      return "tr_" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Same key, same body: the canonical form ignores seat order. */
  static String requestHash(long eventId, List<Integer> seats, String paymentToken) {
    List<Integer> sorted = new ArrayList<>(seats);
    sorted.sort(Integer::compare);
    String canonical = eventId + "|" + sorted + "|" + paymentToken;
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
