package dev.ticketrush.order;

import dev.ticketrush.event.Event;
import dev.ticketrush.hold.HoldCommand;
import dev.ticketrush.hold.SeatResult;
import dev.ticketrush.infra.Addresses;
import dev.ticketrush.infra.ErrorCode;
import dev.ticketrush.infra.Problem;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
 *   <li>mark the seats sold in Redis (Lua). A crash before this is healed by the {@link Reconciler}.</li>
 * </ol>
 */
public final class OrderService {
  private static final Logger log = LoggerFactory.getLogger(OrderService.class);
  /** The demo price of one seat; events carry no prices yet. */
  static final long PRICE_CENTS = 5_000;

  private final Vertx vertx;
  private final OrderRepository orders;
  private final PaymentGateway payments;
  private final MeterRegistry metrics;
  private final long paymentWindowMs;

  public OrderService(Vertx vertx, OrderRepository orders, PaymentGateway payments, MeterRegistry metrics, long paymentWindowMs) {
    this.vertx = vertx;
    this.orders = orders;
    this.payments = payments;
    this.metrics = metrics;
    this.paymentWindowMs = paymentWindowMs;
  }

  /** An HTTP answer to send: status, body, and whether it replays a stored one. */
  public record Answer(int status, String body, boolean replayed) {
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
          return Future.failedFuture(Problem.of(ErrorCode.IDEMPOTENCY_KEY_REUSED,
              "this Idempotency-Key was used for a different request; use a new key"));
        }
        if (stored.done()) {
          count("replayed");
          return Future.succeededFuture(new Answer(stored.httpStatus(), stored.body(), true));
        }
        if (stored.stale()) {
          return orders.takeOver(user, key, hash, staleAfterSeconds).compose(won -> won
              ? purchase(event, user, key, seats, paymentToken)
              : place(event, user, key, seats, paymentToken));
        }
        return Future.failedFuture(Problem.of(ErrorCode.REQUEST_IN_PROGRESS,
            "a request with this Idempotency-Key is still running").retryAfter(1));
      });
    });
  }

  private Future<Answer> purchase(Event event, String user, String key, List<Integer> seats, String paymentToken) {
    JsonObject pin = HoldCommand.pin(event.id(), user, seats, paymentWindowMs, event.seatCount());
    return vertx.eventBus().<JsonObject>request(Addresses.SEATS_CMD, pin)
        .map(msg -> SeatResult.fromJson(msg.body()))
        .compose(pinned -> pinned.ok()
            ? charge(event, user, key, seats, paymentToken)
            : refuse(user, key, pinned))
        .recover(err -> err instanceof Problem
            ? Future.failedFuture(err)
            : orders.releaseClaim(user, key).transform(ar -> Future.failedFuture(err)));
  }

  private Future<Answer> refuse(String user, String key, SeatResult pinned) {
    JsonArray ids = new JsonArray(new ArrayList<>(pinned.seats()));
    Problem p = switch (pinned.outcome()) {
      case SOLD -> Problem.of(ErrorCode.SEAT_SOLD, "seats " + pinned.seats() + " are already sold").with("seats", ids);
      case BUSY -> Problem.of(ErrorCode.HOLD_MISSING,
          "seats " + pinned.seats() + " are being paid for by another of your orders").with("seats", ids);
      case MISSING -> Problem.of(ErrorCode.HOLD_MISSING,
          "you do not hold seats " + pinned.seats() + " (never held, released or expired)").with("seats", ids);
      default -> Problem.invalid("seats: invalid seat ids");
    };
    count(p.code().code());
    return orders.releaseClaim(user, key).compose(v -> Future.failedFuture(p));
  }

  private Future<Answer> charge(Event event, String user, String key, List<Integer> seats, String paymentToken) {
    return payments.charge(user + ":" + key, user, PRICE_CENTS * seats.size(), paymentToken)
        .recover(err -> unpin(event, user, seats).compose(v -> orders.releaseClaim(user, key))
            .compose(v -> Future.failedFuture(Problem.of(ErrorCode.SERVICE_UNAVAILABLE,
                "the payment provider did not answer; nothing was charged, retry with the same key").retryAfter(2))))
        .compose(charge -> charge.approved()
            ? confirm(event, user, key, seats, charge.paymentRef())
            : decline(event, user, key, seats, charge.declineReason()));
  }

  private Future<Answer> decline(Event event, String user, String key, List<Integer> seats, String reason) {
    String body = Problem.of(ErrorCode.PAYMENT_DECLINED, "the payment was declined: " + reason).toJson().encode();
    count("payment_declined");
    // The holds stay until their original expiry so the buyer can try another card.
    return orders.finish(user, key, 402, body)
        .compose(v -> unpin(event, user, seats))
        .map(v -> new Answer(402, body, false));
  }

  private Future<Answer> confirm(Event event, String user, String key, List<Integer> seats, String paymentRef) {
    Order order = new Order(UUID.randomUUID(), event.id(), user, List.copyOf(seats), "CONFIRMED",
        Instant.now().truncatedTo(ChronoUnit.MILLIS));
    String body = order.toJson().encode();
    return orders.confirm(order, paymentRef, key, body)
        .compose(v -> {
          count("confirmed");
          sell(event, seats);
          return Future.succeededFuture(new Answer(201, body, false));
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
                    ? Problem.of(ErrorCode.SEAT_SOLD, "a seat of this order was sold to someone else; the payment was refunded")
                    : Problem.of(ErrorCode.SERVICE_UNAVAILABLE, "the order could not be stored; the payment was refunded").retryAfter(1));
              });
        });
  }

  /** Mirror the sale in Redis. If this fails, the reconciler restores it from PostgreSQL within seconds. */
  private void sell(Event event, List<Integer> seats) {
    vertx.eventBus().request(Addresses.SEATS_CMD, HoldCommand.sell(event.id(), seats))
        .onFailure(err -> log.warn("sell script failed for event {} seats {}; reconciler will restore: {}",
            event.id(), seats, err.toString()));
  }

  private Future<Void> unpin(Event event, String user, List<Integer> seats) {
    return vertx.eventBus().request(Addresses.SEATS_CMD, HoldCommand.unpin(event.id(), user, seats))
        .<Void>mapEmpty()
        .recover(err -> Future.succeededFuture()); // an unpinned hold still expires at the end of the payment window
  }

  private void count(String outcome) {
    metrics.counter("ticketrush.orders", "outcome", outcome).increment();
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
