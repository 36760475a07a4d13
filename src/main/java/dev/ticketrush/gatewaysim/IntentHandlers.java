package dev.ticketrush.gatewaysim;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code /v1/payment_intents}: create-and-confirm in one call, get one, list, search by metadata. The test
 * payment methods decide what a charge does: {@code tok_declined} is a card decline (402),
 * {@code tok_error} a 500 without charging, {@code tok_slow} charges and answers after 2 s,
 * {@code tok_timeout} charges and never answers; every other method charges.
 */
final class IntentHandlers {
  static final long SLOW_MS = 2_000;
  private static final Set<String> CREATE_PARAMS = Set.of("amount", "currency", "confirm", "payment_method");
  private static final Set<String> LIST_PARAMS = Set.of("limit", "starting_after");
  private static final Set<String> SEARCH_PARAMS = Set.of("query", "limit", "page");
  // Stripe's own metadata limits; they also bound what one PaymentIntent can hold.
  private static final int MAX_METADATA_KEYS = 50;
  private static final int MAX_METADATA_KEY_LENGTH = 40;
  private static final int MAX_METADATA_VALUE_LENGTH = 500;

  private final Vertx vertx;
  private final Ledger ledger;
  private final IdempotencyKeys keys;
  private final boolean searchEnabled;

  IntentHandlers(Vertx vertx, Ledger ledger, IdempotencyKeys keys, boolean searchEnabled) {
    this.vertx = vertx;
    this.ledger = ledger;
    this.keys = keys;
    this.searchEnabled = searchEnabled;
  }

  Future<Reply> create(RoutingContext ctx) {
    MultiMap form = ctx.request().formAttributes();
    String key = SimServer.idempotencyKey(ctx);
    String fingerprint = Params.fingerprint("POST /v1/payment_intents", form);
    Reply reply = key == null ? null : keys.replay(key, fingerprint);
    if (reply == null) {
      reply = confirm(form);
      if (key != null) {
        keys.store(key, fingerprint, reply);
      }
    }
    return answerAsTheMethodSays(form.get("payment_method"), reply);
  }

  Future<Reply> get(RoutingContext ctx) {
    Params.onlyKnown(ctx.queryParams(), Set.of(), false);
    String id = ctx.pathParam("id");
    JsonObject intent = ledger.intents().get(id);
    if (intent == null) {
      throw StripeError.noSuch(404, "id", "payment_intent", id);
    }
    return Future.succeededFuture(Reply.ok(intent));
  }

  Future<Reply> list(RoutingContext ctx) {
    MultiMap query = ctx.queryParams();
    Params.onlyKnown(query, LIST_PARAMS, false);
    return Future.succeededFuture(Reply.ok(
        ledger.intents().list("/v1/payment_intents", Params.limit(query), query.get("starting_after"))));
  }

  Future<Reply> search(RoutingContext ctx) {
    if (!searchEnabled) {
      // Like an account where Stripe's search is not available: the client must fall back to listing.
      throw SimServer.unrecognized(ctx);
    }
    MultiMap query = ctx.queryParams();
    Params.onlyKnown(query, SEARCH_PARAMS, false);
    SearchQuery parsed = SearchQuery.parse(query.get("query"));
    return Future.succeededFuture(Reply.ok(ledger.intents().search("/v1/payment_intents/search", parsed.matcher(),
        Params.limit(query), query.get("page"))));
  }

  private Reply confirm(MultiMap form) {
    Params.onlyKnown(form, CREATE_PARAMS, true);
    long amount = Params.positiveInteger(form, "amount");
    String currency = Params.required(form, "currency").toLowerCase(Locale.ROOT);
    if (!currency.matches("[a-z]{3}")) {
      throw StripeError.invalid("currency", "Invalid currency: " + currency);
    }
    if (!"true".equals(form.get("confirm"))) {
      throw StripeError.invalid("confirm", "gateway-sim creates and confirms in one call: confirm=true is required");
    }
    String method = Params.required(form, "payment_method");
    JsonObject metadata = metadata(form);
    if ("tok_error".equals(method)) {
      throw new StripeError(500, "api_error", null, null,
          "An unknown error occurred (gateway-sim: tok_error, nothing was charged).");
    }
    boolean declined = "tok_declined".equals(method);
    JsonObject intent = ledger.confirmIntent(amount, currency, method, metadata, declined);
    if (declined) {
      JsonObject body = Ledger.decline();
      body.getJsonObject("error").put("payment_intent", intent);
      return new Reply(402, body, false);
    }
    return Reply.ok(intent);
  }

  private static JsonObject metadata(MultiMap form) {
    JsonObject metadata = new JsonObject();
    for (Map.Entry<String, String> e : form.entries()) {
      String name = e.getKey();
      if (!name.startsWith("metadata[")) {
        continue;
      }
      String key = name.substring("metadata[".length(), name.length() - 1);
      if (key.isEmpty() || key.length() > MAX_METADATA_KEY_LENGTH || e.getValue().length() > MAX_METADATA_VALUE_LENGTH) {
        throw StripeError.invalid(name, "Metadata keys must be 1-" + MAX_METADATA_KEY_LENGTH
            + " characters and values at most " + MAX_METADATA_VALUE_LENGTH);
      }
      metadata.put(key, e.getValue());
    }
    if (metadata.size() > MAX_METADATA_KEYS) {
      throw StripeError.invalid("metadata", "At most " + MAX_METADATA_KEYS + " metadata keys");
    }
    return metadata;
  }

  /** The test methods' timing applies to replays too, as in the in-process fake gateway. */
  private Future<Reply> answerAsTheMethodSays(String method, Reply reply) {
    if ("tok_timeout".equals(method)) {
      return Promise.<Reply>promise().future(); // charged, and the answer never comes: the connection stays open
    }
    if ("tok_slow".equals(method)) {
      return vertx.timer(SLOW_MS).map(t -> reply);
    }
    return Future.succeededFuture(reply);
  }
}
