package dev.ticketrush.web;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Function;

/** Small helpers for JSON answers and future-returning handlers. */
public final class Json {
  private Json() {
  }

  /** A handler whose failed future goes to the problem failure handler. */
  public static Handler<RoutingContext> async(Function<RoutingContext, Future<?>> handler) {
    return ctx -> {
      Future<?> f;
      try {
        f = handler.apply(ctx);
      } catch (RuntimeException e) {
        ctx.fail(e);
        return;
      }
      f.onFailure(ctx::fail);
    };
  }

  public static Future<Void> send(RoutingContext ctx, int status, JsonObject body) {
    return send(ctx, status, body.toBuffer());
  }

  public static Future<Void> send(RoutingContext ctx, int status, Buffer body) {
    return ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }

  public static long pathLong(RoutingContext ctx, String name) {
    try {
      return Long.parseLong(ctx.pathParam(name));
    } catch (NumberFormatException e) {
      throw dev.ticketrush.outcome.Rejection.invalid(name + " must be an integer");
    }
  }
}
