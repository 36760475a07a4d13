package dev.ticketrush.payment.stripe;

import dev.ticketrush.payment.GatewayUnavailable;
import dev.ticketrush.payment.PaymentGateway;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The payment gateway over Stripe's HTTP API (or {@code gateway-sim}, which serves the same subset): one
 * PaymentIntent per charge key, created and confirmed in one call with the charge key as Stripe's
 * {@code Idempotency-Key}, so a charge sent again replays the first answer instead of charging again (Stripe
 * keeps it 24 h; while the first is still running it answers 409 {@code idempotency_key_in_use}).
 *
 * <p>Card only ({@code payment_method_types[]=card}): with automatic payment methods an account may enable
 * redirect-based methods, and Stripe then refuses {@code confirm=true} without a {@code return_url}; a list of
 * allowed types is explicit and works on every API version, whatever the dashboard says.
 */
public final class StripeGateway implements PaymentGateway {
  private final StripeHttp http;

  public StripeGateway(Vertx vertx, String apiBase, String secretKey, long timeoutMs) {
    this.http = new StripeHttp(vertx, apiBase, secretKey, timeoutMs);
  }

  @Override
  public Future<Charge> charge(ChargeRequest request) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
        .add("amount", Long.toString(request.amountCents()))
        .add("currency", request.currency().toLowerCase(Locale.ROOT))
        .add("confirm", "true")
        .add("payment_method", request.paymentToken())
        .add("payment_method_types[]", "card")
        .add("metadata[ticketrush_key]", request.clientKey())
        .add("metadata[ticketrush_user]", request.userId())
        .add("metadata[ticketrush_event]", Long.toString(request.eventId()))
        .add("metadata[" + StripeIntents.CHARGE_KEY + "]", request.chargeKey());
    return http.post("/v1/payment_intents", form, request.chargeKey()).compose(reply -> {
      if (reply.ok()) {
        return settled(reply.body());
      }
      if (reply.status() == 402 && "card_error".equals(reply.error().getString("type"))) {
        JsonObject intent = reply.error().getJsonObject("payment_intent");
        return Future.succeededFuture(Charge.declined(intent == null ? null : intent.getString("id"),
            reply.error().getString("message", "card declined")));
      }
      if (reply.status() == 409) {
        return Future.failedFuture(new GatewayUnavailable("stripe: the first charge under " + request.chargeKey()
            + " is still running (" + reply.describe() + ")"));
      }
      // 5xx (Stripe replays a stored 500 too) and 429 may or may not have charged; any other refusal (a bad
      // key, the same idempotency key with other parameters) is a bug to fix and leaves the outcome unknown.
      return Future.failedFuture(new GatewayUnavailable("stripe: charge answered " + reply.describe()));
    });
  }

  /**
   * A created intent's result. A replayed answer is the intent as it was when first answered, so one that was
   * not final then ({@code processing}) is read again by id, which is consistent.
   */
  private Future<Charge> settled(JsonObject intent) {
    Charge charge = StripeIntents.finalCharge(intent);
    if (charge != null) {
      return Future.succeededFuture(charge);
    }
    String id = intent.getString("id");
    return http.get("/v1/payment_intents/" + id, Map.of()).compose(now -> {
      Charge later = now.ok() ? StripeIntents.finalCharge(now.body()) : null;
      return later != null ? Future.succeededFuture(later) : Future.failedFuture(new GatewayUnavailable(
          "stripe: payment intent " + id + " is " + (now.ok() ? now.body().getString("status") : now.describe()), id));
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
  public Future<Void> cancel(String chargeId) {
    return http.post("/v1/payment_intents/" + chargeId + "/cancel", MultiMap.caseInsensitiveMultiMap(), "cancel:" + chargeId)
        .compose(reply -> reply.ok() ? Future.<Void>succeededFuture()
            : Future.failedFuture(new GatewayUnavailable("stripe: cancel of " + chargeId + " answered " + reply.describe())));
  }

  @Override
  public Future<ChargePage> charges(String startingAfter, int limit) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("limit", Integer.toString(limit));
    if (startingAfter != null) {
      query.put("starting_after", startingAfter);
    }
    return http.get("/v1/payment_intents", query).compose(reply -> {
      if (!reply.ok()) {
        return Future.failedFuture(new GatewayUnavailable("stripe: list answered " + reply.describe()));
      }
      JsonArray data = reply.body().getJsonArray("data", new JsonArray());
      List<ListedCharge> page = new ArrayList<>(data.size());
      for (int i = 0; i < data.size(); i++) {
        JsonObject pi = data.getJsonObject(i);
        JsonObject metadata = pi.getJsonObject("metadata", new JsonObject());
        page.add(new ListedCharge(pi.getString("id"), metadata.getString(StripeIntents.CHARGE_KEY), eventOf(metadata),
            "succeeded".equals(pi.getString("status")), pi.getLong("amount", 0L), pi.getLong("created", 0L)));
      }
      return Future.succeededFuture(new ChargePage(page, reply.body().getBoolean("has_more", false) && !data.isEmpty()));
    });
  }

  private static long eventOf(JsonObject metadata) {
    try {
      return Long.parseLong(metadata.getString("ticketrush_event", "0"));
    } catch (NumberFormatException notOurs) {
      return 0;
    }
  }
}
