package dev.ticketrush.payment.stripe;

import dev.ticketrush.payment.GatewayUnavailable;
import dev.ticketrush.payment.PaymentGateway;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The payment gateway over Stripe's HTTP API (or {@code gateway-sim}, which serves the same subset): one
 * PaymentIntent per charge key, created and confirmed in one call with the charge key as Stripe's
 * {@code Idempotency-Key}, so a retried charge replays the first answer instead of charging again. The key
 * also goes into the intent's metadata, which is how {@link #lookup} finds the intent when the answer was lost.
 */
public final class StripeGateway implements PaymentGateway {
  private final StripeHttp http;
  private final StripeLookup lookup;

  public StripeGateway(Vertx vertx, String apiBase, String secretKey, long timeoutMs) {
    this(vertx, apiBase, secretKey, timeoutMs, StripeLookup.DEFAULT_LIST_PAGES);
  }

  /** {@code maxListPages}: how many pages of 100 intents a lookup reads when search cannot find the key. */
  StripeGateway(Vertx vertx, String apiBase, String secretKey, long timeoutMs, int maxListPages) {
    this.http = new StripeHttp(vertx, apiBase, secretKey, timeoutMs);
    this.lookup = new StripeLookup(http, maxListPages);
  }

  @Override
  public Future<Charge> charge(ChargeRequest request) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
        .add("amount", Long.toString(request.amountCents()))
        .add("currency", "usd")
        .add("confirm", "true")
        .add("payment_method", request.paymentToken())
        .add("metadata[ticketrush_key]", request.clientKey())
        .add("metadata[ticketrush_user]", request.userId())
        .add("metadata[ticketrush_event]", Long.toString(request.eventId()))
        .add("metadata[" + StripeIntents.CHARGE_KEY + "]", request.chargeKey());
    return http.post("/v1/payment_intents", form, request.chargeKey()).compose(reply -> {
      if (reply.ok()) {
        Charge charge = StripeIntents.finalCharge(reply.body());
        return charge != null ? Future.succeededFuture(charge) : Future.failedFuture(new GatewayUnavailable(
            "stripe: payment intent " + reply.body().getString("id") + " is " + reply.body().getString("status")));
      }
      if (reply.status() == 402 && "card_error".equals(reply.error().getString("type"))) {
        JsonObject intent = reply.error().getJsonObject("payment_intent");
        return Future.succeededFuture(Charge.declined(intent == null ? null : intent.getString("id"),
            reply.error().getString("message", "card declined")));
      }
      // 5xx and 429 may or may not have charged; any other refusal (a bad key, a reused idempotency key) is a
      // bug to fix, and lookup still tells what happened.
      return Future.failedFuture(new GatewayUnavailable("stripe: charge answered " + reply.describe()));
    });
  }

  @Override
  public Future<Void> refund(String chargeId) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("payment_intent", chargeId);
    return http.post("/v1/refunds", form, "refund:" + chargeId).compose(reply -> {
      String code = reply.error().getString("code", "");
      if (reply.ok() && !"failed".equals(reply.body().getString("status")) && !"canceled".equals(reply.body().getString("status"))) {
        return Future.succeededFuture();
      }
      if (reply.status() == 400 && code.equals("charge_already_refunded")) {
        return Future.succeededFuture(); // refunded before under another key (or after Stripe forgot ours)
      }
      if ((reply.status() == 400 || reply.status() == 404) && code.equals("resource_missing")) {
        return Future.failedFuture(new IllegalArgumentException("no charge " + chargeId));
      }
      return Future.failedFuture(new GatewayUnavailable("stripe: refund of " + chargeId + " answered " + reply.describe()));
    });
  }

  @Override
  public Future<Charge> lookup(ChargeRequest request) {
    return lookup.lookup(request.chargeKey());
  }
}
