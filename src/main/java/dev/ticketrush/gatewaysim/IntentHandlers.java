package dev.ticketrush.gatewaysim;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code /v1/payment_intents}: create-and-confirm in one call, get one, cancel, list (newest first), search by
 * metadata (lagging: an intent shows up in search only {@code searchLagMs} after it was created, as Stripe's
 * search index does). The test payment methods decide what a charge does: {@code tok_declined} is a card
 * decline (402), {@code tok_error} a 500 without charging, {@code tok_slow} runs 2 s before it charges and
 * answers (a concurrent request with its key meanwhile gets 409), {@code tok_timeout} charges and never sends
 * the first answer, {@code tok_processing} answers an intent still {@code processing} that succeeds
 * {@code processingMs} later; every other method charges. A replay answers at once with the stored result.
 */
final class IntentHandlers {
  static final long SLOW_MS = 2_000;
  private static final Set<String> CREATE_PARAMS = Set.of("amount", "currency", "confirm", "payment_method",
      "payment_method_types[]");
  private static final Set<String> LIST_PARAMS = Set.of("limit", "starting_after");
  private static final Set<String> SEARCH_PARAMS = Set.of("query", "limit", "page");
  // Stripe's own metadata limits; they also bound what one PaymentIntent can hold.
  private static final int MAX_METADATA_KEYS = 50;
  private static final int MAX_METADATA_KEY_LENGTH = 40;
  private static final int MAX_METADATA_VALUE_LENGTH = 500;

  private final Vertx vertx;
  private final Ledger ledger;
  private final IdempotencyKeys keys;
  private final SimOptions options;

  IntentHandlers(Vertx vertx, Ledger ledger, IdempotencyKeys keys, SimOptions options) {
    this.vertx = vertx;
    this.ledger = ledger;
    this.keys = keys;
    this.options = options;
  }

  Future<Reply> create(RoutingContext ctx) {
    MultiMap form = ctx.request().formAttributes();
    String key = SimServer.idempotencyKey(ctx);
    String fingerprint = Params.fingerprint("POST /v1/payment_intents", form);
    Reply replay = key == null ? null : keys.replay(key, fingerprint);
    if (replay != null) {
      return Future.succeededFuture(replay);
    }
    String method = form.get("payment_method");
    validate(form);
    if ("tok_slow".equals(method)) {
      // Still running for SLOW_MS: the key is in use (409 to a concurrent request), then it charges.
      if (key != null) {
        keys.begin(key);
      }
      return vertx.timer(SLOW_MS).map(t -> run(form, key, fingerprint));
    }
    Reply reply = run(form, key, fingerprint);
    if ("tok_timeout".equals(method)) {
      return Promise.<Reply>promise().future(); // charged, and the answer never comes: the connection stays open
    }
    return Future.succeededFuture(reply);
  }

  /** Performs the create and stores its result under the key, a 500 included (Stripe replays those too). */
  private Reply run(MultiMap form, String key, String fingerprint) {
    Reply reply;
    try {
      reply = confirm(form);
    } catch (StripeError failed) {
      if (failed.status < 500 || failed.status == 503) {
        keys.abandon(key); // refused before it ran (or the simulator is full): nothing to replay
        throw failed;
      }
      reply = new Reply(failed.status, failed.toJson(), false);
    }
    if (key != null) {
      keys.store(key, fingerprint, reply);
    }
    return reply;
  }

  /** {@code POST /v1/payment_intents/{id}/cancel}: only an intent that has not captured can be canceled. */
  Future<Reply> cancel(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    JsonObject intent = ledger.intents().get(id);
    if (intent == null) {
      throw StripeError.noSuch(404, "id", "payment_intent", id);
    }
    String status = intent.getString("status");
    if (!Set.of("processing", "requires_capture", "requires_payment_method", "requires_action", "canceled").contains(status)) {
      throw new StripeError(400, "invalid_request_error", "payment_intent_unexpected_state", null,
          "You cannot cancel this PaymentIntent because it has a status of " + status + ".");
    }
    intent.put("status", "canceled").put("amount_received", 0);
    return Future.succeededFuture(Reply.ok(intent));
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
    if (!options.search()) {
      // Like an account where Stripe's search is not available: the client must fall back to listing.
      throw SimServer.unrecognized(ctx);
    }
    MultiMap query = ctx.queryParams();
    Params.onlyKnown(query, SEARCH_PARAMS, false);
    SearchQuery parsed = SearchQuery.parse(query.get("query"));
    long indexedBefore = System.currentTimeMillis() - options.searchLagMs();
    return Future.succeededFuture(Reply.ok(ledger.intents().search("/v1/payment_intents/search", parsed.matcher(),
        Params.limit(query), query.get("page"), indexedBefore)));
  }

  /** The refusals Stripe makes before it runs anything (not stored under the key). */
  private void validate(MultiMap form) {
    Params.onlyKnown(form, CREATE_PARAMS, true);
    String types = form.get("payment_method_types[]");
    if (types != null && !"card".equals(types)) {
      throw StripeError.invalid("payment_method_types", "gateway-sim supports only payment_method_types[]=card");
    }
  }

  private Reply confirm(MultiMap form) {
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
    if (form.get("payment_method_types[]") != null) {
      intent.put("payment_method_types", new JsonArray().add("card"));
    } else {
      // Stripe's default on current API versions: the account's dashboard decides, redirects allowed.
      intent.put("payment_method_types", new JsonArray().add("card").add("link"))
          .put("automatic_payment_methods", new JsonObject().put("enabled", true).put("allow_redirects", "always"));
    }
    if ("tok_processing".equals(method)) {
      intent.put("status", "processing").put("amount_received", 0);
      vertx.setTimer(options.processingMs(), t -> {
        if ("processing".equals(intent.getString("status"))) {
          intent.put("status", "succeeded").put("amount_received", amount);
        }
      });
    }
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

}
