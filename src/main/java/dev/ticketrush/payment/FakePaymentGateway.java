package dev.ticketrush.payment;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A card processor in process, for dev mode and tests: answers after a configurable latency (a timer, never
 * blocking) and keeps a ledger per charge key with real refund state, like a real gateway's idempotency keys.
 * Test tokens, as in {@code gateway-sim}: {@code tok_declined} declines; {@code tok_slow} charges and answers
 * after 2 s; {@code tok_timeout} charges and never answers; {@code tok_error} fails without charging; any other
 * token charges.
 */
public final class FakePaymentGateway implements PaymentGateway {
  public static final String DECLINED_TOKEN = "tok_declined";
  static final long SLOW_MS = 2_000;

  private final Vertx vertx;
  private final long latencyMs;
  private final Map<String, Charge> ledger = new ConcurrentHashMap<>();
  private final Map<String, String> keyById = new ConcurrentHashMap<>();
  private final AtomicLong chargeCount = new AtomicLong();
  private final AtomicLong refundCount = new AtomicLong();

  public FakePaymentGateway(Vertx vertx, long latencyMs) {
    this.vertx = vertx;
    this.latencyMs = latencyMs;
  }

  @Override
  public Future<Charge> charge(ChargeRequest request) {
    String token = request.paymentToken();
    Future<Void> delay = latencyMs > 0 ? vertx.timer(latencyMs).mapEmpty() : Future.succeededFuture();
    return delay.compose(v -> {
      if ("tok_error".equals(token) && !ledger.containsKey(request.chargeKey())) {
        return Future.failedFuture(new GatewayUnavailable("fake gateway: tok_error"));
      }
      Charge charge = ledger.computeIfAbsent(request.chargeKey(), k -> {
        String id = "pi_fake_" + UUID.randomUUID().toString().replace("-", "");
        keyById.put(id, k);
        if (DECLINED_TOKEN.equals(token)) {
          return Charge.declined(id, "card declined");
        }
        chargeCount.incrementAndGet();
        return Charge.succeeded(id, request.amountCents());
      });
      if ("tok_timeout".equals(token)) {
        return Promise.<Charge>promise().future(); // charged, and the answer never comes
      }
      if ("tok_slow".equals(token)) {
        return vertx.timer(SLOW_MS).map(t -> charge);
      }
      return Future.succeededFuture(charge);
    });
  }

  @Override
  public Future<Void> refund(String chargeId) {
    String key = keyById.get(chargeId);
    if (key == null) {
      return Future.failedFuture(new IllegalArgumentException("no charge " + chargeId));
    }
    Charge refunded = ledger.computeIfPresent(key, (k, c) -> {
      if (c.status() == Status.SUCCEEDED) {
        refundCount.incrementAndGet();
        return new Charge(c.id(), Status.REFUNDED, c.amountCents(), null);
      }
      return c;
    });
    return refunded == null ? Future.failedFuture(new IllegalArgumentException("no charge " + chargeId)) : Future.succeededFuture();
  }

  @Override
  public Future<Charge> lookup(ChargeRequest request) {
    return Future.succeededFuture(ledger.get(request.chargeKey()));
  }

  /** Successful charges so far (tests check that a replay never charges twice). */
  public long charges() {
    return chargeCount.get();
  }

  /** Refunds so far. */
  public long refunds() {
    return refundCount.get();
  }

  /** The charge under a key, or null (tests compare the ledger with the orders). */
  public Charge charge(String chargeKey) {
    return ledger.get(chargeKey);
  }

  /** Every charge key in the ledger with its charge. */
  public Map<String, Charge> ledger() {
    return Map.copyOf(ledger);
  }
}
