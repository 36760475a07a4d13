package dev.ticketrush.gatewaysim;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * {@code /v1/refunds}: a full refund of a charged PaymentIntent (idempotent per key; without a key a second
 * refund is Stripe's 400 {@code charge_already_refunded}) and the list, optionally of one PaymentIntent.
 */
final class RefundHandlers {
  private static final Set<String> CREATE_PARAMS = Set.of("payment_intent");
  private static final Set<String> LIST_PARAMS = Set.of("limit", "starting_after", "payment_intent");

  private final Ledger ledger;
  private final IdempotencyKeys keys;

  RefundHandlers(Ledger ledger, IdempotencyKeys keys) {
    this.ledger = ledger;
    this.keys = keys;
  }

  Future<Reply> create(RoutingContext ctx) {
    MultiMap form = ctx.request().formAttributes();
    String key = SimServer.idempotencyKey(ctx);
    String fingerprint = Params.fingerprint("POST /v1/refunds", form);
    Reply reply = key == null ? null : keys.replay(key, fingerprint);
    if (reply == null) {
      Params.onlyKnown(form, CREATE_PARAMS, false);
      reply = Reply.ok(ledger.refund(Params.required(form, "payment_intent")));
      if (key != null) {
        keys.store(key, fingerprint, reply);
      }
    }
    return Future.succeededFuture(reply);
  }

  Future<Reply> list(RoutingContext ctx) {
    MultiMap query = ctx.queryParams();
    Params.onlyKnown(query, LIST_PARAMS, false);
    String intent = query.get("payment_intent");
    StoredObjects refunds = intent == null ? ledger.refunds() : ledger.refundsOf(intent);
    return Future.succeededFuture(Reply.ok(refunds.list("/v1/refunds", Params.limit(query), query.get("starting_after"))));
  }
}
