package dev.ticketrush.payment.stripe;

import dev.ticketrush.payment.GatewayUnavailable;
import dev.ticketrush.payment.PaymentGateway;
import dev.ticketrush.payment.PaymentGateway.Charge;
import dev.ticketrush.payment.PaymentGateway.Status;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds what Stripe did under a charge key (the PaymentIntent whose {@code metadata[ticketrush_charge]} is the
 * key) and whether it was refunded since.
 *
 * <p>Stripe's search is fast but eventually consistent (new intents appear after up to a minute) and not
 * available on every account, while lists are consistent but only page newest-first. So: search first; when
 * it finds nothing or is missing, page through the newest intents (a bounded number of pages). "Nothing was
 * charged" (null) is only answered when the list ended, or when search works and the key is older than
 * every listed page; otherwise the outcome stays unknown ({@link GatewayUnavailable}), never a wrong null.
 */
final class StripeLookup {
  static final int DEFAULT_LIST_PAGES = 10;
  private static final String PAGE_SIZE = "100";

  private record Searched(JsonObject intent, boolean searchWorks) {
  }

  private final StripeHttp http;
  private final int maxListPages;

  StripeLookup(StripeHttp http, int maxListPages) {
    this.http = http;
    this.maxListPages = maxListPages;
  }

  Future<Charge> lookup(String chargeKey) {
    return search(chargeKey).compose(searched -> {
      if (searched.intent() != null) {
        return describe(searched.intent());
      }
      return listNewest(chargeKey, null, 1)
          .recover(e -> {
            if (e instanceof ListTooLong tooLong) {
              // Older than every listed page: only a working search can vouch that nothing was charged.
              return searched.searchWorks() ? Future.succeededFuture(null) : Future.failedFuture(tooLong.unavailable());
            }
            return Future.failedFuture(e);
          })
          .compose(listed -> listed == null ? Future.succeededFuture(null) : describe(listed));
    });
  }

  private Future<Searched> search(String chargeKey) {
    String query = "metadata['" + StripeIntents.CHARGE_KEY + "']:'" + chargeKey.replace("\\", "\\\\").replace("'", "\\'") + "'";
    return http.get("/v1/payment_intents/search", Map.of("query", query, "limit", "10")).compose(reply -> {
      if (reply.ok()) {
        return Future.succeededFuture(new Searched(bestMatch(reply.body().getJsonArray("data"), chargeKey), true));
      }
      if (reply.status() == 400 || reply.status() == 403 || reply.status() == 404) {
        return Future.succeededFuture(new Searched(null, false)); // no search on this account: list instead
      }
      return Future.failedFuture(new GatewayUnavailable("stripe: search answered " + reply.describe()));
    });
  }

  /** The matching intent among the newest pages, or null when the whole list was read without a match. */
  private Future<JsonObject> listNewest(String chargeKey, String startingAfter, int page) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("limit", PAGE_SIZE);
    if (startingAfter != null) {
      query.put("starting_after", startingAfter);
    }
    return http.get("/v1/payment_intents", query).compose(reply -> {
      if (!reply.ok()) {
        return Future.failedFuture(new GatewayUnavailable("stripe: list answered " + reply.describe()));
      }
      JsonArray data = reply.body().getJsonArray("data", new JsonArray());
      JsonObject match = bestMatch(data, chargeKey);
      if (match != null) {
        return Future.succeededFuture(match);
      }
      if (!reply.body().getBoolean("has_more", false) || data.isEmpty()) {
        return Future.succeededFuture(null);
      }
      if (page >= maxListPages) {
        return Future.failedFuture(new ListTooLong(chargeKey, maxListPages));
      }
      return listNewest(chargeKey, data.getJsonObject(data.size() - 1).getString("id"), page + 1);
    });
  }

  /** A charged intent wins over a declined one, should a key ever have both (Stripe forgets keys after 24 h). */
  private static JsonObject bestMatch(JsonArray data, String chargeKey) {
    JsonObject first = null;
    for (int i = 0; data != null && i < data.size(); i++) {
      JsonObject intent = data.getJsonObject(i);
      if (StripeIntents.hasChargeKey(intent, chargeKey)) {
        if ("succeeded".equals(intent.getString("status"))) {
          return intent;
        }
        first = first == null ? intent : first;
      }
    }
    return first;
  }

  private Future<Charge> describe(JsonObject intent) {
    Charge charge = StripeIntents.finalCharge(intent);
    if (charge == null) {
      return Future.failedFuture(new GatewayUnavailable(
          "stripe: payment intent " + intent.getString("id") + " is still " + intent.getString("status")));
    }
    if (!charge.succeeded()) {
      return Future.succeededFuture(charge);
    }
    return http.get("/v1/refunds", Map.of("payment_intent", charge.id(), "limit", "10")).compose(reply -> {
      if (!reply.ok()) {
        return Future.failedFuture(new GatewayUnavailable("stripe: refund list answered " + reply.describe()));
      }
      return Future.succeededFuture(refunded(reply.body().getJsonArray("data"))
          ? new Charge(charge.id(), Status.REFUNDED, charge.amountCents(), null)
          : charge);
    });
  }

  /** A pending refund counts: Stripe accepted it and the money is on its way back. */
  private static boolean refunded(JsonArray refunds) {
    for (int i = 0; refunds != null && i < refunds.size(); i++) {
      String status = refunds.getJsonObject(i).getString("status");
      if ("succeeded".equals(status) || "pending".equals(status)) {
        return true;
      }
    }
    return false;
  }

  /** The key was not among the newest pages and the list goes on. */
  private static final class ListTooLong extends RuntimeException {
    ListTooLong(String chargeKey, int pages) {
      super("charge key " + chargeKey + " not among the newest " + pages + " pages of payment intents", null, false, false);
    }

    GatewayUnavailable unavailable() {
      return new GatewayUnavailable("stripe: " + getMessage() + " and search is not available: outcome unknown");
    }
  }
}
