package dev.ticketrush.gatewaysim;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.function.Function;

/**
 * The simulator's HTTP server: Stripe's bearer-key check, a bounded body, the routes, and every answer and
 * refusal written in Stripe's JSON shapes. Deployed as one instance, so all state lives on one event loop.
 */
final class SimServer extends VerticleBase {
  static final int MAX_BODY_BYTES = 16 * 1024;

  private final String host;
  private final int port;
  private final SimOptions options;
  private HttpServer server;

  SimServer(String host, int port, SimOptions options) {
    this.host = host;
    this.port = port;
    this.options = options;
  }

  @Override
  public Future<?> start() {
    Ledger ledger = new Ledger(options.maxIntents());
    IdempotencyKeys keys = new IdempotencyKeys();
    IntentHandlers intents = new IntentHandlers(vertx, ledger, keys, options);
    RefundHandlers refunds = new RefundHandlers(vertx, ledger, keys, options.refundDelayMs());

    Router router = Router.router(vertx);
    router.route("/v1/*").handler(SimServer::requireSecretKey);
    router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    router.post("/v1/payment_intents").handler(serve(intents::create));
    // Before /:id, which would otherwise take "search" for an id.
    router.get("/v1/payment_intents/search").handler(serve(intents::search));
    router.get("/v1/payment_intents/:id").handler(serve(intents::get));
    router.post("/v1/payment_intents/:id/cancel").handler(serve(intents::cancel));
    router.get("/v1/payment_intents").handler(serve(intents::list));
    router.post("/v1/refunds").handler(serve(refunds::create));
    router.get("/v1/refunds").handler(serve(refunds::list));
    router.route().handler(ctx -> ctx.fail(unrecognized(ctx)));
    router.route().failureHandler(SimServer::writeFailure);
    return vertx.createHttpServer().requestHandler(router).listen(port, host).onSuccess(s -> server = s);
  }

  int actualPort() {
    return server.actualPort();
  }

  static StripeError unrecognized(RoutingContext ctx) {
    return new StripeError(404, "invalid_request_error", null, null,
        "Unrecognized request URL (" + ctx.request().method() + ": " + ctx.request().path() + ").");
  }

  /** The request's Idempotency-Key, or null; Stripe refuses keys longer than 255 characters. */
  static String idempotencyKey(RoutingContext ctx) {
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key != null && (key.isEmpty() || key.length() > IdempotencyKeys.MAX_KEY_LENGTH)) {
      throw StripeError.invalid("Idempotency-Key", "Idempotency-Key must be 1-" + IdempotencyKeys.MAX_KEY_LENGTH + " characters");
    }
    return key;
  }

  private static void requireSecretKey(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization == null || !authorization.startsWith("Bearer sk_") || authorization.length() == "Bearer sk_".length()) {
      ctx.fail(new StripeError(401, "invalid_request_error", null, null,
          "Invalid API Key provided: expected Authorization: Bearer sk_..."));
      return;
    }
    ctx.next();
  }

  private static io.vertx.core.Handler<RoutingContext> serve(Function<RoutingContext, Future<Reply>> handler) {
    return ctx -> {
      Future<Reply> reply;
      try {
        reply = handler.apply(ctx);
      } catch (StripeError refused) {
        reply = Future.failedFuture(refused);
      }
      reply.onSuccess(r -> write(ctx, r)).onFailure(ctx::fail);
    };
  }

  private static void write(RoutingContext ctx, Reply reply) {
    if (ctx.response().closed()) {
      return; // the client gave up (e.g. on tok_slow); the charge stands, as on a real gateway
    }
    ctx.response().setStatusCode(reply.status()).putHeader("Content-Type", "application/json");
    if (reply.replayed()) {
      ctx.response().putHeader("Idempotent-Replayed", "true");
    }
    ctx.response().end(reply.body().encode());
  }

  private static void writeFailure(RoutingContext ctx) {
    StripeError error;
    if (ctx.failure() instanceof StripeError refused) {
      error = refused;
    } else if (ctx.statusCode() == 413) {
      error = new StripeError(413, "invalid_request_error", null, null, "Request body larger than " + MAX_BODY_BYTES + " bytes");
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      error = new StripeError(ctx.statusCode(), "invalid_request_error", null, null, "Bad request");
    } else {
      System.err.println("gateway-sim: unexpected failure on " + ctx.request().path() + ": " + ctx.failure());
      error = new StripeError(500, "api_error", null, null, "An unknown error occurred in gateway-sim.");
    }
    write(ctx, new Reply(error.status, error.toJson(), false));
  }
}
