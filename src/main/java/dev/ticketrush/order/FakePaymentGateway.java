package dev.ticketrush.order;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for a card processor: answers after a configurable latency (timer, never blocking), declines
 * the token {@code tok_declined}, accepts any other, and charges each {@code chargeKey} at most once, like
 * real gateways do with their own idempotency keys.
 */
public final class FakePaymentGateway implements PaymentGateway {
  public static final String DECLINED_TOKEN = "tok_declined";

  private final Vertx vertx;
  private final long latencyMs;
  private final Map<String, Charge> charges = new ConcurrentHashMap<>();
  private final AtomicLong chargeCount = new AtomicLong();

  public FakePaymentGateway(Vertx vertx, long latencyMs) {
    this.vertx = vertx;
    this.latencyMs = latencyMs;
  }

  @Override
  public Future<Charge> charge(String chargeKey, String userId, long amountCents, String paymentToken) {
    Future<Void> delay = latencyMs > 0 ? vertx.timer(latencyMs).mapEmpty() : Future.succeededFuture();
    return delay.map(v -> charges.computeIfAbsent(chargeKey, k -> {
      if (DECLINED_TOKEN.equals(paymentToken)) {
        return Charge.declined("card declined");
      }
      chargeCount.incrementAndGet();
      return Charge.approved("pay_" + UUID.randomUUID());
    }));
  }

  @Override
  public Future<Void> refund(String paymentRef) {
    // No money moved, so nothing to give back; a real gateway calls its refund API here.
    return Future.succeededFuture();
  }

  /** Approved charges so far (tests check that a replay never charges twice). */
  public long charges() {
    return chargeCount.get();
  }
}
