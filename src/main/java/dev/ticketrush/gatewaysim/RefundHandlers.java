package dev.ticketrush.gatewaysim;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * {@code /v1/refunds}: a full refund of a charged PaymentIntent (idempotent per key; without a key a second
 * refund is Stripe's 400 {@code charge_already_refunded}) and the list, optionally of one PaymentIntent. With a
 * delay, the refund is made at once and answered later, its key in use meanwhile (409 to a retry), as when a
 * client's connection dies after the gateway acted.
 */
final class RefundHandlers {
  private static final Set<String> CREATE_PARAMS = Set.of("payment_intent");
  private static final Set<String> LIST_PARAMS = Set.of("limit", "starting_after", "payment_intent");

  private final Ledger ledger;
  private final IdempotencyKeys keys;
  private final Vertx vertx;
  private final long delayMs;

  RefundHandlers(Vertx vertx, Ledger ledger, IdempotencyKeys keys, long delayMs) {
    this.vertx = vertx;
    this.ledger = ledger;
    this.keys = keys;
    this.delayMs = delayMs;
  }

  Future<Reply> create(RoutingContext ctx) {
    MultiMap form = ctx.request().formAttributes();
    String key = SimServer.idempotencyKey(ctx);
    String fingerprint = Params.fingerprint("POST /v1/refunds", form);
    Reply reply = key == null ? null : keys.replay(key, fingerprint);
    if (reply != null) {
      return Future.succeededFuture(reply);
    }
    Params.onlyKnown(form, CREATE_PARAMS, false);
    Reply done = Reply.ok(ledger.refund(Params.required(form, "payment_intent")));
    if (delayMs == 0) {
      if (key != null) {
        keys.store(key, fingerprint, done);
      }
      return Future.succeededFuture(done);
    }
    if (key != null) {
      keys.begin(key);
    }
    return vertx.timer(delayMs).map(t -> {
      if (key != null) {
        keys.store(key, fingerprint, done);
      }
      return done;
    });
  }

  Future<Reply> list(RoutingContext ctx) {
    MultiMap query = ctx.queryParams();
    Params.onlyKnown(query, LIST_PARAMS, false);
    String intent = query.get("payment_intent");
    StoredObjects refunds = intent == null ? ledger.refunds() : ledger.refundsOf(intent);
    return Future.succeededFuture(Reply.ok(refunds.list("/v1/refunds", Params.limit(query), query.get("starting_after"))));
  }
}
