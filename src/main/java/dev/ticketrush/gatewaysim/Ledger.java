package dev.ticketrush.gatewaysim;

import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The simulator's money: every PaymentIntent and refund, in memory, touched from the server's one event loop
 * only (so no locks). Capped so that a long rehearsal cannot exhaust the heap: past the cap new charges are
 * refused (503) without charging, which a client treats as an outage, never as money moved.
 */
final class Ledger {
  /** About 2 KB of heap per PaymentIntent with its idempotency key: the default cap fits in about 500 MB. */
  static final int MAX_INTENTS = 250_000;
  private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private final StoredObjects intents = new StoredObjects("payment_intent");
  private final StoredObjects refunds = new StoredObjects("refund");
  private final Map<String, StoredObjects> refundsByIntent = new HashMap<>();
  private final int maxIntents;

  Ledger(int maxIntents) {
    this.maxIntents = maxIntents;
  }

  StoredObjects intents() {
    return intents;
  }

  StoredObjects refunds() {
    return refunds;
  }

  /** The refunds of one PaymentIntent (usually none or one), for {@code GET /v1/refunds?payment_intent=}. */
  StoredObjects refundsOf(String intentId) {
    return refundsByIntent.getOrDefault(intentId, new StoredObjects("refund"));
  }

  /** Creates and confirms a PaymentIntent: charged ({@code succeeded}) or declined ({@code requires_payment_method}). */
  JsonObject confirmIntent(long amount, String currency, String paymentMethod, JsonObject metadata, boolean declined) {
    if (intents.size() >= maxIntents) {
      throw new StripeError(503, "api_error", null, null,
          "gateway-sim holds its maximum of " + maxIntents + " PaymentIntents; restart it");
    }
    JsonObject intent = new JsonObject()
        .put("id", newId("pi_"))
        .put("object", "payment_intent")
        .put("amount", amount)
        .put("amount_received", declined ? 0 : amount)
        .put("currency", currency)
        .put("status", declined ? "requires_payment_method" : "succeeded")
        .put("payment_method", paymentMethod)
        .put("capture_method", "automatic")
        .put("confirmation_method", "automatic")
        .put("created", nowSeconds())
        .put("livemode", false)
        .put("metadata", metadata)
        .put("last_payment_error", declined ? decline().getJsonObject("error").copy() : null);
    intents.add(intent);
    return intent;
  }

  /** A card decline as Stripe sends it (402), carrying the declined PaymentIntent. */
  static JsonObject decline() {
    return new JsonObject().put("error", new JsonObject()
        .put("type", "card_error")
        .put("code", "card_declined")
        .put("decline_code", "generic_decline")
        .put("message", "Your card was declined."));
  }

  /** Refunds the whole amount of a charged PaymentIntent; refuses unknown, uncharged and refunded ones. */
  JsonObject refund(String intentId) {
    JsonObject intent = intents.get(intentId);
    if (intent == null) {
      throw StripeError.noSuch(400, "payment_intent", "payment_intent", intentId);
    }
    if (!"succeeded".equals(intent.getString("status"))) {
      throw new StripeError(400, "invalid_request_error", "charge_not_refundable", "payment_intent",
          "This PaymentIntent (" + intentId + ") does not have a successful charge to refund.");
    }
    if (refundsByIntent.containsKey(intentId)) {
      throw new StripeError(400, "invalid_request_error", "charge_already_refunded", "payment_intent",
          "Charge for " + intentId + " has already been refunded.");
    }
    JsonObject refund = new JsonObject()
        .put("id", newId("re_"))
        .put("object", "refund")
        .put("amount", intent.getLong("amount"))
        .put("currency", intent.getString("currency"))
        .put("payment_intent", intentId)
        .put("status", "succeeded")
        .put("created", nowSeconds());
    refunds.add(refund);
    refundsByIntent.computeIfAbsent(intentId, k -> new StoredObjects("refund")).add(refund);
    return refund;
  }

  private static String newId(String prefix) {
    StringBuilder id = new StringBuilder(prefix);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 24; i++) {
      id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
    }
    return id.toString();
  }

  private static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }
}
